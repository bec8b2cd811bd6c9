#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! `mailwiz doctor --json` against real servers with real faults: each
//! fault of issue 4 gives its code, within the time bound, and the test
//! password appears in no output and no transcript.

mod common;

use common::{MailEnv, mailenv, mailwiz};
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// One account to add, as flags of `mailwiz add`.
#[derive(Clone)]
struct Acct {
    email: String,
    incoming: &'static str,
    in_host: String,
    in_port: u16,
    in_sec: &'static str,
    in_user: Option<String>,
    smtp_host: String,
    smtp_port: u16,
    smtp_sec: &'static str,
    smtp_auth: bool,
    ca: bool,
    pins: Option<String>,
    password: String,
    /// Extra environment for `doctor` (e.g. the probed SMTP port list).
    env: Vec<(&'static str, String)>,
}

impl Acct {
    fn new(env: &MailEnv) -> Acct {
        Acct {
            email: env.user("alice"),
            incoming: "imap",
            in_host: env.host.clone(),
            in_port: env.imaps_port,
            in_sec: "tls",
            in_user: None,
            smtp_host: env.host.clone(),
            smtp_port: env.smtps_port,
            smtp_sec: "tls",
            smtp_auth: true,
            ca: true,
            pins: None,
            password: env.password.clone(),
            env: Vec::new(),
        }
    }
}

struct Run {
    json: Value,
    code: i32,
    elapsed: Duration,
    transcript: String,
}

impl Run {
    /// The code of the first finding for `server` ("incoming" or "smtp").
    fn code(&self, server: &str) -> String {
        self.json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["server"] == server)
            .map(|f| f["code"].as_str().unwrap_or("").to_string())
            .unwrap_or_default()
    }
}

