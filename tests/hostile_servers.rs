#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The real `mailwiz` binary against hostile servers (`tests/harness/hostile.py`):
//! endless lines, one byte a second, endless replies, a 4 GiB IMAP literal, a POP3
//! listing without its end, plaintext injected after STARTTLS. Each command runs under
//! `/usr/bin/time -v` and must end within its deadline + 0.5 s, under 64 MB peak RSS,
//! with the right typed error, and never print the password.
//!
//! `MAILWIZ_HOSTILE_BIN` runs the same checks against another build (e.g. the code
//! before the fix) to show them failing; such a run is kept under a 4 GiB address-space
//! limit and killed after 20 s so it cannot take the machine down.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT_SECS: u64 = 5;
const SLACK: Duration = Duration::from_millis(500);
const MAX_RSS_KB: u64 = 64 * 1024;
const PASSWORD: &str = "hostile-test-pw-7Qx9";
const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/harness/hostile.py");

fn need(program: &str, package: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found || Path::new(program).exists(),
        "{program} is missing: install the Debian package {package} \
         (scripts/install-test-deps.sh)"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A hostile server, killed on drop.
struct Hostile {
    child: Child,
    port: u16,
}

impl Hostile {
    fn start(mode: &str, tls: Option<&Certs>) -> Hostile {
        need("python3", "python3");
        let port = free_port();
        let mut cmd = Command::new("python3");
        cmd.args([HOSTILE, mode, "127.0.0.1", &port.to_string()]);
        if let Some(c) = tls {
            cmd.arg(&c.leaf).arg(&c.key);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start hostile.py");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("hostile.py stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read hostile.py's first line");
        assert!(line.contains("listening"), "hostile.py {mode}: {line:?}");
        Hostile { child, port }
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A CA and a leaf certificate for 127.0.0.1, made with openssl.
struct Certs {
    _dir: tempfile::TempDir,
    ca: PathBuf,
    leaf: PathBuf,
    key: PathBuf,
}

fn make_certs() -> Certs {
    need("openssl", "openssl");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let script = r#"set -e
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -keyout ca.key -out ca.crt -subj "/CN=hostile test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout leaf.key -out leaf.csr -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
  -extfile leaf.ext -out leaf.crt 2>/dev/null
"#;
    let ok = Command::new("sh")
        .args(["-c", script])
        .current_dir(d)
        .status()
        .expect("run openssl");
    assert!(ok.success(), "openssl could not make the test certificates");
    Certs {
        ca: d.join("ca.crt"),
        leaf: d.join("leaf.crt"),
        key: d.join("leaf.key"),
        _dir: dir,
    }
}

struct Sides<'a> {
    incoming: (&'a str, u16, &'a str),
    smtp: (u16, &'a str),
    ca: Option<&'a Path>,
}

fn write_config(dir: &Path, s: &Sides) -> PathBuf {
    let (proto, in_port, in_sec) = s.incoming;
    let (smtp_port, smtp_sec) = s.smtp;
    let ca =
        s.ca.map(|p| format!("ca_file = \"{}\"\n", p.display()))
            .unwrap_or_default();
    let text = format!(
        r#"schema_version = 1

[[account]]
name = "h"
email = "alice@example.test"
display_name = ""
password_command = "printf %s {PASSWORD}"
{ca}
[account.incoming]
protocol = "{proto}"
host = "127.0.0.1"
port = {in_port}
security = "{in_sec}"
username = "alice@example.test"
auth = "password"

[account.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "{smtp_sec}"
auth_required = true
username = "alice@example.test"
same_password = true
"#
    );
    let path = dir.join("accounts.toml");
    std::fs::write(&path, text).expect("write accounts.toml");
    path
}

struct Run {
    elapsed: Duration,
    max_rss_kb: u64,
    json: Value,
    output: String,
}

fn binary() -> (PathBuf, bool) {
    match std::env::var_os("MAILWIZ_HOSTILE_BIN") {
        Some(b) => (PathBuf::from(b), true),
        None => (PathBuf::from(env!("CARGO_BIN_EXE_mailwiz")), false),
    }
}

/// `mailwiz --config CFG <args> --json --timeout 5` under `/usr/bin/time -v`.
fn run(cfg: &Path, args: &[&str]) -> Run {
    need("/usr/bin/time", "time");
    let (bin, other_build) = binary();
    let dir = cfg.parent().expect("config folder");
    let time_out = dir.join(format!("time-{}.txt", args[0]));
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-v").arg("-o").arg(&time_out);
    if other_build {
        cmd.args(["sh", "-c", "ulimit -v 4194304; exec \"$0\" \"$@\""]);
    }
    cmd.arg(&bin).arg("--config").arg(cfg).args(args);
    cmd.args(["--json", "--timeout", &TIMEOUT_SECS.to_string()]);
    for var in [
        "LANG",
        "LC_ALL",
        "LANGUAGE",
        "MAILWIZ_LANG",
        "DBUS_SESSION_BUS_ADDRESS",
    ] {
        cmd.env_remove(var);
    }
    // The doctor's port scan goes to a closed port, not to 25/465/587.
    cmd.env("MAILWIZ_DOCTOR_SMTP_PORTS", free_port().to_string());
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("run mailwiz under /usr/bin/time");
    let limit = Duration::from_secs(20);
    while child.try_wait().expect("wait for mailwiz").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mailwiz {args:?} still running after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = start.elapsed();
    let out = child.wait_with_output().expect("mailwiz output");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let time_text = std::fs::read_to_string(&time_out).unwrap_or_default();
    let max_rss_kb = time_text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS in /usr/bin/time's report:\n{time_text}"));
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    eprintln!(
        "mailwiz {args:?}: {:.2} s, peak RSS {} kB",
        elapsed.as_secs_f64(),
        max_rss_kb
    );
    Run {
        elapsed,
        max_rss_kb,
        json,
        output: format!("{stdout}\n{stderr}"),
    }
}

/// Every `"kind"` in the JSON report.
fn kinds(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("kind", Value::String(s)) => out.push(s.clone()),
                    _ => kinds(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| kinds(v, out)),
        _ => {}
    }
}

fn assert_bounded(r: &Run, what: &str, expected_kind: &str) {
    assert!(
        r.elapsed <= Duration::from_secs(TIMEOUT_SECS) + SLACK,
        "{what}: took {:?}, over {TIMEOUT_SECS} s + 0.5 s",
        r.elapsed
    );
    assert!(
        r.max_rss_kb < MAX_RSS_KB,
        "{what}: peak RSS {} kB, over 64 MB",
        r.max_rss_kb
    );
    let mut found = Vec::new();
    kinds(&r.json, &mut found);
    assert!(
        found.iter().any(|k| k == expected_kind),
        "{what}: expected the error {expected_kind}, got {found:?}\n{}",
        r.output
    );
    assert!(
        !r.output.contains(PASSWORD),
        "{what}: the password is in the output"
    );
}

/// An SMTP server misbehaving in `mode`: check, send-test and doctor each stop in
/// time and memory, with `kind`.
fn smtp_case(mode: &str, kind: &str, commands: &[&str]) {
    let server = Hostile::start(mode, None);
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = write_config(
        dir.path(),
        &Sides {
            incoming: ("imap", free_port(), "none"),
            smtp: (server.port, "none"),
            ca: None,
        },
    );
    for command in commands {
        let r = run(&cfg, &[command, "h"]);
        assert_bounded(&r, &format!("{command} against {mode}"), kind);
    }
}

#[test]
fn smtp_endless_greeting_without_a_line_end() {
    smtp_case(
        "endless-greeting",
        "net.error.too_large.line",
        &["check", "send-test", "doctor"],
    );
}

#[test]
fn smtp_one_byte_per_second() {
    smtp_case(
        "drip",
        "net.error.timeout",
        &["check", "send-test", "doctor"],
    );
}

#[test]
fn smtp_one_continuation_line_per_second() {
    smtp_case(
        "endless-ehlo",
        "net.error.timeout",
        &["check", "send-test", "doctor"],
    );
}

/// A TLS handshake record that never completes, one byte a second, on both
/// servers (implicit TLS): the handshake's reads stop at the deadline too.
#[test]
fn tls_handshake_one_byte_per_second() {
    let server = Hostile::start("tls-drip", None);
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = write_config(
        dir.path(),
        &Sides {
            incoming: ("imap", server.port, "tls"),
            smtp: (server.port, "tls"),
            ca: None,
        },
    );
    for command in ["check", "send-test", "doctor"] {
        let r = run(&cfg, &[command, "h"]);
        assert_bounded(
            &r,
            &format!("{command} against tls-drip"),
            "net.error.timeout",
        );
    }
}

fn incoming_case(protocol: &str, mode: &str, kind: &str) {
    let server = Hostile::start(mode, None);
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = write_config(
        dir.path(),
        &Sides {
            incoming: (protocol, server.port, "none"),
            smtp: (free_port(), "none"),
            ca: None,
        },
    );
    for command in ["check", "doctor"] {
        let r = run(&cfg, &[command, "h"]);
        assert_bounded(&r, &format!("{command} against {mode}"), kind);
    }
}

#[test]
fn imap_literal_of_4_gib() {
    incoming_case("imap", "imap-literal", "net.error.too_large.literal");
}

#[test]
fn imap_endless_untagged_lines() {
    incoming_case("imap", "imap-untagged", "net.error.too_large.lines");
}

#[test]
fn pop3_capa_without_its_final_dot() {
    incoming_case("pop3", "pop3-capa", "net.error.too_large.lines");
}

/// Plaintext sent right after `220` to STARTTLS (forged EHLO and `235` answers)
/// must not be read as if it came over TLS: the real server, inside TLS, refuses
/// the login.
#[test]
fn smtp_starttls_response_injection() {
    let certs = make_certs();
    let server = Hostile::start("starttls-inject", Some(&certs));
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = write_config(
        dir.path(),
        &Sides {
            incoming: ("imap", free_port(), "none"),
            smtp: (server.port, "starttls"),
            ca: Some(&certs.ca),
        },
    );
    for command in ["check", "send-test", "doctor"] {
        let r = run(&cfg, &[command, "h"]);
        let what = format!("{command} against starttls-inject");
        assert_bounded(&r, &what, "net.error.tls.injected");
        let smtp_ok = match command {
            "check" => r.json["smtp"]["ok"].as_bool(),
            "send-test" => r.json["send"]["ok"].as_bool(),
            _ => Some(r.json["servers"]["smtp"]["error"].is_null()),
        };
        assert_eq!(smtp_ok, Some(false), "{what}: SMTP passed\n{}", r.output);
    }
}

const TOKEN: &str = "oauth-test-token-Zq81";

/// An OAuth2 account (its token from a command) whose servers are both
/// implicit TLS on 127.0.0.1: `incoming` (IMAP) and `smtp` ports.
fn write_oauth_config(dir: &Path, email: &str, incoming: u16, smtp: u16, ca: &Path) -> PathBuf {
    let text = format!(
        r#"schema_version = 1

[[account]]
name = "h"
email = "{email}"
display_name = ""
ca_file = "{ca}"

[account.incoming]
protocol = "imap"
host = "127.0.0.1"
port = {incoming}
security = "tls"
username = "{email}"
auth = "oauth2"

[account.smtp]
host = "127.0.0.1"
port = {smtp}
security = "tls"
auth_required = true
username = "{email}"
same_password = true

[oauth2."h"]
token_command = "printf %s {TOKEN}"
"#,
        ca = ca.display()
    );
    let path = dir.join("accounts.toml");
    std::fs::write(&path, text).expect("write accounts.toml");
    path
}

/// `doctor h --json` (and in French) against an OAuth2 account whose
/// `side` server is the hostile `mode`: the findings' codes, English then
/// French texts, and neither output holds the token.
fn oauth_doctor(mode: &str, side: &str, email: &str) -> (Vec<String>, String, String) {
    let certs = make_certs();
    let server = Hostile::start(mode, Some(&certs));
    let dir = tempfile::tempdir().expect("tempdir");
    let (incoming, smtp) = match side {
        "incoming" => (server.port, free_port()),
        _ => (free_port(), server.port),
    };
    let cfg = write_oauth_config(dir.path(), email, incoming, smtp, &certs.ca);
    let ticket = dir.path().join("ticket.json");
    let en = run(&cfg, &["doctor", "h", "--bundle", ticket.to_str().unwrap()]);
    let fr = run(&cfg, &["doctor", "h", "--lang", "fr"]);
    // The ticket holds the redacted exchange, never the access token.
    let text = std::fs::read_to_string(&ticket).expect("the ticket was written");
    assert!(!text.contains(TOKEN), "{mode}: the token is in the ticket");
    assert!(
        !text.contains("token_command"),
        "{mode}: the token command is in the ticket"
    );
    let sasl = format!("user={email}\x01auth=Bearer {TOKEN}\x01\x01");
    let sasl = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, sasl);
    assert!(
        !text.contains(&sasl),
        "{mode}: the XOAUTH2 payload is in the ticket"
    );
    if side == "smtp" && mode.starts_with("oauth-") {
        assert!(text.contains("AUTH XOAUTH2 [redacted]"), "{mode}: {text}");
    }
    for r in [&en, &fr] {
        assert!(
            !r.output.contains(TOKEN),
            "{mode}: the token is in the output"
        );
        assert!(r.elapsed <= Duration::from_secs(TIMEOUT_SECS) + SLACK);
    }
    let codes = en.json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("{mode}: no findings\n{}", en.output))
        .iter()
        .filter(|f| f["server"] == side)
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect();
    (
        codes,
        en.json["findings"].to_string(),
        fr.json["findings"].to_string(),
    )
}

/// Microsoft 365's answer to XOAUTH2 when SMTP AUTH is off for the tenant:
/// not "use OAuth2" (the account already does) but the admin's switch.
#[test]
fn xoauth2_refused_with_5_7_139_is_smtp_auth_disabled() {
    let (codes, en, fr) = oauth_doctor("oauth-5.7.139", "smtp", "alice@contoso.test");
    assert_eq!(codes, ["smtp_auth_disabled"], "{en}");
    assert!(
        en.contains("Set-CASMailbox") && en.contains("alice@contoso.test"),
        "{en}"
    );
    assert!(fr.contains("SMTP AUTH est désactivé"), "{fr}");
    // A personal Outlook.com mailbox has no administrator to ask.
    let (codes, en, _) = oauth_doctor("oauth-5.7.139", "smtp", "bob@outlook.com");
    assert_eq!(codes, ["smtp_auth_disabled"], "{en}");
    assert!(
        en.contains("outlook.live.com") && !en.contains("Set-CASMailbox"),
        "{en}"
    );
}

#[test]
fn xoauth2_refused_with_5_7_3_is_a_token_without_the_smtp_scope() {
    let (codes, en, fr) = oauth_doctor("oauth-5.7.3", "smtp", "alice@contoso.test");
    assert_eq!(codes, ["oauth2_scope_missing"], "{en}");
    assert!(en.contains("SMTP.Send"), "{en}");
    assert!(
        fr.contains("jeton d\u{2019}accès") || fr.contains("jeton d'accès"),
        "{fr}"
    );
}

/// A server without XOAUTH2/OAUTHBEARER, for an OAuth2 account: "no OAuth2
/// here" with what it offers, not `protocol_mismatch` ("use TLS with 993").
#[test]
fn a_server_without_oauth2_says_so() {
    let (codes, en, _) = oauth_doctor("smtp-no-oauth", "smtp", "alice@contoso.test");
    assert_eq!(codes, ["oauth2_not_offered"], "{en}");
    assert!(en.contains("PLAIN, LOGIN"), "{en}");
    let (codes, en, fr) = oauth_doctor("imap-no-oauth", "incoming", "alice@contoso.test");
    assert_eq!(codes, ["oauth2_not_offered"], "{en}");
    assert!(en.contains("It offers: PLAIN"), "{en}");
    assert!(fr.contains("n'accepte pas la connexion OAuth2"), "{fr}");
}
