#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! mailwiz's network code against real servers on loopback (Dovecot IMAP,
//! POP3 and submission from `tests/harness`), fault variants included.

mod common;

use common::{MailEnv, mailenv};
use mailwiz::account::*;
use mailwiz::check::{
    CheckOptions, Progress, ServerReport, check_account, check_incoming, check_smtp,
};
use mailwiz::net::{NetError, Phase, TlsKind};
use mailwiz::secret::Secret;
use mailwiz::send::{new_test_message, send_test, verify_arrival};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn none(_: Progress) {}

fn account(env: &MailEnv, user: &str) -> Account {
    let email = env.user(user);
    Account {
        name: user.into(),
        email: email.clone(),
        display_name: "Test User".into(),
        provider: None,
        incoming: IncomingServer {
            protocol: Protocol::Imap,
            host: env.host.clone(),
            port: env.imaps_port,
            security: Security::Tls,
            username: email.clone(),
            auth: AuthMethod::Password,
            keep_on_server: true,
            pinned_sha256: None,
        },
        smtp: SmtpServer {
            host: env.host.clone(),
            port: env.smtp_port,
            security: Security::Starttls,
            auth_required: true,
            username: email,
            same_password: true,
            pinned_sha256: None,
        },
        ca_file: Some(env.ca.display().to_string()),
        secrets: SecretSource::default(),
        oauth2: None,
    }
}

fn incoming(env: &MailEnv, protocol: Protocol, port: u16, security: Security) -> Account {
    let mut a = account(env, "alice");
    a.incoming.protocol = protocol;
    a.incoming.port = port;
    a.incoming.security = security;
    a
}

fn smtp(env: &MailEnv, port: u16, security: Security) -> Account {
    let mut a = account(env, "alice");
    a.smtp.port = port;
    a.smtp.security = security;
    a
}

fn pw(env: &MailEnv) -> Secret {
    Secret::new(env.password.clone())
}

fn opts(secs: u64) -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(secs),
        cancel: None,
    }
}

/// The password must not appear anywhere in what a report holds.
fn assert_no_password<T: serde::Serialize + std::fmt::Debug>(env: &MailEnv, report: &T) {
    let json = serde_json::to_string(report).unwrap();
    let debug = format!("{report:?}");
    for s in [&json, &debug] {
        assert!(!s.contains(&env.password), "password leaked in {s}");
    }
    assert!(
        !json.contains(&base64_plain(env)),
        "credentials leaked (base64) in {json}"
    );
}

fn base64_plain(env: &MailEnv) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(env.password.as_bytes())
}

fn ok(env: &MailEnv, r: &ServerReport) {
    assert_no_password(env, r);
    assert!(r.ok, "{r:#?}");
    assert!(r.steps.iter().all(|s| s.ok), "{r:#?}");
    assert!(
        r.steps.iter().any(|s| s.phase == Phase::Login
            && matches!(s.detail, mailwiz::net::StepDetail::Login { .. })),
        "{r:#?}"
    );
}

fn err(env: &MailEnv, r: &ServerReport) -> NetError {
    assert_no_password(env, r);
    assert!(!r.ok);
    r.error
        .clone()
        .unwrap_or_else(|| panic!("no error in {r:#?}"))
}

#[test]
fn incoming_logins_work() {
    let env = mailenv();
    for (proto, port, sec) in [
        (Protocol::Imap, env.imaps_port, Security::Tls),
        (Protocol::Imap, env.imap_port, Security::Starttls),
        (Protocol::Pop3, env.pop3s_port, Security::Tls),
        (Protocol::Pop3, env.pop3_port, Security::Starttls),
    ] {
        let a = incoming(env, proto, port, sec);
        let t = Instant::now();
        let r = check_incoming(&a, Some(&pw(env)), &opts(10), &none);
        eprintln!("{proto} {sec}: {} ms", t.elapsed().as_millis());
        ok(env, &r);
        assert!(
            r.cert
                .as_ref()
                .unwrap()
                .sans
                .contains(&"127.0.0.1".to_string()),
            "{r:#?}"
        );
        assert!(!r.capabilities.is_empty());
    }
}

