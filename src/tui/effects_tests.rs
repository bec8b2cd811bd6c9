//! The runner dispatches each mail effect to its use case and sends the
//! progress and the result back, tagged with the request's id.

use super::*;
use crate::account::{IncomingServer, Protocol, SecretSource, Security, SmtpServer};
use crate::net::NetError;
use crate::secret::Secret;
use std::sync::mpsc::{Receiver, channel};

/// An account whose servers are a loopback port nothing listens on.
fn closed_port_account() -> Account {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    Account {
        name: "runner@example.test".into(),
        email: "runner@example.test".into(),
        display_name: String::new(),
        provider: None,
        incoming: IncomingServer {
            protocol: Protocol::Imap,
            host: "127.0.0.1".into(),
            port,
            security: Security::Tls,
            username: "runner@example.test".into(),
            auth: crate::account::AuthMethod::Password,
            keep_on_server: true,
            pinned_sha256: None,
        },
        smtp: SmtpServer {
            host: "127.0.0.1".into(),
            port,
            security: Security::Tls,
            auth_required: true,
            username: "runner@example.test".into(),
            same_password: true,
            pinned_sha256: None,
        },
        ca_file: None,
        secrets: SecretSource::default(),
        oauth2: None,
    }
}

/// Every message up to the first that is not `Progress`, which is returned
/// with the side of each progress message before it.
fn outcome(rx: &Receiver<Msg>) -> (Vec<Side>, Msg) {
    let mut progress = Vec::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Msg::Progress { id: 7, progress: p }) => progress.push(match p {
                check::Progress::Started { side, .. } | check::Progress::Finished { side, .. } => {
                    side
                }
            }),
            Ok(other) => return (progress, other),
            Err(e) => panic!("no result from the runner: {e}"),
        }
    }
}

#[test]
fn a_check_runs_its_use_case_and_reports_with_the_request_id() {
    let (tx, rx) = channel();
    let runner = Runner::new(tx);
    let effect = Effect::CheckSmtp {
        id: 7,
        account: Box::new(closed_port_account()),
        password: Some(Secret::new("typed")),
    };
    assert!(runner.run(effect, Lang::En));
    match outcome(&rx) {
        (sides, Msg::Checked { id: 7, report }) => {
            assert!(sides.len() >= 2, "no progress before the result");
            assert!(sides.iter().all(|s| *s == Side::Smtp), "{sides:?}");
            assert!(
                matches!(report.error, Some(NetError::Refused { .. })),
                "{report:?}"
            );
        }
        (_, other) => panic!("not a check result: {other:?}"),
    }
}

#[test]
fn a_missing_password_fails_with_its_reason_before_any_server() {
    let (tx, rx) = channel();
    let runner = Runner::new(tx);
    let mut account = closed_port_account();
    account.secrets.password_command = Some("exit 3".into());
    let effect = Effect::SendTest {
        id: 7,
        account: Box::new(account),
        to: "runner@example.test".into(),
        password: None,
    };
    assert!(runner.run(effect, Lang::Fr));
    match outcome(&rx) {
        (sides, Msg::NoSecret { id: 7, error, .. }) if sides.is_empty() => {
            // Typed: the exit code itself, localised by the screen.
            assert!(
                matches!(
                    error,
                    crate::credentials::CredentialError::Password(SecretsError::Command {
                        failure: crate::secrets::CommandFailure::Exit { code: 3 }
                    })
                ),
                "{error:?}"
            );
        }
        (steps, other) => panic!("progress {steps:?}, then {other:?}"),
    }
}

#[test]
fn a_task_that_panics_comes_back_as_failed_with_its_words_and_place() {
    let (tx, rx) = channel();
    let runner = Runner::new(tx);
    runner.spawn_task(7, |_, _| panic!("index out of range: boom"));
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Msg::Failed { id: 7, detail }) => {
            assert!(detail.starts_with("index out of range: boom ("), "{detail}");
            assert!(detail.contains("effects_tests.rs:"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    // A payload that is not text: the place alone.
    runner.spawn_task(8, |_, _| std::panic::panic_any(42_u8));
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Msg::Failed { id: 8, detail }) => {
            assert!(detail.contains("effects_tests.rs:"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    assert!(runner.flags.lock().unwrap().is_empty(), "flags released");
}

#[test]
fn a_transcript_that_cannot_be_written_says_why_in_the_users_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").expect("write");
    // A folder that is a file: the transcript cannot be written there.
    let path = file.join("transcript.txt");
    match save_transcript(7, path, "text".into(), Lang::Fr) {
        Msg::TranscriptSaved {
            id: 7,
            result: Err(why),
            ..
        } => {
            assert!(!why.contains("os error"), "the OS's English: {why}");
            assert!(!why.contains("directory"), "English: {why}");
            // create_dir_all on a file: "it already exists", in French.
            assert_eq!(why, crate::i18n::t(Lang::Fr, "net.io.already_exists"));
        }
        other => panic!("{other:?}"),
    }
}
