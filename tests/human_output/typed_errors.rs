//! Errors made in the core (a password command that fails, a CA file that
//! cannot be used, a server that closes the connection) are typed values
//! the faces localise: in French, none of the English texts they were once
//! built from remain, and each says what happened in French.

use super::checks::problems;
use super::common::mailwiz;
use mailwiz::i18n::Lang;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

/// stdout then stderr of one run.
fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("mailwiz runs");
    let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    String::from_utf8_lossy(&all).into_owned()
}

/// Adds an IMAP+SMTP account on `port` of 127.0.0.1 (TLS), named
/// `127.1` for "bad_name" (the system resolves it; TLS cannot use it).
fn add(cfg: &Path, name: &str, port: u16, password_command: &str, ca: Option<&Path>) {
    let security = if name == "babbles" { "none" } else { "tls" };
    let host = if name == "bad_name" {
        "127.1"
    } else {
        "127.0.0.1"
    };
    let port = port.to_string();
    let mut cmd = mailwiz(cfg);
    cmd.args(["add", "--name", name, "--email", "alice@example.test"])
        .args(["--incoming", "imap", "--in-host", host])
        .args(["--in-port", &port, "--in-security", security])
        .args(["--smtp-host", host, "--smtp-port", &port])
        .args(["--smtp-security", security, "--password-command"])
        .arg(password_command);
    if let Some(ca) = ca {
        cmd.arg("--ca-file").arg(ca);
    }
    let out = cmd.output().expect("mailwiz runs");
    assert!(out.status.success(), "add {name}: {out:?}");
}

/// `mailwiz --lang LANG check NAME`.
fn check(cfg: &Path, lang: Lang, name: &str) -> String {
    run(mailwiz(cfg)
        .args(["--lang", lang.code(), "check", name])
        .args(["--timeout", "5"]))
}

/// A loopback port whose server accepts and at once closes.
fn closing_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for s in l.incoming() {
            drop(s);
        }
    });
    port
}

/// A loopback port whose server greets as SMTP, then answers nonsense.
fn babbling_smtp_port() -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let _ = s.write_all(b"220 babble.test ESMTP\r\n");
            let mut line = String::new();
            let mut r = BufReader::new(s.try_clone().expect("clone"));
            let _ = r.read_line(&mut line);
            let _ = s.write_all(b"hello there, error ahead\r\n");
        }
    });
    port
}

/// A port with nothing listening (bound, then released).
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Each case: (account, French words expected, English words forbidden).
type Case = (&'static str, &'static str, &'static [&'static str]);

const CASES: &[Case] = &[
    (
        "exits3",
        "elle s'est terminée avec le code 3",
        &["exit status", "exit code", "the password command"],
    ),
    (
        "prints_nothing",
        "elle n'a affiché aucun mot de passe",
        &["no password", "empty"],
    ),
    (
        "ca_missing",
        "illisible (fichier ou dossier introuvable)",
        &[
            "entity not found",
            "No such file",
            "cannot be read",
            "CA file",
        ],
    ),
    (
        "ca_empty",
        "aucun certificat dedans",
        &["no certificate", "CA file"],
    ),
    (
        "closes",
        "le serveur a fermé la connexion",
        &["closed the connection", "unexpected end of file", "EOF"],
    ),
    (
        "babbles",
        "le serveur a dit\u{a0}: «\u{a0}hello there, error ahead\u{a0}»",
        &["not an SMTP reply"],
    ),
    (
        "bad_name",
        "«\u{a0}127.1\u{a0}» ne peut pas servir de nom de serveur",
        &[
            "not a valid server name",
            "is not a valid",
            "secure connection",
        ],
    ),
    (
        "plain_on_tls",
        "Le serveur n'a pas répondu en TLS",
        &["corrupt message", "InvalidContentType", "secure connection"],
    ),
];

