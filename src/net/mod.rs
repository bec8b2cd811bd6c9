//! Talking to mail servers: TLS with verified certificates (plus an
//! optional pinned fingerprint), deadlines on every step, and the IMAP, POP3
//! and SMTP dialogues the check, the test send and the arrival check share.
//!
//! Submodules stay private; the flat API below is what the faces use.

mod cert;
mod connect;
mod error;
mod imap;
mod imap_folders; // issue 14.6: LIST special-use, NAMESPACE, CREATE for exports
mod imap_parse;
mod pop3;
pub mod sasl;
mod smtp;
mod smtp_auth;
mod smtp_data;
mod smtp_reply;
mod step_detail;
mod stream;
mod timed;
mod tls;
mod transcript;

pub use cert::{CertInfo, sha256_hex};
pub use connect::{Family, connect_any, force_family, forced_family, resolve, use_dns_server};
pub use error::{
    DnsCause, IoCause, Limit, NetError, Problem, Reply, TlsError, TlsKind, Wire, io_kind_words,
};
pub use imap::ImapSession;
pub use pop3::Pop3Session;
pub use smtp::SmtpSession;
pub use step_detail::{StepDetail, StepNote};
pub use stream::{
    Conn, MAX_LINE, MAX_LITERAL, MAX_RESPONSE_BYTES, MAX_RESPONSE_LINES, Opened, open_traced,
};
pub use tls::TlsSetup;
pub use transcript::{Direction, Tap, Transcript, TranscriptLine, redact_login};

use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The steps of a dialogue with a server, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Resolve,
    Connect,
    Tls,
    Greeting,
    Capabilities,
    Starttls,
    Login,
    Mail,
    Rcpt,
    Data,
    Search,
    Logout,
}

impl Phase {
    pub const ALL: [Phase; 12] = [
        Phase::Resolve,
        Phase::Connect,
        Phase::Tls,
        Phase::Greeting,
        Phase::Capabilities,
        Phase::Starttls,
        Phase::Login,
        Phase::Mail,
        Phase::Rcpt,
        Phase::Data,
        Phase::Search,
        Phase::Logout,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Resolve => "resolve",
            Phase::Connect => "connect",
            Phase::Tls => "tls",
            Phase::Greeting => "greeting",
            Phase::Capabilities => "capabilities",
            Phase::Starttls => "starttls",
            Phase::Login => "login",
            Phase::Mail => "mail",
            Phase::Rcpt => "rcpt",
            Phase::Data => "data",
            Phase::Search => "search",
            Phase::Logout => "logout",
        }
    }

    /// The step's name (`net.phase.<name>`).
    pub fn i18n_key(self) -> &'static str {
        match self {
            Phase::Resolve => "net.phase.resolve",
            Phase::Connect => "net.phase.connect",
            Phase::Tls => "net.phase.tls",
            Phase::Greeting => "net.phase.greeting",
            Phase::Capabilities => "net.phase.capabilities",
            Phase::Starttls => "net.phase.starttls",
            Phase::Login => "net.phase.login",
            Phase::Mail => "net.phase.mail",
            Phase::Rcpt => "net.phase.rcpt",
            Phase::Data => "net.phase.data",
            Phase::Search => "net.phase.search",
            Phase::Logout => "net.phase.logout",
        }
    }

    pub fn localized(self, lang: crate::i18n::Lang) -> &'static str {
        crate::i18n::t(lang, self.i18n_key())
    }
}

/// The end of the time allowed for one server, plus the user's cancel flag.
#[derive(Debug, Clone)]
pub struct Deadline {
    end: Instant,
    cancel: Option<Arc<AtomicBool>>,
}

impl Deadline {
    pub fn after(limit: Duration, cancel: Option<Arc<AtomicBool>>) -> Self {
        Deadline {
            end: Instant::now() + limit,
            cancel,
        }
    }

    /// Time left, or `Timeout` in `phase` when none is left.
    pub fn remaining(&self, phase: Phase) -> Result<Duration, NetError> {
        let left = self.end.saturating_duration_since(Instant::now());
        if left < Duration::from_millis(1) {
            Err(NetError::Timeout { phase })
        } else {
            Ok(left)
        }
    }

    pub fn left(&self) -> Duration {
        self.end.saturating_duration_since(Instant::now())
    }

    /// `Cancelled` once the user asked to stop; checked between steps.
    pub fn check_cancel(&self) -> Result<(), NetError> {
        match &self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(NetError::Cancelled),
            _ => Ok(()),
        }
    }

    pub fn cancel_flag(&self) -> Option<Arc<AtomicBool>> {
        self.cancel.clone()
    }
}

/// Where a session reports each finished step. `check` turns these into
/// `Progress` messages and `StepRecord`s.
pub trait StepSink {
    fn started(&mut self, phase: Phase);
    fn finished(&mut self, phase: Phase, ok: bool, detail: StepDetail, ms: u64);
}

/// A sink that keeps nothing, for callers that only want the result.
pub struct NoSteps;

impl StepSink for NoSteps {
    fn started(&mut self, _: Phase) {}
    fn finished(&mut self, _: Phase, _: bool, _: StepDetail, _: u64) {}
}

/// Runs one step: announces it, times it, records its outcome (the detail
/// on success, the typed error on failure), and checks the cancel flag
/// first.
pub fn step<T>(
    sink: &mut dyn StepSink,
    deadline: &Deadline,
    phase: Phase,
    f: impl FnOnce() -> Result<(T, StepDetail), NetError>,
) -> Result<T, NetError> {
    deadline.check_cancel()?;
    sink.started(phase);
    let start = Instant::now();
    let out = f();
    let ms = start.elapsed().as_millis() as u64;
    match out {
        Ok((value, detail)) => {
            sink.finished(phase, true, detail, ms);
            Ok(value)
        }
        Err(e) => {
            sink.finished(phase, false, StepDetail::Error { error: e.clone() }, ms);
            Err(e)
        }
    }
}

/// A server's text, made safe to show: control characters dropped, length
/// bounded.
pub fn clean_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text
        .trim_end_matches(['\r', '\n'])
        .chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .take(300)
        .collect();
    if text.chars().count() > 300 {
        out.push('…');
    }
    out
}
