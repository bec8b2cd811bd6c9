//! The usual SMTP ports on the SMTP host, all at once: an internet
//! provider that blocks port 25 (or 465/587) shows here.

use crate::net::{Deadline, NetError, Transcript, connect_any, resolve};
use serde::Serialize;

pub const SMTP_PORTS: [u16; 3] = [465, 587, 25];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortOutcome {
    Open,
    Refused,
    Timeout,
    Unreachable,
    /// The host name could not be resolved (then every port says so).
    NoHost,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortProbe {
    pub port: u16,
    pub outcome: PortOutcome,
    pub ms: u64,
}

pub(super) fn probe(host: &str, deadline: &Deadline, transcript: &Transcript) -> Vec<PortProbe> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = SMTP_PORTS
            .iter()
            .map(|&port| scope.spawn(move || one(host, port, deadline, transcript)))
            .collect();
        handles
            .into_iter()
            .zip(SMTP_PORTS)
            .map(|(h, port)| {
                h.join().unwrap_or(PortProbe {
                    port,
                    outcome: PortOutcome::Unreachable,
                    ms: 0,
                })
            })
            .collect()
    })
}

fn one(host: &str, port: u16, deadline: &Deadline, transcript: &Transcript) -> PortProbe {
    let start = std::time::Instant::now();
    let outcome = match resolve(host, port, deadline).and_then(|a| connect_any(&a, deadline)) {
        Ok(tcp) => {
            let _ = tcp.shutdown(std::net::Shutdown::Both);
            PortOutcome::Open
        }
        Err(NetError::Refused { .. }) => PortOutcome::Refused,
        Err(NetError::Timeout { .. }) => PortOutcome::Timeout,
        Err(NetError::Dns { .. }) => PortOutcome::NoHost,
        Err(_) => PortOutcome::Unreachable,
    };
    let ms = start.elapsed().as_millis() as u64;
    transcript.tap(&format!("smtp:{port}")).note(&format!(
        "TCP connect to {host}:{port}: {outcome:?} ({ms} ms)"
    ));
    PortProbe { port, outcome, ms }
}
