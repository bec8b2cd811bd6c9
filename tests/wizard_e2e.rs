#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! End to end: the real binary in a real terminal (tmux), driven by keys
//! through the whole wizard against the harness's Dovecot and a real
//! Secret Service. Afterwards the account is in the config file, the
//! password is only in the keyring, and the test message is in the mailbox.

mod common;

use common::tmux::Tmux;
use common::{KeyringSession, MailEnv, mailenv};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A loopback port nothing listens on (TCP and UDP).
/// mailwiz in a 100x30 terminal with the keyring's environment, the test
/// CA as the system roots, and discovery kept on loopback.
fn start(env: &MailEnv, keyring: &KeyringSession, config: &Path, lang: &str) -> Tmux {
    let mut cmd = Command::new("tmux");
    keyring.apply(&mut cmd);
    cmd.env("SSL_CERT_FILE", &env.ca);
    Tmux::launch(
        cmd,
        "wizard",
        config,
        lang,
        &offline_discovery(None),
        (100, 30),
    )
}

fn closed_port() -> u16 {
    loop {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = tcp.local_addr().unwrap().port();
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Discovery never leaves loopback: the ISPDB at `ispdb` (else a closed
/// port), DNS at a closed port, and no provider autoconfig (its fetch
/// would resolve names through the system's resolver).
fn offline_discovery(ispdb: Option<String>) -> Vec<(String, String)> {
    let port = closed_port();
    let ispdb = ispdb.unwrap_or_else(|| format!("http://127.0.0.1:{port}/v1.1/"));
    vec![
        ("MAILWIZ_ISPDB_URL".into(), ispdb),
        ("MAILWIZ_DNS_SERVER".into(), format!("127.0.0.1:{port}")),
        (
            "MAILWIZ_DISCOVER_SOURCES".into(),
            "preset,ispdb,srv,mx,guess".into(),
        ),
    ]
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Texts the test waits for, per language (from the i18n tables).
struct Screens {
    identity: &'static str,
    settings: &'static str,
    incoming: &'static str,
    outgoing: &'static str,
    password: &'static str,
    works: &'static str,
    send: &'static str,
    arrived: &'static str,
    saved: &'static str,
}

const EN: Screens = Screens {
    identity: "Who are you?",
    settings: "These are guesses",
    incoming: "Where your mail is fetched from",
    outgoing: "The server that sends your mail",
    password: "Show the password",
    works: "It works.",
    send: "Send test message",
    arrived: "The message arrived",
    saved: "is saved",
};

const FR: Screens = Screens {
    identity: "Qui êtes-vous",
    settings: "mailwiz n'a pas de",
    incoming: "votre courrier est relevé",
    outgoing: "Le serveur qui envoie votre courrier",
    password: "Afficher le mot de passe",
    works: "Ça fonctionne",
    send: "Envoyer un message d'essai",
    arrived: "Le message est arrivé",
    saved: "est enregistré",
};

fn run_wizard(lang: &str, texts: &Screens, protocol_right: bool) {
    let env = mailenv();
    let dir = tempfile::Builder::new()
        .prefix("mwe")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let mut t = start(env, &keyring, &config, lang);

    t.wait_for("mailwiz");
    t.keys(&["Enter"]);
    t.wait_for(texts.identity);
    t.type_text("Alice Test");
    t.keys(&["Tab"]);
    t.type_text("alice@example.test");
    t.keys(&["Enter"]);
    t.wait_for(texts.settings);
    t.keys(&["Enter"]);
    // POP or IMAP: IMAP is proposed; Right switches to POP.
    if protocol_right {
        t.keys(&["Right"]);
    }
    t.keys(&["Enter"]);
    t.wait_for(texts.incoming);
    let (port, _) = if protocol_right {
        (env.pop3s_port, "pop3")
    } else {
        (env.imaps_port, "imap")
    };
    t.keys(&["C-u"]);
    t.type_text(&env.host);
    t.keys(&["Tab", "C-u"]);
    t.type_text(&port.to_string());
    t.keys(&["Enter"]);
    t.wait_for(texts.outgoing);
    t.keys(&["C-u"]);
    t.type_text(&env.host);
    t.keys(&["Tab", "C-u"]);
    t.type_text(&env.smtp_port.to_string());
    t.keys(&["Tab", "Right"]); // SSL/TLS -> STARTTLS
    t.keys(&["Enter"]);
    t.wait_for(texts.password);
    t.type_text(&env.password);
    let masked = t.screen();
    assert!(
        !masked.contains(&env.password),
        "the password is shown while typed:\n{masked}"
    );
    t.keys(&["Enter"]);
    // Both checks run in the background; wait for both to succeed.
    let start = Instant::now();
    loop {
        let s = t.screen();
        if s.matches(texts.works).count() >= 2 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the test step did not succeed:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    t.keys(&["Enter"]);
    t.wait_for(texts.send);
    t.keys(&["s"]);
    let sent = t.wait_for("250 ");
    // The subject is in the user's language; its 12-hex id is in both.
    let subject = sent
        .lines()
        .filter(|l| l.contains("mailwiz"))
        .find_map(|l| {
            l.split(|c: char| !c.is_ascii_alphanumeric())
                .find(|w| w.len() == 12 && w.chars().all(|c| c.is_ascii_hexdigit()))
                .map(str::to_string)
        })
        .expect("the subject is shown");
    t.keys(&["w"]);
    t.wait_for(texts.arrived);
    t.keys(&["Enter"]);
    t.wait_for(texts.saved);

    // The message is in the mailbox, seen directly on disk.
    assert!(
        env.wait_for_message("alice@example.test", &subject, Duration::from_secs(10))
            .is_some(),
        "{subject} not found in alice's Maildir"
    );
    // The account is saved; the password is in the keyring and nowhere else.
    let cfg = std::fs::read_to_string(&config).expect("the config file is written");
    assert!(cfg.contains(&format!("port = {port}")), "{cfg}");
    let attrs = [
        ("service", "mailwiz"),
        ("username", "incoming:alice@example.test"),
    ];
    assert_eq!(
        keyring.secret_tool_lookup(&attrs).as_deref(),
        Some(env.password.as_str())
    );
    for s in &t.screens {
        assert!(
            !s.contains(&env.password),
            "the password was on screen:\n{s}"
        );
    }
    for f in walk(&home) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(&env.password),
            "the password is in {}",
            f.display()
        );
    }
}

#[test]
fn wizard_in_english_imap() {
    run_wizard("en", &EN, false);
}

#[test]
fn wizard_in_french_pop3() {
    run_wizard("fr", &FR, true);
}

/// Serves one ISPDB file at `/v1.1/<domain>` on loopback (404 otherwise);
/// returns the base URL.
fn serve_ispdb(domain: &'static str, xml: String) -> String {
    use std::io::{BufRead, BufReader, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let mut r = BufReader::new(s);
            let mut first = String::new();
            let _ = r.read_line(&mut first);
            loop {
                let mut h = String::new();
                if r.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/");
            let (status, body) = if path == format!("/v1.1/{domain}") {
                ("200 OK", xml.as_str())
            } else {
                ("404 Not Found", "not found")
            };
            let _ = write!(
                r.get_mut(),
                "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}/v1.1/")
}

/// The "Settings found" step searches while it shows each source, and
/// proposes what the ISPDB says (served here from the sample), with its
/// source; the next steps get those values.
fn proposes_ispdb_settings(lang: &str, found: &str, source: &str, channel: &str) {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ispdb/dd.iij4u.or.jp.xml"
    );
    let xml = std::fs::read_to_string(sample).expect("the ISPDB sample is there");
    let base = serve_ispdb("dd.iij4u.or.jp", xml);
    let dir = tempfile::Builder::new()
        .prefix("mwe")
        .tempdir_in("/tmp")
        .unwrap();
    let config = dir.path().join("accounts.toml");
    let mut cmd = Command::new("tmux");
    cmd.env("HOME", dir.path()).env_remove("MAILWIZ_KEYRING");
    let mut t = Tmux::launch(
        cmd,
        "ispdb",
        &config,
        lang,
        &offline_discovery(Some(base.clone())),
        (100, 30),
    );
    t.wait_for("mailwiz");
    t.keys(&["Enter"]);
    t.type_text("Bob");
    t.keys(&["Tab"]);
    t.type_text("bob@dd.iij4u.or.jp");
    t.keys(&["Enter"]);
    let s = t.wait_for(found);
    for needle in [
        "mbox.iij4u.or.jp:110 STARTTLS",
        "mbox.iij4u.or.jp:587 STARTTLS",
        "bob.dd.iij4u.or.jp",
        source,
        channel,
        &format!("{base}dd.iij4u.or.jp"),
        "ISPDB",
        "DNS SRV",
    ] {
        assert!(s.contains(needle), "{needle:?} not on screen:\n{s}");
    }
    // Enter: POP (as the ISPDB says), then its server in the form.
    t.keys(&["Enter"]);
    t.keys(&["Enter"]);
    let s = t.wait_for("mbox.iij4u.or.jp");
    assert!(s.contains("110"), "{s}");
    assert!(s.contains("bob.dd.iij4u.or.jp"), "{s}");
    t.keys(&["Enter"]);
    let s = t.wait_for("587");
    assert!(s.contains("mbox.iij4u.or.jp"), "{s}");
    // The sample gives SMTP the same login as POP.
    assert!(s.contains("[x]"), "{s}");
    t.keys(&["C-c"]);
    t.keys(&["y"]);
}

#[test]
fn settings_found_proposes_the_ispdb_entry_in_english() {
    proposes_ispdb_settings(
        "en",
        "mailwiz found settings",
        "(Thunderbird",
        "NOT over an",
    );
}

#[test]
fn settings_found_proposes_the_ispdb_entry_in_french() {
    proposes_ispdb_settings(
        "fr",
        "mailwiz a trouvé des réglages",
        "(Base ISPDB de",
        "PAS par un",
    );
}

/// Import: a Thunderbird profile in HOME points at the test servers; the
/// welcome screen lists it, `I` fills the wizard, and the usual steps run
/// to a saved, working account.
#[test]
fn import_from_thunderbird_then_test_and_save() {
    let env = mailenv();
    let dir = tempfile::Builder::new()
        .prefix("mwi")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let profile = home.join(".thunderbird/abcd.default-release");
    std::fs::create_dir_all(&profile).unwrap();
    let prefs = format!(
        r#"user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.identity.id1.fullName", "Alice Test");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.useremail", "alice@example.test");
user_pref("mail.server.server1.hostname", "{host}");
user_pref("mail.server.server1.port", {imap});
user_pref("mail.server.server1.socketType", 2);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "alice@example.test");
user_pref("mail.smtpserver.smtp1.hostname", "{host}");
user_pref("mail.smtpserver.smtp1.port", {smtps});
user_pref("mail.smtpserver.smtp1.try_ssl", 3);
user_pref("mail.smtpserver.smtp1.username", "alice@example.test");
user_pref("mail.smtpservers", "smtp1");
"#,
        host = env.host,
        imap = env.imap_port,
        smtps = env.smtps_port
    );
    std::fs::write(profile.join("prefs.js"), prefs).unwrap();
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let mut t = start(env, &keyring, &config, "en");

    let s = t.wait_for("Found in your other mail clients");
    assert!(s.contains("Thunderbird, alice@example.test"), "{s}");
    t.keys(&["i"]);
    t.wait_for(EN.identity);
    t.keys(&["Enter"]);
    let s = t.wait_for("Settings imported from Thunderbird");
    assert!(s.contains(&env.imap_port.to_string()), "{s}");
    t.keys(&["Enter", "Enter"]); // settings found, POP or IMAP (IMAP kept)
    t.wait_for(EN.incoming);
    t.keys(&["Enter"]);
    t.wait_for(EN.outgoing);
    t.keys(&["Enter"]);
    t.wait_for(EN.password);
    t.type_text(&env.password);
    t.keys(&["Enter"]);
    let start = Instant::now();
    loop {
        let s = t.screen();
        if s.matches(EN.works).count() >= 2 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the imported settings do not work:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    t.keys(&["Enter"]);
    t.wait_for(EN.send);
    t.keys(&["s"]);
    t.wait_for("250 ");
    t.keys(&["Enter"]);
    t.wait_for(EN.saved);
    let cfg = std::fs::read_to_string(&config).expect("the config file is written");
    assert!(cfg.contains(&format!("port = {}", env.imap_port)), "{cfg}");
    assert!(cfg.contains("security = \"starttls\""), "{cfg}");
    assert!(cfg.contains(&format!("port = {}", env.smtps_port)), "{cfg}");
    for s in &t.screens {
        assert!(
            !s.contains(&env.password),
            "the password was on screen:\n{s}"
        );
    }
}
