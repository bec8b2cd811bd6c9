//! The account check: both servers at once, step by step, with a typed
//! error a diagnosis can match. Runs on a background thread; each step is
//! reported through `progress` as it starts and ends.

use crate::account::{Account, AuthMethod, Protocol, Role};
use crate::net::{
    CertInfo, Deadline, ImapSession, NetError, Phase, Pop3Session, SmtpSession, StepDetail,
    StepNote, StepSink, TlsSetup,
};
use crate::secret::Secret;
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// For each server, all steps together.
    pub timeout: Duration,
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            timeout: Duration::from_secs(10),
            cancel: None,
        }
    }
}

impl CheckOptions {
    pub fn deadline(&self) -> Deadline {
        Deadline::after(self.timeout, self.cancel.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Incoming,
    Smtp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRecord {
    pub phase: Phase,
    pub ok: bool,
    /// What the step saw: capabilities, TLS version and certificate, the
    /// server's reply, why it was skipped, or the typed error.
    pub detail: StepDetail,
    pub ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Started { side: Side, phase: Phase },
    Finished { side: Side, step: StepRecord },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerReport {
    pub ok: bool,
    pub steps: Vec<StepRecord>,
    pub error: Option<NetError>,
    pub capabilities: Vec<String>,
    pub cert: Option<CertInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    pub incoming: ServerReport,
    pub smtp: ServerReport,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.incoming.ok && self.smtp.ok
    }
}

/// Collects steps and forwards them as `Progress`.
pub struct Tracker<'a> {
    side: Side,
    progress: &'a (dyn Fn(Progress) + Sync),
    pub steps: Vec<StepRecord>,
}

impl<'a> Tracker<'a> {
    pub fn new(side: Side, progress: &'a (dyn Fn(Progress) + Sync)) -> Self {
        Tracker {
            side,
            progress,
            steps: Vec::new(),
        }
    }

    /// A step that did not need the network (e.g. login skipped).
    pub fn note(&mut self, phase: Phase, note: StepNote) {
        self.started(phase);
        self.finished(phase, true, StepDetail::note(note), 0);
    }

    pub fn report(
        self,
        error: Option<NetError>,
        capabilities: Vec<String>,
        cert: Option<CertInfo>,
    ) -> ServerReport {
        let cert = cert.or_else(|| match &error {
            Some(NetError::Tls(t)) => t.cert.as_deref().cloned(),
            _ => None,
        });
        ServerReport {
            ok: error.is_none(),
            steps: self.steps,
            error,
            capabilities,
            cert,
        }
    }
}

impl StepSink for Tracker<'_> {
    fn started(&mut self, phase: Phase) {
        (self.progress)(Progress::Started {
            side: self.side,
            phase,
        });
    }

    fn finished(&mut self, phase: Phase, ok: bool, detail: StepDetail, ms: u64) {
        let step = StepRecord {
            phase,
            ok,
            detail,
            ms,
        };
        self.steps.push(step.clone());
        (self.progress)(Progress::Finished {
            side: self.side,
            step,
        });
    }
}

/// Why the login step is skipped, if it is.
fn skip_login(auth: AuthMethod, password: Option<&Secret>) -> Option<StepNote> {
    match (auth, password) {
        (AuthMethod::None, _) => Some(StepNote::NoLogin),
        (AuthMethod::Password, None) => Some(StepNote::NoPassword),
        (AuthMethod::Oauth2, None) => Some(StepNote::NoToken),
        _ => None,
    }
}

/// The incoming session, open and logged in (or login skipped), for the
/// check and the arrival check alike.
pub enum Incoming {
    Imap(ImapSession),
    Pop3(Pop3Session),
}

impl Incoming {
    /// Connected and protected as configured, not logged in yet; every
    /// line is recorded in `tap` when given.
    pub fn connect(
        acct: &Account,
        deadline: &Deadline,
        t: &mut dyn StepSink,
        tap: Option<crate::net::Tap>,
    ) -> Result<Incoming, NetError> {
        let server = &acct.incoming;
        let setup = TlsSetup::new(&server.host, &acct.trust_for(Role::Incoming))?;
        Ok(match server.protocol {
            Protocol::Imap => {
                Incoming::Imap(ImapSession::connect(server, &setup, deadline, t, tap)?)
            }
            Protocol::Pop3 => {
                Incoming::Pop3(Pop3Session::connect(server, &setup, deadline, t, tap)?)
            }
        })
    }

    pub fn login(&mut self, user: &str, pw: &Secret, t: &mut dyn StepSink) -> Result<(), NetError> {
        match self {
            Incoming::Imap(i) => i.login(user, pw, t),
            Incoming::Pop3(p) => p.login(user, pw, t),
        }
    }

    /// Logs in with an OAuth2 access token (XOAUTH2, else OAUTHBEARER,
    /// unless `mechanism` says which).
    pub fn login_oauth(
        &mut self,
        user: &str,
        token: &Secret,
        mechanism: Option<crate::oauth::OauthMechanism>,
        t: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        match self {
            Incoming::Imap(i) => i.login_oauth(user, token, mechanism, t),
            Incoming::Pop3(p) => p.login_oauth(user, token, mechanism, t),
        }
    }