#[test]
fn wrong_password_is_auth_failed() {
    let env = mailenv();
    let bad = Secret::new("wrong-password-123");
    for (proto, port, sec) in [
        (Protocol::Imap, env.imaps_port, Security::Tls),
        (Protocol::Pop3, env.pop3s_port, Security::Tls),
    ] {
        let r = check_incoming(
            &incoming(env, proto, port, sec),
            Some(&bad),
            &opts(10),
            &none,
        );
        let e = err(env, &r);
        assert!(matches!(e, NetError::AuthFailed { .. }), "{proto}: {e:?}");
        assert!(!format!("{r:?}").contains("wrong-password-123"));
    }
    let r = check_smtp(
        &smtp(env, env.smtps_port, Security::Tls),
        Some(&bad),
        &opts(10),
        &none,
    );
    match err(env, &r) {
        NetError::AuthFailed { reply } => assert_eq!(reply.code, Some(535)),
        e => panic!("{e:?}"),
    }
    assert!(!format!("{r:?}").contains("wrong-password-123"));
}

#[test]
fn smtp_logins_work() {
    let env = mailenv();
    for (port, sec) in [
        (env.smtp_port, Security::Starttls),
        (env.smtps_port, Security::Tls),
    ] {
        let t = Instant::now();
        let r = check_smtp(&smtp(env, port, sec), Some(&pw(env)), &opts(10), &none);
        eprintln!("smtp {sec}: {} ms", t.elapsed().as_millis());
        ok(env, &r);
    }
}

#[test]
fn both_at_once_with_progress() {
    let env = mailenv();
    let events = Mutex::new(Vec::new());
    let progress = |p: Progress| events.lock().unwrap().push(p);
    let t = Instant::now();
    let r = check_account(
        &account(env, "alice"),
        Some(&pw(env)),
        Some(&pw(env)),
        &opts(10),
        &progress,
    );
    eprintln!("check_account: {} ms", t.elapsed().as_millis());
    assert!(r.ok(), "{r:#?}");
    assert_no_password(env, &r);
    let n = events.lock().unwrap().len();
    assert_eq!(n, 2 * (r.incoming.steps.len() + r.smtp.steps.len()));
}

#[test]
fn strict_server_needs_starttls() {
    let env = mailenv();
    let strict = |proto, port, sec| {
        let mut a = incoming(env, proto, port, sec);
        a.incoming.host = env.strict_host.clone();
        a
    };
    // STARTTLS works.
    for (proto, port) in [
        (Protocol::Imap, env.strict_imap_port),
        (Protocol::Pop3, env.strict_pop3_port),
    ] {
        ok(
            env,
            &check_incoming(
                &strict(proto, port, Security::Starttls),
                Some(&pw(env)),
                &opts(10),
                &none,
            ),
        );
    }
    // Plaintext (chosen by the user): the server's refusal, before any password on IMAP.
    for (proto, port) in [
        (Protocol::Imap, env.strict_imap_port),
        (Protocol::Pop3, env.strict_pop3_port),
    ] {
        let r = check_incoming(
            &strict(proto, port, Security::None),
            Some(&pw(env)),
            &opts(10),
            &none,
        );
        assert_eq!(err(env, &r), NetError::LoginDisabled, "{proto}");
    }
    let mut a = smtp(env, env.strict_smtp_port, Security::Starttls);
    a.smtp.host = env.strict_host.clone();
    ok(env, &check_smtp(&a, Some(&pw(env)), &opts(10), &none));
    a.smtp.security = Security::None;
    let r = check_smtp(&a, Some(&pw(env)), &opts(10), &none);
    assert_eq!(err(env, &r), NetError::LoginDisabled);
}

