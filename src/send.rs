//! The test message: built with lettre (`Message::formatted()`), sent
//! through mailwiz's own bounded SMTP session (`net::SmtpSession`, the one
//! the check and the doctor use), then looked for in the account's own
//! mailbox.
//!
//! Why not lettre's transport: its reply reader (`SmtpConnection::
//! read_response`) calls `BufRead::read_line` with no size bound and a
//! per-read socket timeout, so an endless line grows memory without limit
//! and a trickling server outlives any deadline; after STARTTLS it keeps
//! plaintext buffered before the handshake and reads it as if protected.
//! One session also gives the send the same transcript, pinning verifier
//! and typed errors as the check.

use crate::account::{Account, Protocol, domain_of};
use crate::check::{CheckOptions, Incoming, Progress, Side, StepRecord, Tracker, open_smtp};
use crate::net::{Deadline, NetError, NoSteps, Phase, Problem, Reply};
use crate::secret::Secret;
use lettre::message::{Mailbox, Message, header::ContentType};
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestMessage {
    /// 12 hex digits, also in the subject so the arrival check can find it.
    pub id: String,
    pub subject: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SendReport {
    pub ok: bool,
    pub steps: Vec<StepRecord>,
    /// The server's last reply, e.g. `250 2.0.0 Ok: queued as …`.
    pub reply: Option<Reply>,
    pub error: Option<NetError>,
    pub message_id: String,
    pub subject: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub found: bool,
    pub elapsed_ms: u64,
    pub error: Option<NetError>,
    pub polls: u32,
}

fn random_id() -> String {
    crate::random::hex(6)
}

pub fn new_test_message(acct: &Account, to: Option<&str>) -> TestMessage {
    let id = random_id();
    TestMessage {
        subject: format!("mailwiz test {id}"),
        to: to
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(&acct.email)
            .to_string(),
        id,
    }
}

fn message_id(acct: &Account, msg: &TestMessage) -> String {
    let domain = domain_of(&acct.email);
    let domain = if domain.is_empty() {
        "mailwiz.invalid"
    } else {
        domain
    };
    format!("<mailwiz-{}@{domain}>", msg.id)
}

const BODY: &str = "This is a test message sent by mailwiz to check that this account can send mail.\n\
You can delete it.\n\n\
Ceci est un message de test envoyé par mailwiz pour vérifier que ce compte peut envoyer du courrier.\n\
Vous pouvez le supprimer.\n";

/// The RFC 5322 bytes of the test message.
pub fn build_message(acct: &Account, msg: &TestMessage) -> Result<Vec<u8>, NetError> {
    let bad = |phase: Phase, problem: Problem| NetError::Protocol { phase, problem };
    let from_addr = acct
        .email
        .parse()
        .map_err(|e: lettre::address::AddressError| {
            bad(
                Phase::Mail,
                Problem::bad_address(&acct.email, &e.to_string()),
            )
        })?;
    let name = acct.display_name.trim();
    let from = Mailbox::new((!name.is_empty()).then(|| name.to_string()), from_addr);
    let to: Mailbox = msg.to.parse().map_err(|e: lettre::address::AddressError| {
        bad(Phase::Rcpt, Problem::bad_address(&msg.to, &e.to_string()))
    })?;
    let m = Message::builder()
        .from(from)
        .to(to)
        .subject(msg.subject.clone())
        .date_now()
        .message_id(Some(message_id(acct, msg)))
        .header(ContentType::TEXT_PLAIN)
        .body(BODY.to_string())
        .map_err(|e| {
            bad(
                Phase::Data,
                Problem::BadMessage {
                    said: crate::net::clean_text(e.to_string().as_bytes()),
                },
            )
        })?;
    Ok(m.formatted())
}

pub fn send_test(
    acct: &Account,
    msg: &TestMessage,
    smtp_pw: Option<&Secret>,
    opts: &CheckOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> SendReport {
    let mut t = Tracker::new(Side::Smtp, progress);
    let deadline = opts.deadline();
    let mut reply = None;
    let error = (|| {
        let bytes = build_message(acct, msg)?;
        let mut s = open_smtp(acct, smtp_pw, &deadline, &mut t)?;
        match s.send(&acct.email, &msg.to, &bytes, &mut t) {
            Ok(r) => {
                reply = Some(r);
                // The message is queued; a failed QUIT does not undo that.
                let _ = s.quit(&mut t);
                Ok(())
            }
            Err(e) => {
                if let Some(r) = e.reply() {
                    reply = Some(r.clone());
                }
                let _ = s.quit(&mut t);
                Err(e)
            }
        }
    })()
    .err();
    SendReport {
        ok: error.is_none(),
        steps: t.steps,
        reply,
        error,
        message_id: message_id(acct, msg),
        subject: msg.subject.clone(),
        to: msg.to.clone(),
    }
}

/// Errors that another poll cannot fix.
fn fatal(e: &NetError) -> bool {
    !matches!(
        e,
        NetError::Timeout { .. } | NetError::Io { .. } | NetError::Refused { .. }
    )
}

pub fn verify_arrival(
    acct: &Account,
    subject_id: &str,
    incoming_pw: Option<&Secret>,
    deadline: Duration,
    cancel: Option<Arc<AtomicBool>>,
) -> VerifyReport {
    let start = Instant::now();
    let d = Deadline::after(deadline, cancel);
    let mut polls = 0;
    let mut session: Option<Incoming> = None;
    let mut last_error = None;
    let outcome = loop {
        if let Err(e) = d.check_cancel() {
            break Err(e);
        }
        if d.left().is_zero() {
            break Ok(false);
        }
        polls += 1;
        let result = (|| {
            if session.is_none() {
                session = Some(Incoming::open(acct, incoming_pw, &d, &mut NoSteps)?);
            }
            let found = match session.as_mut() {
                Some(Incoming::Imap(i)) => i.search_subject(subject_id),
                Some(Incoming::Pop3(p)) => p.search_subject(subject_id, 20),
                None => Ok(false),
            };
            // POP3 sees a fixed snapshot of the mailbox per login.
            if (acct.incoming.protocol == Protocol::Pop3 || found.is_err())
                && let Some(mut s) = session.take()
            {
                let _ = s.close(&mut NoSteps);
            }
            found
        })();
        match result {
            Ok(true) => break Ok(true),
            Ok(false) => last_error = None,
            Err(e) if fatal(&e) => break Err(e),
            Err(e) => last_error = Some(e),
        }
        let pause = Duration::from_millis(300).min(d.left());
        std::thread::sleep(pause);
    };
    if let Some(mut s) = session.take() {
        let _ = s.close(&mut NoSteps);
    }
    let (found, error) = match outcome {
        Ok(found) => (
            found,
            if found {
                None
            } else {
                last_error.filter(|e| !matches!(e, NetError::Timeout { .. }))
            },
        ),
        Err(e) => (false, Some(e)),
    };
    VerifyReport {
        found,
        elapsed_ms: start.elapsed().as_millis() as u64,
        error,
        polls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::*;

    pub fn account() -> Account {
        Account {
            name: "t".into(),
            email: "alice@example.test".into(),
            display_name: "Alice Liddell".into(),
            provider: None,
            incoming: IncomingServer {
                protocol: Protocol::Imap,
                host: "127.0.0.1".into(),
                port: 143,
                security: Security::Starttls,
                username: "alice@example.test".into(),
                auth: AuthMethod::Password,
                keep_on_server: true,
                pinned_sha256: None,
            },
            smtp: SmtpServer {
                host: "127.0.0.1".into(),
                port: 587,
                security: Security::Starttls,
                auth_required: true,
                username: "alice@example.test".into(),
                same_password: true,
                pinned_sha256: None,
            },
            ca_file: None,
            secrets: SecretSource::default(),
            oauth2: None,
        }
    }

    #[test]
    fn test_messages_are_unique_and_complete() {
        let a = account();
        let m1 = new_test_message(&a, None);
        let m2 = new_test_message(&a, Some("bob@example.test"));
        assert_eq!(m1.id.len(), 12);
        assert_ne!(m1.id, m2.id);
        assert_eq!(m1.subject, format!("mailwiz test {}", m1.id));
        assert_eq!(m1.to, "alice@example.test");
        assert_eq!(m2.to, "bob@example.test");
        let bytes = String::from_utf8(build_message(&a, &m1).unwrap()).unwrap();
        assert!(bytes.contains(&format!("Subject: mailwiz test {}", m1.id)));
        assert!(
            bytes.contains("From: \"Alice Liddell\" <alice@example.test>")
                || bytes.contains("From: Alice Liddell <alice@example.test>")
        );
        assert!(bytes.contains(&format!("Message-ID: <mailwiz-{}@example.test>", m1.id)));
        assert!(bytes.contains("Date: "));
        assert!(bytes.is_ascii());
    }
}