    /// Connected and logged in (or the login skipped, with the reason as
    /// a step), for the check and the arrival check alike.
    pub fn open(
        acct: &Account,
        password: Option<&Secret>,
        deadline: &Deadline,
        t: &mut dyn StepSink,
    ) -> Result<Incoming, NetError> {
        let server = &acct.incoming;
        let mut s = Self::connect(acct, deadline, t, None)?;
        match (skip_login(server.auth, password), password) {
            (None, Some(token)) if server.auth == AuthMethod::Oauth2 => {
                s.login_oauth(&server.username, token, None, t)?;
            }
            (None, Some(pw)) => s.login(&server.username, pw, t)?,
            (reason, _) => {
                let reason = reason.unwrap_or(StepNote::NoPassword);
                t.started(Phase::Login);
                t.finished(Phase::Login, true, StepDetail::note(reason), 0);
            }
        }
        Ok(s)
    }

    pub fn capabilities(&self) -> Vec<String> {
        match self {
            Incoming::Imap(i) => i.capabilities.clone(),
            Incoming::Pop3(p) => p.capability_list(),
        }
    }

    pub fn cert(&self) -> Option<CertInfo> {
        match self {
            Incoming::Imap(i) => i.cert.clone(),
            Incoming::Pop3(p) => p.cert.clone(),
        }
    }

    pub fn close(&mut self, t: &mut dyn StepSink) -> Result<(), NetError> {
        match self {
            Incoming::Imap(i) => i.logout(t),
            Incoming::Pop3(p) => p.quit(t),
        }
    }
}

pub fn check_incoming(
    acct: &Account,
    password: Option<&Secret>,
    opts: &CheckOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> ServerReport {
    let mut t = Tracker::new(Side::Incoming, progress);
    let deadline = opts.deadline();
    match Incoming::open(acct, password, &deadline, &mut t) {
        Ok(mut s) => {
            let error = s.close(&mut t).err();
            let (caps, cert) = (s.capabilities(), s.cert());
            t.report(error, caps, cert)
        }
        Err(e) => t.report(Some(e), Vec::new(), None),
    }
}

pub fn check_smtp(
    acct: &Account,
    password: Option<&Secret>,
    opts: &CheckOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> ServerReport {
    let mut t = Tracker::new(Side::Smtp, progress);
    let deadline = opts.deadline();
    match open_smtp(acct, password, &deadline, &mut t) {
        Ok(mut s) => {
            let error = s.quit(&mut t).err();
            let (caps, cert) = (s.capabilities.clone(), s.cert.clone());
            t.report(error, caps, cert)
        }
        Err(e) => t.report(Some(e), Vec::new(), None),
    }
}

/// The SMTP session, open and authenticated when the account needs it.
pub fn open_smtp(
    acct: &Account,
    password: Option<&Secret>,
    deadline: &Deadline,
    t: &mut dyn StepSink,
) -> Result<SmtpSession, NetError> {
    let server = &acct.smtp;
    let setup = TlsSetup::new(&server.host, &acct.trust_for(Role::Smtp))?;
    let mut s = SmtpSession::connect(server, &setup, deadline, t, None)?;
    let result = if !server.auth_required {
        t.started(Phase::Login);
        t.finished(
            Phase::Login,
            true,
            StepDetail::note(StepNote::ServerNeedsNoLogin),
            0,
        );
        Ok(())
    } else if let Some(pw) = password {
        // An OAuth2 account signs in to SMTP with the same access token.
        if acct.signs_in_with_oauth2() {
            s.login_oauth(&server.username, pw, t)
        } else {
            s.login(&server.username, pw, t)
        }
    } else {
        t.started(Phase::Login);
        t.finished(
            Phase::Login,
            true,
            StepDetail::note(StepNote::NoPassword),
            0,
        );
        Ok(())
    };
    match result {
        Ok(()) => Ok(s),
        Err(e) => {
            s.abort();
            Err(e)
        }
    }
}

/// Both servers at once.
pub fn check_account(
    acct: &Account,
    incoming_pw: Option<&Secret>,
    smtp_pw: Option<&Secret>,
    opts: &CheckOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> CheckReport {
    std::thread::scope(|scope| {
        let smtp = scope.spawn(|| check_smtp(acct, smtp_pw, opts, progress));
        let incoming = check_incoming(acct, incoming_pw, opts, progress);
        let smtp = smtp.join().unwrap_or_else(|_| ServerReport {
            ok: false,
            steps: Vec::new(),
            error: Some(NetError::Io {
                phase: Phase::Connect,
                cause: crate::net::IoCause::Internal,
            }),
            capabilities: Vec::new(),
            cert: None,
        });
        CheckReport { incoming, smtp }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_skips() {
        let pw = Secret::new("x");
        assert!(skip_login(AuthMethod::None, Some(&pw)).is_some());
        assert!(skip_login(AuthMethod::Password, None).is_some());
        assert!(skip_login(AuthMethod::Password, Some(&pw)).is_none());
    }

    #[test]
    fn tracker_forwards_progress() {
        let seen = std::sync::Mutex::new(Vec::new());
        let f = |p: Progress| seen.lock().unwrap().push(p);
        let mut t = Tracker::new(Side::Smtp, &f);
        t.note(Phase::Login, StepNote::NoPassword);
        let r = t.report(None, vec![], None);
        assert!(r.ok);
        assert_eq!(r.steps.len(), 1);
        assert_eq!(seen.lock().unwrap().len(), 2);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["steps"][0]["phase"], "login");
        assert_eq!(json["steps"][0]["detail"]["note"], "no_password");
    }
}