#[test]
fn notls_with_starttls_is_refused_before_login() {
    let env = mailenv();
    for (proto, port) in [
        (Protocol::Imap, env.notls_imap_port),
        (Protocol::Pop3, env.notls_pop3_port),
    ] {
        let r = check_incoming(
            &incoming(env, proto, port, Security::Starttls),
            Some(&pw(env)),
            &opts(10),
            &none,
        );
        assert_eq!(err(env, &r), NetError::StarttlsNotOffered, "{proto}");
        assert!(r.steps.iter().all(|s| s.phase != Phase::Login), "{r:#?}");
    }
    let r = check_smtp(
        &smtp(env, env.notls_smtp_port, Security::Starttls),
        Some(&pw(env)),
        &opts(10),
        &none,
    );
    assert_eq!(err(env, &r), NetError::StarttlsNotOffered);
    assert!(r.steps.iter().all(|s| s.phase != Phase::Login), "{r:#?}");
    // The server side saw no login attempt for alice.
    let log = env.log_tail("notls", 200);
    assert!(!log.contains(&env.password));
}

/// What a fake server answers: (bytes seen from the client, reply).
type Script = &'static [(&'static [u8], &'static [u8])];

/// A fake server with no STARTTLS records every byte the client sends.
fn recording_server(greeting: &'static [u8], answers: Script) -> (u16, Arc<Mutex<Vec<u8>>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    std::thread::spawn(move || {
        let (mut c, _) = l.accept().unwrap();
        c.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        c.write_all(greeting).unwrap();
        let mut buf = [0u8; 1024];
        while let Ok(n) = c.read(&mut buf) {
            if n == 0 {
                break;
            }
            let chunk = &buf[..n];
            s2.lock().unwrap().extend_from_slice(chunk);
            for (starts, reply) in answers {
                if chunk.windows(starts.len()).any(|w| w == *starts) {
                    let _ = c.write_all(reply);
                }
            }
        }
    });
    (port, seen)
}

