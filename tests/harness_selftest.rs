#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Proves the test harness in `tests/common` + `tests/harness`: real servers on loopback,
//! their fault variants, Maildir delivery, and the private Secret Service.
//!
//! Independent clients only (std TcpStream, curl, swaks, secret-tool), never mailwiz's own code.

mod common;

use common::{KeyringSession, MailEnv, mailenv};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn unique(tag: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("mw-selftest-{tag}-{nanos}")
}

fn connect(host: &str, port: u16) -> BufReader<TcpStream> {
    let s =
        TcpStream::connect((host, port)).unwrap_or_else(|e| panic!("connect {host}:{port}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    BufReader::new(s)
}

fn line(r: &mut BufReader<TcpStream>) -> String {
    let mut l = String::new();
    r.read_line(&mut l).expect("read a line");
    l
}

fn greeting(host: &str, port: u16) -> String {
    line(&mut connect(host, port))
}

/// EHLO reply lines of an SMTP server (before STARTTLS).
fn ehlo(host: &str, port: u16) -> Vec<String> {
    let mut r = connect(host, port);
    assert!(
        line(&mut r).starts_with("220 "),
        "no SMTP greeting on {host}:{port}"
    );
    r.get_mut().write_all(b"EHLO selftest.example\r\n").unwrap();
    let mut lines = Vec::new();
    loop {
        let l = line(&mut r);
        let last = l.as_bytes().get(3) == Some(&b' ') || l.is_empty();
        lines.push(l.trim_end().to_string());
        if last {
            return lines;
        }
    }
}

fn run(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e} (see scripts/install-test-deps.sh)"))
}

fn curl(env: &MailEnv, url: &str, extra: &[&str]) -> (i32, String) {
    let out = run(Command::new("curl")
        .args(["-sS", "--max-time", "10", "--cacert"])
        .arg(&env.ca)
        .args(extra)
        .arg(url));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn alice_login(env: &MailEnv) -> String {
    format!("{}:{}", env.user("alice"), env.password)
}

/// swaks as `from` (logging in as `from`) to `to`; returns the whole transcript.
fn swaks(
    env: &MailEnv,
    port: u16,
    from: &str,
    to: &str,
    subject: &str,
    tls: &str,
) -> (bool, String) {
    let mut cmd = Command::new("swaks");
    cmd.args([
        "--server",
        &format!("127.0.0.1:{port}"),
        tls,
        "--tls-ca-path",
    ])
    .arg(&env.ca)
    .args([
        "--auth",
        "PLAIN",
        "--auth-user",
        from,
        "--auth-password",
        &env.password,
    ])
    .args([
        "--from",
        from,
        "--to",
        to,
        "--header",
        &format!("Subject: {subject}"),
    ])
    .args(["--body", &format!("body of {subject}"), "--timeout", "10"]);
    let out = run(&mut cmd);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn servers_start_fast() {
    let env = mailenv();
    eprintln!(
        "mailenv started in {:?} (script's own measure: {} ms) in {} on port base {}",
        env.start_time,
        env.vars.get("MAILENV_START_MS").map_or("?", String::as_str),
        env.dir.display(),
        env.port_base
    );
    assert!(
        env.start_time < Duration::from_secs(5),
        "start took {:?}",
        env.start_time
    );
    assert_eq!(env.password.len(), 20);
    assert!(
        env.password.starts_with("MWtest")
            && env.password.chars().all(|c| c.is_ascii_alphanumeric())
    );
    assert_eq!(env.user("alice"), "alice@example.test");
    assert_eq!(env.users.len(), 3);
    assert!(env.ca.is_file());
    for u in &env.users {
        assert!(env.maildir(u).join("new").is_dir(), "no Maildir for {u}");
    }
}

#[test]
fn imap_ports_greet_and_the_variants_differ() {
    let env = mailenv();
    let main = greeting(&env.host, env.imap_port);
    assert!(
        main.starts_with("* OK") && main.contains("STARTTLS"),
        "{main}"
    );
    assert!(
        !main.contains("LOGINDISABLED"),
        "loopback is 'secured' for dovecot: {main}"
    );

    let strict = greeting(&env.strict_host, env.strict_imap_port);
    assert!(
        strict.starts_with("* OK")
            && strict.contains("STARTTLS")
            && strict.contains("LOGINDISABLED"),
        "{strict}"
    );

    let notls = greeting(&env.host, env.notls_imap_port);
    assert!(
        notls.starts_with("* OK") && !notls.contains("STARTTLS") && notls.contains("AUTH=PLAIN"),
        "{notls}"
    );

    let bad = greeting(&env.host, env.badcert_imap_port);
    assert!(bad.starts_with("* OK"), "{bad}");

    // TLS: implicit and STARTTLS, logging in and listing mailboxes with curl
    let login = alice_login(env);
    let ok_cases = [
        format!("imaps://{}:{}/", env.host, env.imaps_port),
        format!("imaps://{}:{}/", env.strict_host, env.strict_imaps_port),
        format!("imaps://localhost:{}/", env.imaps_port),
    ];
    for url in &ok_cases {
        let (rc, out) = curl(env, url, &["-u", &login]);
        assert_eq!(rc, 0, "{url}: {out}");
        assert!(out.contains("INBOX"), "{url}: {out}");
    }
    for (host, port) in [
        (&env.host, env.imap_port),
        (&env.strict_host, env.strict_imap_port),
    ] {
        let url = format!("imap://{host}:{port}/");
        let (rc, out) = curl(env, &url, &["--ssl-reqd", "-u", &login]);
        assert_eq!(rc, 0, "STARTTLS {url}: {out}");
    }
    // plaintext login on notls works, STARTTLS is not offered
    let url = format!("imap://{}:{}/", env.host, env.notls_imap_port);
    assert_eq!(curl(env, &url, &["-u", &login]).0, 0);
    assert_eq!(
        curl(env, &url, &["--ssl-reqd", "-u", &login]).0,
        64,
        "notls must not offer STARTTLS"
    );
    // hostname mismatch (same CA) and unknown CA
    let url = format!("imaps://{}:{}/", env.host, env.badcert_imaps_port);
    let (rc, out) = curl(env, &url, &["-u", &login]);
    assert_eq!(rc, 60, "badcert: {out}");
    let out = run(Command::new("curl")
        .args(["-sS", "--max-time", "10", "-u", &login])
        .arg(format!("imaps://{}:{}/", env.host, env.imaps_port)));
    assert_eq!(
        out.status.code(),
        Some(60),
        "without the CA: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pop3_and_smtp_ports_greet() {
    let env = mailenv();
    for (host, port) in [
        (&env.host, env.pop3_port),
        (&env.strict_host, env.strict_pop3_port),
        (&env.host, env.notls_pop3_port),
        (&env.host, env.badcert_pop3_port),
    ] {
        let g = greeting(host, port);
        assert!(g.starts_with("+OK"), "pop3 {host}:{port}: {g}");
    }
    let login = alice_login(env);
    for url in [
        format!("pop3s://{}:{}/", env.host, env.pop3s_port),
        format!("pop3s://{}:{}/", env.strict_host, env.strict_pop3s_port),
    ] {
        let (rc, out) = curl(env, &url, &["-u", &login]);
        assert_eq!(rc, 0, "{url}: {out}");
    }
    let (rc, _) = curl(
        env,
        &format!("pop3://{}:{}/", env.host, env.pop3_port),
        &["--ssl-reqd", "-u", &login],
    );
    assert_eq!(rc, 0, "pop3 STLS");
    let (rc, _) = curl(
        env,
        &format!("pop3://{}:{}/", env.host, env.notls_pop3_port),
        &["--ssl-reqd", "-u", &login],
    );
    assert_eq!(rc, 64, "notls pop3 must not offer STLS");
    let (rc, out) = curl(
        env,
        &format!("pop3s://{}:{}/", env.host, env.badcert_pop3s_port),
        &["-u", &login],
    );
    assert_eq!(rc, 60, "badcert pop3s: {out}");

    for (host, port) in [
        (&env.host, env.smtp_port),
        (&env.strict_host, env.strict_smtp_port),
        (&env.host, env.notls_smtp_port),
        (&env.host, env.badcert_smtp_port),
        (&env.host, env.relay_port),
    ] {
        let g = greeting(host, port);
        assert!(g.starts_with("220 "), "smtp {host}:{port}: {g}");
    }
    let main = ehlo(&env.host, env.smtp_port).join("\n");
    assert!(
        main.contains("STARTTLS") && main.contains("AUTH PLAIN LOGIN"),
        "{main}"
    );
    let strict = ehlo(&env.strict_host, env.strict_smtp_port).join("\n");
    assert!(
        strict.contains("STARTTLS") && !strict.contains("PLAIN"),
        "strict must not offer AUTH before TLS: {strict}"
    );
    let notls = ehlo(&env.host, env.notls_smtp_port).join("\n");
    assert!(
        !notls.contains("STARTTLS") && notls.contains("AUTH PLAIN"),
        "{notls}"
    );
    let relay = ehlo(&env.host, env.relay_port).join("\n");
    assert!(relay.contains("ENHANCEDSTATUSCODES"), "{relay}");

    // implicit TLS submission answers, the badcert one fails verification
    let (rc, out) = curl(
        env,
        &format!("smtps://{}:{}/", env.host, env.smtps_port),
        &["-X", "NOOP"],
    );
    assert_eq!(rc, 0, "smtps: {out}");
    let (rc, out) = curl(
        env,
        &format!("smtps://{}:{}/", env.strict_host, env.strict_smtps_port),
        &["-X", "NOOP"],
    );
    assert_eq!(rc, 0, "strict smtps: {out}");
    let (rc, out) = curl(
        env,
        &format!("smtps://{}:{}/", env.host, env.badcert_smtps_port),
        &["-X", "NOOP"],
    );
    assert_eq!(rc, 60, "badcert smtps: {out}");
}

#[test]
fn tarpit_is_silent_and_closed_port_refuses() {
    let env = mailenv();
    let mut s = TcpStream::connect((env.host.as_str(), env.tarpit_port)).expect("tarpit accepts");
    s.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    let t0 = Instant::now();
    let mut buf = [0u8; 16];
    let err = s
        .read(&mut buf)
        .expect_err("the tarpit must not send anything");
    assert!(
        matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{err:?}"
    );
    assert!(t0.elapsed() >= Duration::from_millis(900));

    let err = TcpStream::connect((env.host.as_str(), env.closed_port)).expect_err("closed port");
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
}

#[test]
fn a_wrong_password_fails_fast_and_does_not_slow_the_next_login() {
    let env = mailenv();
    let url = format!("imaps://{}:{}/", env.host, env.imaps_port);
    let t0 = Instant::now();
    let (rc, out) = curl(
        env,
        &url,
        &["-u", &format!("{}:wrong-password", env.user("bob"))],
    );
    assert_eq!(rc, 67, "login denied expected: {out}");
    let (rc, out) = curl(
        env,
        &url,
        &["-u", &format!("{}:{}", env.user("bob"), env.password)],
    );
    assert_eq!(rc, 0, "{out}");
    assert!(
        t0.elapsed() < Duration::from_secs(3),
        "auth penalty active? {:?}",
        t0.elapsed()
    );
}

#[test]
fn submission_delivers_into_the_maildir() {
    let env = mailenv();
    // STARTTLS + AUTH on the 587-like port
    let subject = unique("starttls");
    let (ok, out) = swaks(
        env,
        env.smtp_port,
        &env.user("alice"),
        &env.user("alice"),
        &subject,
        "--tls",
    );
    assert!(ok, "{out}");
    let found = env.wait_for_message("alice", &subject, Duration::from_secs(10));
    assert!(
        found.is_some(),
        "not delivered: {out}\nrelay log:\n{}",
        env.log_tail("relay", 20)
    );

    // implicit TLS on the 465-like port, to bob with a +detail
    let subject = unique("implicit");
    let (ok, out) = swaks(
        env,
        env.smtps_port,
        &env.user("alice"),
        "bob+tag@example.test",
        &subject,
        "--tlsc",
    );
    assert!(ok, "{out}");
    assert!(
        env.wait_for_message("bob@example.test", &subject, Duration::from_secs(10))
            .is_some(),
        "{out}"
    );

    // and it is visible through IMAP too
    let url = format!(
        "imaps://{}:{}/INBOX?SUBJECT%20%22{subject}%22",
        env.host, env.imaps_port
    );
    let (rc, out) = curl(
        env,
        &url,
        &["-u", &format!("{}:{}", env.user("bob"), env.password)],
    );
    assert_eq!(rc, 0, "{out}");
    assert!(
        out.contains("SEARCH") && out.trim_end().len() > "* SEARCH".len(),
        "IMAP search: {out}"
    );

    // other domains end up in outbound/
    let subject = unique("outbound");
    let (ok, out) = swaks(
        env,
        env.smtp_port,
        &env.user("alice"),
        "someone@elsewhere.test",
        &subject,
        "--tls",
    );
    assert!(ok, "{out}");
    let file = env
        .wait_for_outbound(&subject, Duration::from_secs(10))
        .expect("outbound file");
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.starts_with(
            "X-Mailenv-From: alice@example.test\r\nX-Mailenv-To: someone@elsewhere.test\r\n"
        ),
        "{text}"
    );
}

#[test]
fn the_relay_rejects_what_it_should() {
    let env = mailenv();
    let cases = [
        (
            "limited",
            "bob@example.test",
            "550 5.7.1 <bob@example.test> Daily sending limit exceeded for this account",
        ),
        (
            "alice",
            "x@reject.test",
            "550 5.7.1 <x@reject.test> Relay access denied",
        ),
        (
            "alice",
            "ghost@example.test",
            "550 5.1.1 <ghost@example.test> User unknown",
        ),
    ];
    for (from, to, expected) in cases {
        let (ok, out) = swaks(
            env,
            env.smtp_port,
            &env.user(from),
            to,
            &unique("reject"),
            "--tls",
        );
        assert!(!ok, "{from} -> {to} should fail: {out}");
        assert!(
            out.contains("235 2.7.0"),
            "AUTH should succeed first: {out}"
        );
        assert!(out.contains(expected), "expected {expected:?} in:\n{out}");
    }
    // MAIL without AUTH
    let mut r = connect(&env.host, env.smtp_port);
    line(&mut r);
    r.get_mut()
        .write_all(b"EHLO x\r\nMAIL FROM:<alice@example.test>\r\n")
        .unwrap();
    let mut reply = line(&mut r);
    while reply.as_bytes().get(3) == Some(&b'-') || reply.starts_with("250") {
        reply = line(&mut r);
    }
    assert!(reply.starts_with("530 5.7.0"), "{reply}");
}

#[test]
fn keyring_session_stores_and_reads_back_a_secret() {
    let home = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let session = KeyringSession::start(home.path());
    eprintln!("keyring session started in {:?}", t0.elapsed());
    let attrs = [
        ("service", "mailwiz-selftest"),
        ("username", "alice@example.test"),
    ];
    assert_eq!(session.secret_tool_lookup(&attrs), None);
    session.secret_tool_store("mailwiz selftest", &attrs, "s3cret with spaces");
    assert_eq!(
        session.secret_tool_lookup(&attrs).as_deref(),
        Some("s3cret with spaces")
    );
    assert!(
        home.path()
            .join(".local/share/keyrings/login.keyring")
            .is_file(),
        "keyring file in HOME"
    );

    // a second session (other HOME, other bus) is isolated
    let home2 = tempfile::tempdir().unwrap();
    let other = KeyringSession::start(home2.path());
    assert_eq!(other.secret_tool_lookup(&attrs), None);

    // Drop kills the daemons
    let (bus, keyring) = session.pids();
    drop(session);
    for pid in [bus, keyring] {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        assert!(
            stat.is_empty() || stat.contains(") Z "),
            "pid {pid} still running: {stat}"
        );
    }
    // the keyring survives into a new session with the same HOME (same unlock password)
    let again = KeyringSession::start(home.path());
    assert_eq!(
        again.secret_tool_lookup(&attrs).as_deref(),
        Some("s3cret with spaces")
    );
}

#[test]
fn mailwiz_command_is_english_and_has_no_bus() {
    let cfg = std::path::Path::new("/tmp/mailwiz-selftest.toml");
    let cmd = common::mailwiz(cfg);
    assert!(
        std::path::Path::new(cmd.get_program()).is_file(),
        "{:?}",
        cmd.get_program()
    );
    let args: Vec<_> = cmd.get_args().collect();
    assert_eq!(args, ["--config", "/tmp/mailwiz-selftest.toml"]);
    let removed: Vec<_> = cmd
        .get_envs()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| k.to_owned())
        .collect();
    for var in ["LANG", "LC_ALL", "LANGUAGE", "DBUS_SESSION_BUS_ADDRESS"] {
        assert!(removed.iter().any(|k| k == var), "{var} not removed");
    }
}
