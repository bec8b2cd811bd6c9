//! The usual SMTP ports on the SMTP host, all at once: an internet
//! provider that blocks port 25 (or 465/587) shows here.
//!
//! Tests on loopback cannot own ports 465/587/25, so the face may replace
//! the list (`DoctorOptions::smtp_ports`, from the environment variable
//! `MAILWIZ_DOCTOR_SMTP_PORTS`, comma-separated, e.g. `10465,10587,10002`,
//! read by [`parse_ports`]; anything unparsable is ignored).

use crate::net::{Deadline, Family, NetError, Transcript, connect_any, resolve};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

pub const SMTP_PORTS: [u16; 3] = [465, 587, 25];

/// The environment variable whose list replaces `SMTP_PORTS` (for tests
/// on loopback); the face reads it.
pub const PORTS_ENV: &str = "MAILWIZ_DOCTOR_SMTP_PORTS";

/// The ports the face replaced `SMTP_PORTS` with, recorded once at
/// start-up so every `DoctorOptions::default()` probes them (the core
/// reads no environment).
static RECORDED: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();

/// Records, once, the ports every later doctor run probes by default.
pub fn record_smtp_ports(ports: Vec<u16>) {
    let _ = RECORDED.set(ports);
}

/// The recorded ports, else `SMTP_PORTS`.
pub(super) fn recorded_smtp_ports() -> Vec<u16> {
    RECORDED
        .get()
        .cloned()
        .unwrap_or_else(|| SMTP_PORTS.to_vec())
}

/// The ports a comma-separated list names (`PORTS_ENV`'s value); None when
/// it names none, so the usual `SMTP_PORTS` are probed.
pub fn parse_ports(text: Option<&str>) -> Option<Vec<u16>> {
    let ports: Vec<u16> = text?
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .filter(|p| *p != 0)
        .collect();
    (!ports.is_empty()).then_some(ports)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortOutcome {
    Open,
    Refused,
    Timeout,
    Unreachable,
    /// The host name could not be resolved (then every port says so).
    NoHost,
}

impl PortOutcome {
    /// The words for what a port probe found (`doctor.cli.port.<outcome>`).
    pub fn i18n_key(self) -> &'static str {
        match self {
            PortOutcome::Open => "doctor.cli.port.open",
            PortOutcome::Refused => "doctor.cli.port.refused",
            PortOutcome::Timeout => "doctor.cli.port.timeout",
            PortOutcome::Unreachable => "doctor.cli.port.unreachable",
            PortOutcome::NoHost => "doctor.cli.port.no_host",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortProbe {
    pub port: u16,
    pub outcome: PortOutcome,
    pub ms: u64,
}

pub(super) fn probe(
    host: &str,
    ports: &[u16],
    deadline: &Deadline,
    transcript: &Transcript,
) -> Vec<PortProbe> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = ports
            .iter()
            .map(|&port| scope.spawn(move || one(host, port, deadline, transcript)))
            .collect();
        handles
            .into_iter()
            .zip(ports.iter().copied())
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
    let outcome = outcome_of(resolve(host, port, deadline).and_then(|a| connect_any(&a, deadline)));
    let ms = start.elapsed().as_millis() as u64;
    transcript.tap(&format!("smtp:{port}")).note(&format!(
        "TCP connect to {host}:{port}: {outcome:?} ({ms} ms)"
    ));
    PortProbe { port, outcome, ms }
}

fn outcome_of(r: Result<std::net::TcpStream, NetError>) -> PortOutcome {
    match r {
        Ok(tcp) => {
            let _ = tcp.shutdown(std::net::Shutdown::Both);
            PortOutcome::Open
        }
        Err(NetError::Refused { .. }) => PortOutcome::Refused,
        Err(NetError::Timeout { .. }) => PortOutcome::Timeout,
        Err(NetError::Dns { .. }) => PortOutcome::NoHost,
        Err(_) => PortOutcome::Unreachable,
    }
}

/// One address family of a server: the addresses the name resolved to in
/// that family, and a TCP connect to the first of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyProbe {
    pub family: Family,
    /// The DNS answers of this family.
    pub addresses: Vec<String>,
    /// The address tried (the first answer).
    pub addr: String,
    pub outcome: PortOutcome,
    pub ms: u64,
}

/// Each address family of `host` on its own, side by side, so a broken
/// IPv6 route shows even when Happy Eyeballs hides it behind IPv4.
pub(super) fn families(
    host: &str,
    port: u16,
    deadline: &Deadline,
    transcript: &Transcript,
) -> Vec<FamilyProbe> {
    let Ok(addrs) = resolve(host, port, deadline) else {
        return Vec::new();
    };
    let groups: Vec<(Family, Vec<SocketAddr>)> = [Family::Ipv6, Family::Ipv4]
        .into_iter()
        .map(|f| {
            (
                f,
                addrs
                    .iter()
                    .copied()
                    .filter(|a| Family::of(a) == f)
                    .collect(),
            )
        })
        .filter(|(_, list): &(Family, Vec<SocketAddr>)| !list.is_empty())
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .iter()
            .map(|(family, list)| scope.spawn(move || family_one(*family, list, deadline)))
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .inspect(|p| {
                transcript.tap(&format!("connect:{port}")).note(&format!(
                    "{} TCP connect to {}: {:?} ({} ms)",
                    p.family.name(),
                    p.addr,
                    p.outcome,
                    p.ms
                ));
            })
            .collect()
    })
}

fn family_one(family: Family, list: &[SocketAddr], deadline: &Deadline) -> FamilyProbe {
    let start = std::time::Instant::now();
    let outcome = outcome_of(connect_any(&list[..1], deadline));
    FamilyProbe {
        family,
        addresses: list.iter().map(|a| a.ip().to_string()).collect(),
        addr: list[0].to_string(),
        outcome,
        ms: start.elapsed().as_millis() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_ports;

    #[test]
    fn the_port_list_can_be_replaced() {
        assert_eq!(parse_ports(None), None);
        assert_eq!(parse_ports(Some("")), None);
        assert_eq!(parse_ports(Some("x, 0")), None);
        assert_eq!(
            parse_ports(Some("10465, 10587,x,10002")),
            Some(vec![10465, 10587, 10002])
        );
    }
}