#[test]
fn no_password_on_the_wire_without_starttls() {
    let env = mailenv();
    let secret = Secret::new("Sup3r-Secret-On-Wire");
    let cases: [(Protocol, &'static [u8], Script); 2] = [
        (
            Protocol::Imap,
            b"* OK ready\r\n",
            &[(
                b"CAPABILITY",
                b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\na1 OK done\r\n",
            )],
        ),
        (
            Protocol::Pop3,
            b"+OK ready\r\n",
            &[(b"CAPA", b"+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n")],
        ),
    ];
    for (proto, greeting, answers) in cases {
        let (port, seen) = recording_server(greeting, answers);
        let mut a = incoming(env, proto, port, Security::Starttls);
        a.ca_file = None;
        let r = check_incoming(&a, Some(&secret), &opts(3), &none);
        assert_eq!(r.error, Some(NetError::StarttlsNotOffered), "{r:#?}");
        std::thread::sleep(Duration::from_millis(100));
        let wire = String::from_utf8_lossy(&seen.lock().unwrap()).to_string();
        assert!(
            !wire.contains("Sup3r")
                && !wire.contains("LOGIN")
                && !wire.contains("AUTH")
                && !wire.contains("USER"),
            "{wire}"
        );
    }
}

#[test]
fn tarpit_times_out_within_deadline() {
    let env = mailenv();
    let limit = Duration::from_secs(2);
    for proto in [Protocol::Imap, Protocol::Pop3] {
        for sec in [Security::Tls, Security::Starttls] {
            let a = incoming(env, proto, env.tarpit_port, sec);
            let t = Instant::now();
            let r = check_incoming(
                &a,
                Some(&pw(env)),
                &CheckOptions {
                    timeout: limit,
                    cancel: None,
                },
                &none,
            );
            assert!(
                t.elapsed() < limit + Duration::from_secs(1),
                "{:?}",
                t.elapsed()
            );
            assert!(
                matches!(
                    err(env, &r),
                    NetError::Timeout {
                        phase: Phase::Greeting | Phase::Tls
                    }
                ),
                "{r:#?}"
            );
        }
    }
    for sec in [Security::Tls, Security::Starttls] {
        let t = Instant::now();
        let r = check_smtp(
            &smtp(env, env.tarpit_port, sec),
            Some(&pw(env)),
            &CheckOptions {
                timeout: limit,
                cancel: None,
            },
            &none,
        );
        assert!(
            t.elapsed() < limit + Duration::from_secs(1),
            "{:?}",
            t.elapsed()
        );
        assert!(matches!(err(env, &r), NetError::Timeout { .. }), "{r:#?}");
    }
}

#[test]
fn closed_port_is_refused() {
    let env = mailenv();
    let r = check_incoming(
        &incoming(env, Protocol::Imap, env.closed_port, Security::Tls),
        Some(&pw(env)),
        &opts(5),
        &none,
    );
    assert!(matches!(err(env, &r), NetError::Refused { .. }), "{r:#?}");
    let r = check_smtp(
        &smtp(env, env.closed_port, Security::Tls),
        Some(&pw(env)),
        &opts(5),
        &none,
    );
    assert!(matches!(err(env, &r), NetError::Refused { .. }), "{r:#?}");
}

fn tls_kind(e: NetError) -> TlsKind {
    match e {
        NetError::Tls(t) => {
            assert!(
                t.cert.as_ref().is_some_and(|c| c.sha256.len() == 64),
                "{t:?}"
            );
            t.kind
        }
        other => panic!("expected a TLS error, got {other:?}"),
    }
}

#[test]
fn bad_certificates() {
    let env = mailenv();
    for (proto, port, sec) in [
        (Protocol::Imap, env.badcert_imaps_port, Security::Tls),
        (Protocol::Imap, env.badcert_imap_port, Security::Starttls),
        (Protocol::Pop3, env.badcert_pop3s_port, Security::Tls),
    ] {
        let r = check_incoming(
            &incoming(env, proto, port, sec),
            Some(&pw(env)),
            &opts(5),
            &none,
        );
        assert_eq!(
            tls_kind(err(env, &r)),
            TlsKind::HostnameMismatch,
            "{proto} {sec}"
        );
        assert!(r.steps.iter().all(|s| s.phase != Phase::Login));
    }
    for (port, sec) in [
        (env.badcert_smtps_port, Security::Tls),
        (env.badcert_smtp_port, Security::Starttls),
    ] {
        let r = check_smtp(&smtp(env, port, sec), Some(&pw(env)), &opts(5), &none);
        assert_eq!(
            tls_kind(err(env, &r)),
            TlsKind::HostnameMismatch,
            "smtp {sec}"
        );
    }
}

#[test]
fn untrusted_then_pinned() {
    let env = mailenv();
    let mut a = incoming(env, Protocol::Imap, env.imaps_port, Security::Tls);
    a.ca_file = None;
    let r = check_incoming(&a, Some(&pw(env)), &opts(5), &none);
    let e = err(env, &r);
    let NetError::Tls(t) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(t.kind, TlsKind::Untrusted);
    let sha = t.cert.clone().unwrap().sha256;
    assert_eq!(r.cert.as_ref().unwrap().sha256, sha);
    a.incoming.pinned_sha256 = Some(display_fingerprint(&sha));
    ok(env, &check_incoming(&a, Some(&pw(env)), &opts(5), &none));
    a.incoming.pinned_sha256 = Some("ab".repeat(32));
    let r = check_incoming(&a, Some(&pw(env)), &opts(5), &none);
    assert_eq!(tls_kind(err(env, &r)), TlsKind::PinMismatch);

    // SMTP, both modes: untrusted, then pinned.
    for (port, sec) in [
        (env.smtps_port, Security::Tls),
        (env.smtp_port, Security::Starttls),
    ] {
        let mut s = smtp(env, port, sec);
        s.ca_file = None;
        let r = check_smtp(&s, Some(&pw(env)), &opts(5), &none);
        assert_eq!(tls_kind(err(env, &r)), TlsKind::Untrusted, "smtp {sec}");
        s.smtp.pinned_sha256 = Some(sha.clone());
        ok(env, &check_smtp(&s, Some(&pw(env)), &opts(5), &none));
        s.smtp.pinned_sha256 = Some("cd".repeat(32));
        let r = check_smtp(&s, Some(&pw(env)), &opts(5), &none);
        assert_eq!(tls_kind(err(env, &r)), TlsKind::PinMismatch, "smtp {sec}");
        assert!(r.steps.iter().all(|st| st.phase != Phase::Login), "{r:#?}");
    }
}

#[test]
fn send_and_find_the_test_message() {
    let env = mailenv();
    for (port, sec, proto, in_port) in [
        (
            env.smtp_port,
            Security::Starttls,
            Protocol::Imap,
            env.imaps_port,
        ),
        (
            env.smtps_port,
            Security::Tls,
            Protocol::Pop3,
            env.pop3s_port,
        ),
    ] {
        let mut a = smtp(env, port, sec);
        a.incoming.protocol = proto;
        a.incoming.port = in_port;
        let msg = new_test_message(&a, None);
        let t = Instant::now();
        let r = send_test(&a, &msg, Some(&pw(env)), &opts(10), &none);
        eprintln!("send {sec}: {} ms", t.elapsed().as_millis());
        assert_no_password(env, &r);
        assert!(r.ok, "{r:#?}");
        assert_eq!(r.reply.as_ref().unwrap().code, Some(250));
        assert!(
            env.wait_for_message("alice", &msg.id, Duration::from_secs(10))
                .is_some(),
            "not delivered"
        );
        let v = verify_arrival(&a, &msg.id, Some(&pw(env)), Duration::from_secs(10), None);
        eprintln!("verify via {proto}: {v:?}");
        assert!(v.found, "{v:?}");
        assert_no_password(env, &v);
        let v = verify_arrival(
            &a,
            "000000000000",
            Some(&pw(env)),
            Duration::from_millis(800),
            None,
        );
        assert!(!v.found && v.error.is_none() && v.polls >= 1, "{v:?}");
    }
}

#[test]
fn limited_sender_is_rejected_at_rcpt() {
    let env = mailenv();
    let a = account(env, "limited");
    let msg = new_test_message(&a, Some(&env.user("bob")));
    let r = send_test(&a, &msg, Some(&pw(env)), &opts(10), &none);
    assert_no_password(env, &r);
    match r.error.clone() {
        Some(NetError::Rejected {
            phase: Phase::Rcpt,
            reply,
        }) => assert_eq!(reply.code, Some(550)),
        other => panic!("{other:?} {r:#?}"),
    }
    assert_eq!(r.reply.unwrap().code, Some(550));
}

#[test]
fn cancel_stops_between_steps() {
    let env = mailenv();
    let flag = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let o = CheckOptions {
        timeout: Duration::from_secs(5),
        cancel: Some(flag),
    };
    let r = check_incoming(&account(env, "alice"), Some(&pw(env)), &o, &none);
    assert_eq!(r.error, Some(NetError::Cancelled));
}

/// Happy Eyeballs (RFC 8305): the first address never answers (a listener
/// whose accept queue is full drops the SYN, as a dead route does); the
/// second, tried 250 ms later without waiting, wins long before the deadline.
#[test]
fn a_dead_first_address_costs_only_the_attempt_delay() {
    use std::io::BufRead;
    let mut holder = std::process::Command::new("python3")
        .args([
            "-c",
            "import socket,sys,time\n\
             l=socket.socket(); l.bind(('127.0.0.1',0)); l.listen(0)\n\
             c=socket.socket(); c.connect(l.getsockname())\n\
             print(l.getsockname()[1], flush=True); time.sleep(30)",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed (Debian package python3)");
    let mut line = String::new();
    std::io::BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let dead: std::net::SocketAddr = format!("127.0.0.1:{}", line.trim()).parse().unwrap();
    let good = TcpListener::bind("127.0.0.1:0").unwrap();
    let addrs = [dead, good.local_addr().unwrap()];
    let d = mailwiz::net::Deadline::after(Duration::from_secs(3), None);
    let start = Instant::now();
    let r = mailwiz::net::connect_any(&addrs, &d);
    let took = start.elapsed();
    let _ = holder.kill();
    let _ = holder.wait();
    let s = r.expect("the second address connects");
    assert_eq!(s.peer_addr().unwrap(), addrs[1]);
    assert!(took < Duration::from_secs(1), "took {took:?}");
}