#[test]
fn core_errors_read_in_french() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cfg = dir.path().join("accounts.toml");
    let ca_ok = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls/ca.pem");
    let (missing, empty) = (dir.path().join("gone.pem"), dir.path().join("empty.pem"));
    for p in [&missing, &empty] {
        std::fs::copy(&ca_ok, p).expect("copy the CA fixture");
    }
    let nothing = free_port();
    add(&cfg, "exits3", nothing, "exit 3", None);
    add(&cfg, "prints_nothing", nothing, "true", None);
    add(&cfg, "ca_missing", nothing, "echo pw", Some(&missing));
    add(&cfg, "ca_empty", nothing, "echo pw", Some(&empty));
    add(&cfg, "closes", closing_port(), "echo pw", None);
    add(&cfg, "babbles", babbling_smtp_port(), "echo pw", None);
    add(&cfg, "bad_name", closing_port(), "echo pw", None);
    add(&cfg, "plain_on_tls", babbling_smtp_port(), "echo pw", None);
    // Broken after `add`, which refuses an unusable CA file.
    std::fs::remove_file(&missing).expect("remove");
    std::fs::write(&empty, "").expect("empty");
    let mut failures = Vec::new();
    for (name, french, english) in CASES {
        let before = failures.len();
        let fr = check(&cfg, Lang::Fr, name);
        let en = check(&cfg, Lang::En, name);
        if !fr.contains(french) {
            failures.push(format!("{name}: {french:?} missing"));
        }
        failures.extend(
            problems(&fr, Lang::Fr)
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
        for e in *english {
            if fr.contains(e) {
                failures.push(format!("{name}: English {e:?} in French"));
            }
        }
        if en == fr || en.trim().is_empty() {
            failures.push(format!("{name}: no English text"));
        }
        if failures.len() > before {
            failures.push(format!("--- {name} (fr):\n{fr}\n--- (en):\n{en}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A client-id file that is not UTF-8, and one that cannot be read (a
/// folder): named in French, without the English words of the core.
#[test]
fn client_file_errors_read_in_french() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cfg = dir.path().join("accounts.toml");
    let system = dir.path().join("system");
    std::fs::create_dir_all(system.join("oauth-clients.toml")).expect("a folder");
    std::fs::write(
        dir.path().join("oauth-clients.toml"),
        b"[x]\nclient_id = \"\xff\"\n",
    )
    .expect("write");
    let text = |lang: Lang| {
        run(mailwiz(&cfg)
            .args(["--lang", lang.code(), "oauth-clients"])
            .env("MAILWIZ_SYSTEM_CONFIG_DIR", &system))
    };
    let (fr, en) = (text(Lang::Fr), text(Lang::En));
    assert!(fr.contains("n'est pas du texte UTF-8"), "{fr}");
    assert!(fr.contains("c'est un dossier"), "{fr}");
    for e in [
        "not UTF-8",
        "Is a directory",
        "is a directory",
        "other error",
    ] {
        assert!(!fr.contains(e), "English {e:?} in French: {fr}");
    }
    assert!(problems(&fr, Lang::Fr).is_empty(), "{fr}");
    assert!(en.contains("is not UTF-8 text"), "{en}");
}

/// A DNS server on loopback that answers every question SERVFAIL.
fn servfail_dns() -> std::net::SocketAddr {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let addr = sock.local_addr().expect("addr");
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = sock.recv_from(&mut buf) {
            if n < 2 {
                continue;
            }
            // The query's id; a response (QR), RCODE 2; no sections.
            let reply = [buf[0], buf[1], 0x81, 0x82, 0, 0, 0, 0, 0, 0, 0, 0];
            let _ = sock.send_to(&reply, from);
        }
    });
    addr
}

/// With `$MAILWIZ_DNS_SERVER`, names go through mailwiz's own DNS client:
/// its failures are typed too, and read in French.
#[test]
fn dns_failures_read_in_french() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cfg = dir.path().join("accounts.toml");
    let out = mailwiz(&cfg)
        .args(["add", "--name", "dns", "--email", "alice@example.test"])
        .args(["--incoming", "imap", "--in-host", "mail.example.test"])
        .args(["--in-port", "993", "--in-security", "tls"])
        .args(["--smtp-host", "mail.example.test", "--smtp-port", "465"])
        .args(["--smtp-security", "tls", "--password-command", "echo pw"])
        .output()
        .expect("mailwiz runs");
    assert!(out.status.success(), "add: {out:?}");
    let dns = servfail_dns().to_string();
    let text = |lang: Lang| {
        run(mailwiz(&cfg)
            .args(["--lang", lang.code(), "check", "dns", "--timeout", "5"])
            .env("MAILWIZ_DNS_SERVER", &dns))
    };
    let (fr, en) = (text(Lang::Fr), text(Lang::En));
    assert!(fr.contains("le serveur DNS a échoué (SERVFAIL)"), "{fr}");
    assert!(
        !fr.contains("the DNS server failed"),
        "English in French: {fr}"
    );
    assert!(problems(&fr, Lang::Fr).is_empty(), "{fr}");
    assert!(en.contains("the DNS server failed (SERVFAIL)"), "{en}");
}

/// A server that speaks only TLS 1.0/1.1 (`tests/harness/old_tls.py`),
/// killed when dropped.
struct OldTlsServer {
    child: std::process::Child,
    port: u16,
}

impl OldTlsServer {
    fn start() -> OldTlsServer {
        use std::io::{BufRead, BufReader};
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/harness/old_tls.py");
        let mut child = Command::new("python3")
            .arg(script)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs the old TLS server (install python3 and openssl)");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the port");
        let port = line.trim().parse().unwrap_or_else(|_| {
            panic!("old_tls.py printed {line:?}, not its port (is openssl installed?)")
        });
        OldTlsServer { child, port }
    }
}

impl Drop for OldTlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// No TLS version in common with an old server: said in French, without
/// rustls's English.
#[test]
fn an_old_tls_server_reads_in_french() {
    let server = OldTlsServer::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cfg = dir.path().join("accounts.toml");
    add(&cfg, "old_tls", server.port, "echo pw", None);
    let fr = check(&cfg, Lang::Fr, "old_tls");
    let en = check(&cfg, Lang::En, "old_tls");
    assert!(
        fr.contains("n'ont aucune version de TLS ni aucun chiffrement en commun"),
        "{fr}"
    );
    for english in [
        "received fatal alert",
        "ProtocolVersion",
        "secure connection",
    ] {
        assert!(!fr.contains(english), "English {english:?} in French: {fr}");
    }
    assert!(problems(&fr, Lang::Fr).is_empty(), "{fr}");
    assert!(en.contains("no TLS version or cipher in common"), "{en}");
}