fn doctor(env: &MailEnv, a: &Acct, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    let pwfile = dir.path().join("pw");
    std::fs::write(&pwfile, format!("{}\n", a.password)).unwrap();
    let mut add: Vec<String> = [
        "add",
        "--email",
        &a.email,
        "--name",
        "t",
        "--incoming",
        a.incoming,
        "--in-host",
        &a.in_host,
        "--in-port",
        &a.in_port.to_string(),
        "--in-security",
        a.in_sec,
        "--smtp-host",
        &a.smtp_host,
        "--smtp-port",
        &a.smtp_port.to_string(),
        "--smtp-security",
        a.smtp_sec,
    ]
    .iter()
    .map(std::string::ToString::to_string)
    .collect();
    add.push("--password-command".into());
    add.push(format!("cat {}", pwfile.display()));
    if let Some(u) = &a.in_user {
        add.extend(["--in-user".into(), u.clone()]);
    }
    if !a.smtp_auth {
        add.push("--no-smtp-auth".into());
    }
    if a.ca {
        add.extend(["--ca-file".into(), env.ca.display().to_string()]);
    }
    if let Some(pin) = &a.pins {
        add.extend([
            "--in-pin".into(),
            pin.clone(),
            "--smtp-pin".into(),
            pin.clone(),
        ]);
    }
    let out = mailwiz(&cfg).args(&add).output().unwrap();
    assert!(
        out.status.success(),
        "add failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let transcript: PathBuf = dir.path().join("transcript.txt");
    let start = Instant::now();
    let out = mailwiz(&cfg)
        .args(["doctor", "t", "--json", "--transcript"])
        .arg(&transcript)
        .args(extra)
        .envs(a.env.iter().map(|(k, v)| (*k, v)))
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let transcript = std::fs::read_to_string(&transcript).unwrap_or_default();
    for (what, text) in [
        ("stdout", &stdout),
        ("stderr", &stderr),
        ("transcript", &transcript),
    ] {
        assert!(
            !text.contains(&env.password),
            "the password is in the {what}:\n{text}"
        );
        assert!(
            !text.contains(&a.password),
            "the password is in the {what}:\n{text}"
        );
    }
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{stderr}"));
    let run = Run {
        json,
        code: out.status.code().unwrap_or(-1),
        elapsed,
        transcript,
    };
    eprintln!(
        "doctor: incoming={} smtp={} exit={} in {:?}",
        run.code("incoming"),
        run.code("smtp"),
        run.code,
        run.elapsed
    );
    run
}

#[test]
fn all_is_well() {
    let env = mailenv();
    let r = doctor(env, &Acct::new(env), &["--rcpt", &env.user("bob")]);
    assert_eq!(
        (r.code("incoming").as_str(), r.code("smtp").as_str()),
        ("ok", "ok"),
        "{}",
        r.json
    );
    assert_eq!(r.code, 0);
    assert!(
        r.transcript.contains("C: a"),
        "IMAP commands recorded:\n{}",
        r.transcript
    );
    assert!(r.transcript.contains("[redacted]"), "{}", r.transcript);
    assert!(
        r.transcript.contains("RCPT TO:<bob@example.test>"),
        "{}",
        r.transcript
    );
    let caps = r.json["servers"]["smtp"]["capabilities"].to_string();
    assert!(caps.contains("AUTH"), "{caps}");
}

#[test]
fn wrong_password() {
    let env = mailenv();
    let a = Acct {
        password: "not-the-password".into(),
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "auth_failed", "{}", r.json);
    assert_eq!(r.code("smtp"), "auth_failed", "{}", r.json);
    assert_eq!(r.code, 1);
}

#[test]
fn other_login_form_works() {
    let env = mailenv();
    let carol = env.user(&env.localpart_user);
    let a = Acct {
        email: carol.clone(),
        in_user: Some(carol),
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "auth_wrong_login_form", "{}", r.json);
    assert_eq!(r.code("smtp"), "auth_wrong_login_form", "{}", r.json);
    let f = &r.json["findings"][0];
    assert!(f["fix"].as_str().unwrap().contains("carol"), "{f}");
}

#[test]
fn no_starttls_offered_and_no_password_sent() {
    let env = mailenv();
    let a = Acct {
        in_port: env.notls_imap_port,
        in_sec: "starttls",
        smtp_port: env.notls_smtp_port,
        smtp_sec: "starttls",
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "starttls_unavailable", "{}", r.json);
    assert_eq!(r.code("smtp"), "starttls_unavailable", "{}", r.json);
    for l in r.transcript.lines().filter(|l| l.contains(" C: ")) {
        let up = l.to_ascii_uppercase();
        assert!(
            !up.contains("LOGIN") && !up.contains("AUTH") && !up.contains("PASS"),
            "a login was attempted without TLS: {l}\n{}",
            r.transcript
        );
    }
}

#[test]
fn submission_refuses_auth_before_starttls() {
    let env = mailenv();
    let a = Acct {
        in_host: env.strict_host.clone(),
        in_port: env.strict_imap_port,
        in_sec: "none",
        smtp_host: env.strict_host.clone(),
        smtp_port: env.strict_smtp_port,
        smtp_sec: "none",
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("smtp"), "starttls_required", "{}", r.json);
    assert_eq!(r.code("incoming"), "login_disabled", "{}", r.json);
}

#[test]
fn closed_port() {
    let env = mailenv();
    let a = Acct {
        in_port: env.closed_port,
        smtp_port: env.closed_port,
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "connection_refused", "{}", r.json);
    assert_eq!(r.code("smtp"), "connection_refused", "{}", r.json);
}

#[test]
fn silent_port_times_out_within_the_bound() {
    let env = mailenv();
    let a = Acct {
        in_port: env.tarpit_port,
        smtp_port: env.tarpit_port,
        smtp_sec: "starttls",
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &["--timeout", "3"]);
    assert_eq!(r.code("incoming"), "timeout", "{}", r.json);
    assert_eq!(r.code("smtp"), "timeout", "{}", r.json);
    assert!(
        r.elapsed < Duration::from_millis(4500),
        "took {:?}",
        r.elapsed
    );
}

#[test]
fn certificate_for_another_name() {
    let env = mailenv();
    let a = Acct {
        in_port: env.badcert_imaps_port,
        smtp_port: env.badcert_smtps_port,
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "tls_hostname_mismatch", "{}", r.json);
    assert_eq!(r.code("smtp"), "tls_hostname_mismatch", "{}", r.json);
    assert!(r.json.to_string().contains(&env.badcert_name));
}

#[test]
fn untrusted_then_pinned() {
    let env = mailenv();
    let a = Acct {
        ca: false,
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "tls_untrusted", "{}", r.json);
    assert_eq!(r.code("smtp"), "tls_untrusted", "{}", r.json);
    let sha = r.json["servers"]["incoming"]["cert"]["sha256"]
        .as_str()
        .expect("the refused certificate is shown")
        .to_string();
    let fix = r.json["findings"][0]["fix"].as_str().unwrap().to_string();
    assert!(fix.contains(&sha[..2].to_uppercase()), "{fix}");
    let pinned = Acct {
        pins: Some(sha),
        ..a
    };
    let r = doctor(env, &pinned, &[]);
    assert_eq!(
        (r.code("incoming").as_str(), r.code("smtp").as_str()),
        ("ok", "ok"),
        "{}",
        r.json
    );
    assert_eq!(r.code, 0);
}

#[test]
fn recipient_refused() {
    let env = mailenv();
    let r = doctor(env, &Acct::new(env), &["--rcpt", "ghost@example.test"]);
    assert_eq!(r.code("smtp"), "recipient_rejected", "{}", r.json);
    assert_eq!(r.code("incoming"), "ok", "{}", r.json);
    assert!(
        !r.transcript.contains("DATA"),
        "nothing is sent:\n{}",
        r.transcript
    );
}

#[test]
fn relay_refused() {
    let env = mailenv();
    let r = doctor(env, &Acct::new(env), &["--rcpt", "someone@reject.test"]);
    assert_eq!(r.code("smtp"), "relay_denied", "{}", r.json);
}

#[test]
fn sending_limit() {
    let env = mailenv();
    let a = Acct {
        email: env.user("limited"),
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &["--rcpt", &env.user("bob")]);
    assert_eq!(r.code("smtp"), "sending_limit", "{}", r.json);
}

#[test]
fn pop3_on_the_imap_port() {
    let env = mailenv();
    let a = Acct {
        in_port: env.pop3s_port,
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "protocol_mismatch", "{}", r.json);
    assert_eq!(
        r.json["servers"]["incoming"]["answered"], "pop3",
        "{}",
        r.json
    );
    let f = r.json["findings"][0]["explanation"].as_str().unwrap();
    assert!(f.contains("POP"), "{f}");
}

#[test]
fn nonexistent_host() {
    let env = mailenv();
    let a = Acct {
        in_host: "no-such-host.mailwiz.invalid".into(),
        smtp_host: "no-such-host.mailwiz.invalid".into(),
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "dns_not_found", "{}", r.json);
    assert_eq!(r.code("smtp"), "dns_not_found", "{}", r.json);
}

#[test]
fn mail_without_authentication() {
    let env = mailenv();
    let a = Acct {
        smtp_auth: false,
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("smtp"), "auth_required", "{}", r.json);
}

#[test]
fn self_signed_then_pinned() {
    let env = mailenv();
    // The test CA is given, but this certificate is not from it.
    let a = Acct {
        in_port: env.selfsigned_imaps_port,
        smtp_port: env.selfsigned_smtps_port,
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "tls_untrusted", "{}", r.json);
    assert_eq!(r.code("smtp"), "tls_untrusted", "{}", r.json);
    let cert = &r.json["servers"]["incoming"]["cert"];
    assert_eq!(cert["subject"], cert["issuer"], "self-signed: {cert}");
    let sha = cert["sha256"].as_str().expect("fingerprint").to_string();
    assert_eq!(r.json["servers"]["smtp"]["cert"]["sha256"], sha.as_str());
    let pinned = Acct {
        pins: Some(sha),
        ..a
    };
    let r = doctor(env, &pinned, &[]);
    assert_eq!(
        (r.code("incoming").as_str(), r.code("smtp").as_str()),
        ("ok", "ok"),
        "{}",
        r.json
    );
    assert_eq!(r.code, 0);
}

#[test]
fn expired_certificate() {
    let env = mailenv();
    let a = Acct {
        in_port: env.expired_imaps_port,
        smtp_port: env.expired_smtps_port,
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("incoming"), "tls_expired", "{}", r.json);
    assert_eq!(r.code("smtp"), "tls_expired", "{}", r.json);
    let cert = &r.json["servers"]["smtp"]["cert"];
    assert!(
        cert["not_after"]
            .as_str()
            .unwrap_or("")
            .starts_with("2020-02-01"),
        "{cert}"
    );
}

#[test]
fn smtp_port_blocked_while_another_answers() {
    let env = mailenv();
    // On loopback 465/587/25 are not ours: the probed list is replaced.
    let ports = format!("{},{},{}", env.smtps_port, env.smtp_port, env.closed_port);
    let a = Acct {
        smtp_port: env.closed_port,
        env: vec![("MAILWIZ_DOCTOR_SMTP_PORTS", ports)],
        ..Acct::new(env)
    };
    let r = doctor(env, &a, &[]);
    assert_eq!(r.code("smtp"), "port_blocked", "{}", r.json);
    assert_eq!(r.code("incoming"), "ok", "{}", r.json);
    let f = r.json["findings"][0]["fix"].as_str().unwrap();
    assert!(f.contains(&env.smtps_port.to_string()), "{f}");
    let probed: Vec<u64> = r.json["servers"]["smtp_ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["port"].as_u64().unwrap())
        .collect();
    assert_eq!(
        probed,
        [env.smtps_port, env.smtp_port, env.closed_port].map(u64::from)
    );
}
