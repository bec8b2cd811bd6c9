//! End to end: the real binary in a real terminal (tmux), driven by keys
//! through the whole wizard against the harness's Dovecot and a real
//! Secret Service. Afterwards the account is in the config file, the
//! password is only in the keyring, and the test message is in the mailbox.

mod common;

use common::{KeyringSession, MailEnv, mailenv};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    screens: Vec<String>,
}

impl Tmux {
    /// Starts mailwiz in a 100x30 tmux session with the keyring's
    /// environment and the test CA as the system roots.
    fn start(env: &MailEnv, keyring: &KeyringSession, config: &Path, lang: &str) -> Tmux {
        let socket = format!("mwe2e-{}-{lang}", std::process::id());
        let mut cmd = Command::new("tmux");
        keyring.apply(&mut cmd);
        for var in [
            "LANG",
            "LC_ALL",
            "LC_MESSAGES",
            "LANGUAGE",
            "MAILWIZ_LANG",
            "MAILWIZ_KEYRING",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("SSL_CERT_FILE", &env.ca)
            .env("TERM", "xterm-256color");
        let program = format!(
            "{} --config {} --lang {lang}; sleep 5",
            env!("CARGO_BIN_EXE_mailwiz"),
            config.display()
        );
        let status = cmd
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "30",
                &program,
            ])
            .status()
            .expect("tmux runs (package tmux)");
        assert!(status.success(), "tmux new-session failed");
        Tmux {
            socket,
            screens: Vec::new(),
        }
    }

    fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            let st = self
                .tmux()
                .args(["send-keys", "-t", "0"])
                .arg(k)
                .status()
                .unwrap();
            assert!(st.success());
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Types text literally (no key names).
    fn type_text(&mut self, text: &str) {
        let st = self
            .tmux()
            .args(["send-keys", "-t", "0", "-l", text])
            .status()
            .unwrap();
        assert!(st.success());
        std::thread::sleep(Duration::from_millis(60));
    }

    fn screen(&mut self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        self.screens.push(text.clone());
        text
    }

    /// Waits until the screen shows `needle`; panics with the screen.
    fn wait_for(&mut self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("screen never showed {needle:?}:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
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
    let mut t = Tmux::start(env, &keyring, &config, lang);

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
    let subject = sent
        .lines()
        .find_map(|l| {
            l.find("mailwiz test ").map(|i| {
                l[i..]
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
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
