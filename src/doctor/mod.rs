//! Guided troubleshooting: probe each layer of both servers of an account
//! (and the usual SMTP ports) at once, under one deadline, then turn what
//! was seen into findings a person can act on (`findings`, a pure function).
//!
//! Every line exchanged goes into a `Transcript`, credentials redacted.

pub mod bundle;
pub mod bundle_words;
mod context;
mod evidence;
mod findings;
mod from_check;
mod incoming;
mod oauth_signin;
mod ports;
mod replies;
mod smtp;

pub use crate::net::Family;
pub use context::Context;
pub(crate) use evidence::families_words as family_words;
pub use findings::{
    Code, Finding, Severity, coded_findings, coded_findings_in, findings, findings_in,
};
pub use from_check::{findings_from_check, findings_from_send};
pub use oauth_signin::oauth_sign_in_finding;
pub use ports::{
    FamilyProbe, PORTS_ENV, PortOutcome, PortProbe, SMTP_PORTS, parse_ports, record_smtp_ports,
};

use crate::account::{Account, Security};
use crate::check::Side;
use crate::net::{CertInfo, Deadline, NetError, Reply, Transcript, Wire};
use crate::secret::Secret;
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct DoctorOptions {
    /// The whole run, every probe included.
    pub timeout: Duration,
    /// Optional recipient for MAIL FROM / RCPT TO / RSET (nothing is sent).
    pub rcpt: Option<String>,
    /// Also probe the `smtp_ports` on the SMTP host.
    pub probe_ports: bool,
    /// The usual SMTP ports (`SMTP_PORTS`: 465, 587, 25), or the face's
    /// replacement for tests on loopback (`PORTS_ENV`, see `parse_ports`;
    /// the default is what the face recorded with `record_smtp_ports`).
    pub smtp_ports: Vec<u16>,
    /// Raised by the user (the TUI's Esc): every probe stops at its next step.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for DoctorOptions {
    fn default() -> Self {
        DoctorOptions {
            timeout: Duration::from_secs(15),
            rcpt: None,
            probe_ports: true,
            smtp_ports: ports::recorded_smtp_ports(),
            cancel: None,
        }
    }
}

/// One login attempt: who, and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoginTrial {
    pub user: String,
    pub ok: bool,
    pub error: Option<NetError>,
}

/// What one server showed, layer by layer, up to the first failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerProbe {
    pub server: Side,
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The protocol the account expects here.
    pub expected: Wire,
    /// The protocol that greeted, when something did.
    pub answered: Option<Wire>,
    pub greeting: Option<String>,
    pub capabilities: Vec<String>,
    pub cert: Option<CertInfo>,
    /// Whether the account logs in at all (password stored and needed).
    pub login_needed: bool,
    /// The account signs in with OAuth2 (XOAUTH2 / OAUTHBEARER).
    pub oauth2: bool,
    /// One TCP connect per address family, side by side (issue 14.8).
    pub families: Vec<FamilyProbe>,
    pub login: Option<LoginTrial>,
    /// The other login form (address vs local part), tried after a refusal.
    pub other_login: Option<LoginTrial>,
    /// SMTP only: the replies to MAIL FROM and RCPT TO.
    pub mail_from: Option<Reply>,
    pub rcpt_to: Option<Reply>,
    /// The failure that ended the probe (a login refusal stays here only
    /// when the other login form failed too).
    pub error: Option<NetError>,
    pub ms: u64,
}

impl ServerProbe {
    pub(crate) fn new(
        server: Side,
        host: &str,
        port: u16,
        security: Security,
        expected: Wire,
    ) -> ServerProbe {
        ServerProbe {
            server,
            host: host.to_string(),
            port,
            security,
            expected,
            answered: None,
            greeting: None,
            capabilities: Vec::new(),
            cert: None,
            login_needed: false,
            oauth2: false,
            families: Vec::new(),
            login: None,
            other_login: None,
            mail_from: None,
            rcpt_to: None,
            error: None,
            ms: 0,
        }
    }

    /// Records the failure, keeping what it tells (certificate, protocol).
    pub(crate) fn fail(&mut self, e: NetError) {
        if let NetError::Tls(t) = &e
            && let Some(c) = &t.cert
        {
            self.cert = Some((**c).clone());
        }
        if let NetError::WrongProtocol {
            found, greeting, ..
        } = &e
        {
            self.answered = Some(*found);
            self.greeting = Some(greeting.clone());
        }
        self.error = Some(e);
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
    pub incoming: ServerProbe,
    pub smtp: ServerProbe,
    pub smtp_ports: Vec<PortProbe>,
    pub elapsed_ms: u64,
    #[serde(skip)]
    pub transcript: Transcript,
}

/// The passwords to try; `None` where the account has none to use.
pub struct Passwords<'a> {
    pub incoming: Option<&'a Secret>,
    pub smtp: Option<&'a Secret>,
}

/// Every probe at once; returns within `opts.timeout` (plus a little for
/// threads to notice), whatever the servers do.
pub fn run(acct: &Account, pw: Passwords<'_>, opts: &DoctorOptions) -> DoctorReport {
    let start = Instant::now();
    let transcript = Transcript::new();
    let deadline = Deadline::after(opts.timeout, opts.cancel.clone());
    let ports_deadline = Deadline::after(
        opts.timeout.min(Duration::from_secs(5)),
        opts.cancel.clone(),
    );
    let (incoming, smtp, smtp_ports) = std::thread::scope(|scope| {
        let t = &transcript;
        let d = &deadline;
        let pd = &ports_deadline;
        let in_families =
            scope.spawn(move || ports::families(&acct.incoming.host, acct.incoming.port, pd, t));
        let smtp_families =
            scope.spawn(move || ports::families(&acct.smtp.host, acct.smtp.port, pd, t));
        let smtp = scope.spawn(move || smtp::probe(acct, pw.smtp, opts.rcpt.as_deref(), d, t));
        let ports = scope.spawn(|| {
            if opts.probe_ports {
                ports::probe(
                    &acct.smtp.host,
                    &opts.smtp_ports,
                    &ports_deadline,
                    &transcript,
                )
            } else {
                Vec::new()
            }
        });
        let incoming = incoming::probe(acct, pw.incoming, &deadline, &transcript);
        let smtp = smtp.join().unwrap_or_else(|_| {
            let mut p = ServerProbe::new(
                Side::Smtp,
                &acct.smtp.host,
                acct.smtp.port,
                acct.smtp.security,
                Wire::Smtp,
            );
            p.fail(NetError::Io {
                phase: crate::net::Phase::Connect,
                cause: crate::net::IoCause::Internal,
            });
            p
        });
        let mut incoming = incoming;
        let mut smtp = smtp;
        incoming.families = in_families.join().unwrap_or_default();
        smtp.families = smtp_families.join().unwrap_or_default();
        (incoming, smtp, ports.join().unwrap_or_default())
    });
    DoctorReport {
        incoming,
        smtp,
        smtp_ports,
        elapsed_ms: start.elapsed().as_millis() as u64,
        transcript,
    }
}
