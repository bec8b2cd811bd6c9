#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! A CA file that cannot be used is its own finding (`ca_file_unusable`,
//! with the path and the reason), not `protocol_mismatch`: `mailwiz
//! doctor` against the harness's real Dovecot and SMTP relay, in English
//! and French, and a ticket made in French replayed in English.

#[path = "human_output/checks.rs"]
mod checks;
mod common;

use common::{MailEnv, add_tls_account_with, mailenv, mailwiz, password_file_command};
use mailwiz::i18n::Lang;
use serde_json::Value;
use std::path::Path;

/// An IMAPS + SMTPS account `t` on the harness whose CA file is `ca` (a
/// good copy while it is added: `add` refuses an unusable one).
fn account(env: &MailEnv, dir: &Path, ca: &Path) -> std::path::PathBuf {
    let cfg = dir.join("accounts.toml");
    std::fs::copy(&env.ca, ca).unwrap();
    let command = password_file_command(&cfg, &env.password);
    add_tls_account_with(env, &cfg, "t", env.smtps_port, ca, &command);
    cfg
}

/// stdout and stderr of `mailwiz --lang LANG ARGS`, with one SMTP port
/// probed; the test password must be in neither.
fn run(env: &MailEnv, cfg: &Path, lang: Lang, args: &[&str]) -> String {
    let out = mailwiz(cfg)
        .args(["--lang", lang.code()])
        .args(args)
        .env("MAILWIZ_DOCTOR_SMTP_PORTS", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains(&env.password), "the password is shown");
    text
}

fn codes(json: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["server"].as_str().unwrap(),
                f["code"].as_str().unwrap()
            )
        })
        .collect()
}

/// How each case breaks the CA file, and the French words of its reason.
type Break = fn(&Path);
const CASES: &[(&str, Break, &str, &str)] = &[
    (
        "missing",
        |p| std::fs::remove_file(p).unwrap(),
        "does not exist",
        "n'existe pas",
    ),
    (
        "not PEM",
        |p| {
            std::fs::write(
                p,
                "-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n",
            )
            .unwrap();
        },
        "is not a PEM certificate file",
        "n'est pas un fichier de certificats PEM",
    ),
    (
        "empty",
        |p| std::fs::write(p, "").unwrap(),
        "holds no certificate",
        "ne contient aucun certificat",
    ),
];

#[test]
fn an_unusable_ca_file_is_its_own_finding_in_both_languages() {
    let env = mailenv();
    let mut failures = Vec::new();
    for (case, break_it, english, french) in CASES {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("company-ca.pem");
        let cfg = account(env, dir.path(), &ca);
        let ok = codes(&run(env, &cfg, Lang::En, &["doctor", "t", "--json"]));
        assert_eq!(ok, ["incoming:ok", "smtp:ok"], "{case}: before breaking");
        break_it(&ca);
        let json = run(env, &cfg, Lang::En, &["doctor", "t", "--json"]);
        let expected = ["incoming:ca_file_unusable", "smtp:ca_file_unusable"];
        if codes(&json) != expected {
            failures.push(format!("{case}: {:?}\n{json}", codes(&json)));
        }
        let path = ca.display().to_string();
        let en = run(env, &cfg, Lang::En, &["doctor", "t"]);
        let fr = run(env, &cfg, Lang::Fr, &["doctor", "t"]);
        for (lang, text, words) in [(Lang::En, &en, english), (Lang::Fr, &fr, french)] {
            let wanted = [*words, path.as_str(), "ca_file_unusable"];
            for w in wanted {
                if !text.contains(w) {
                    failures.push(format!("{case} ({lang:?}): {w:?} missing\n{text}"));
                }
            }
            if text.contains("protocol_mismatch") {
                failures.push(format!("{case} ({lang:?}): still protocol_mismatch"));
            }
            for p in checks::problems(text, lang) {
                failures.push(format!("{case} ({lang:?}): {p}\n{text}"));
            }
        }
        for e in [
            "does not",
            "holds no",
            "CA file",
            "cannot be used",
            "Point the",
        ] {
            if fr.contains(e) {
                failures.push(format!("{case}: English {e:?} in French\n{fr}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A ticket made in French with a missing CA file replays in English with
/// the same finding.
#[test]
fn a_ticket_keeps_the_finding() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    let cfg = account(env, dir.path(), &ca);
    std::fs::remove_file(&ca).unwrap();
    let ticket = dir.path().join("ticket.json");
    let t = ticket.to_str().unwrap();
    let made = run(
        env,
        &cfg,
        Lang::Fr,
        &["doctor", "t", "--json", "--bundle", t],
    );
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&ticket).unwrap()).unwrap();
    assert_eq!(written["findings"][0]["code"], "ca_file_unusable", "{made}");
    let en = run(env, &cfg, Lang::En, &["doctor", "--replay", t, "--json"]);
    assert_eq!(codes(&en), codes(&made));
    let v: Value = serde_json::from_str(&en).unwrap();
    let title = v["findings"][0]["title"].as_str().unwrap();
    assert!(title.contains("does not exist"), "{title}");
}

/// The wizard's diagnosis ("D" on the saved account) in French, in a real
/// terminal: the same finding, and F leads to the step holding the CA file.
#[test]
fn the_wizards_diagnosis_says_it_in_french() {
    use common::tmux::Tmux;
    use std::time::Duration;
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    let cfg = account(env, dir.path(), &ca);
    std::fs::remove_file(&ca).unwrap();
    let mut cmd = std::process::Command::new("tmux");
    cmd.env_remove("DBUS_SESSION_BUS_ADDRESS");
    let vars = [(
        "MAILWIZ_DOCTOR_SMTP_PORTS".to_string(),
        env.closed_port.to_string(),
    )];
    let mut t = Tmux::launch(cmd, "ca-file", &cfg, "fr", &vars, (140, 36));
    t.wait_for_all(&["D dépanner"], Duration::from_secs(10));
    t.keys(&["d"]);
    let title = format!(
        "Le fichier d'AC du serveur IMAP {}:{} n'existe pas",
        env.host, env.imaps_port
    );
    let s = t.wait_for_all(
        &[
            &title,
            "Problèmes trouvés\u{a0}: 2",
            "à l'étape «\u{a0}Serveur entrant\u{a0}»",
        ],
        Duration::from_secs(16),
    );
    assert!(!s.contains("protocol"), "{s}");
    let problems = checks::problems(&s, Lang::Fr);
    assert!(problems.is_empty(), "{problems:?}\n{s}");
}
