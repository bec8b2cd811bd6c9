//! The refusals of the core's error types (a field that is not valid, an
//! export the client cannot read, a QR code the account does not fit in)
//! read in French only, from `mailwiz add` and `mailwiz export`: the
//! English texts these types once carried (thiserror) never show.

use super::checks::problems;
use super::common::mailwiz;
use mailwiz::i18n::Lang;
use std::path::Path;

/// stdout then stderr of `mailwiz --lang LANG ARGS`, and whether it failed.
fn run(cfg: &Path, lang: Lang, args: &[&str]) -> (String, bool) {
    let out = mailwiz(cfg)
        .args(["--lang", lang.code()])
        .args(args)
        .output()
        .expect("mailwiz runs");
    let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    (
        String::from_utf8_lossy(&all).into_owned(),
        !out.status.success(),
    )
}

/// `mailwiz add NAME` of an account on made-up hosts, with `extra`.
fn add_args<'a>(name: &'a str, protocol: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let host = match name {
        "latin" => "latin.example.test",
        // Nothing listens on port 1 of the loopback: the folder lookup fails.
        "lookup" => "127.0.0.1",
        _ => "imap.example.test",
    };
    let mut v = vec!["add", "--name", name, "--email", "alice@example.test"];
    v.extend(["--incoming", protocol, "--in-host", host]);
    v.extend([
        "--smtp-host",
        "smtp.example.test",
        "--password-command",
        "echo pw",
    ]);
    v.extend(extra);
    v
}

/// Replaces `from` by `to` in the accounts file: what a hand edit (or an
/// older version) can leave that `add` would refuse.
fn edit(cfg: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(cfg).expect("the accounts file");
    assert!(text.contains(from), "{from:?} not in\n{text}");
    std::fs::write(cfg, text.replacen(from, to, 1)).expect("write");
}

/// (case, arguments, whether mailwiz refuses, French words, English words
/// of the same text, and the English texts that must not show).
type Case<'a> = (&'a str, Vec<&'a str>, bool, &'a str, &'a str, &'a [&'a str]);

#[test]
fn core_refusals_read_in_french() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cfg = dir.path().join("accounts.toml");
    let emoji = "😀".repeat(250);
    let big = [
        "--display-name",
        &emoji,
        "--in-user",
        &emoji,
        "--smtp-user",
        &emoji,
    ];
    for (name, protocol, extra) in [
        ("pop", "pop3", &[][..]),
        ("big", "imap", &big[..]),
        ("latin", "imap", &[][..]),
        ("bell", "imap", &[][..]),
        ("lookup", "imap", &["--in-port", "1"][..]),
    ] {
        let (out, failed) = run(&cfg, Lang::En, &add_args(name, protocol, extra));
        assert!(!failed, "add {name}: {out}");
    }
    edit(&cfg, "\"latin.example.test\"", "\"lätin.example.test\"");
    edit(&cfg, "name = \"bell\"", "name = \"be\\u0007ll\"");
    let bell = "be\u{7}ll";
    let unwritable = dir.path().join("gone/lookup.rc").display().to_string();
    let cases: Vec<Case> = vec![
        (
            "bad port",
            add_args("x", "imap", &["--in-port", "0"]),
            true,
            "Un port est un nombre de 1 à 65535",
            "A port is a number from 1 to 65535",
            &["a port is a number"],
        ),
        (
            "control character",
            add_args("a\tb", "imap", &[]),
            true,
            "ne doit pas contenir de caractères de contrôle",
            "must not contain control characters",
            &["must not contain", "control characters"],
        ),
        (
            "export POP3 for mbsync",
            vec!["export", "pop", "--format", "mbsync"],
            true,
            "mbsync ne lit le courrier qu'en IMAP, et pop utilise POP3",
            "mbsync reads mail over IMAP only, and pop uses POP3",
            &["reads mail over IMAP only", "this account uses POP3"],
        ),
        (
            "QR too large",
            vec!["export", "big", "--format", "qr"],
            true,
            "ne tiennent pas dans un seul code QR",
            "do not fit in one QR code",
            &["do not fit in one QR code", "bytes)"],
        ),
        (
            "QR not ASCII",
            vec!["export", "latin", "--format", "qr"],
            true,
            "n'accepte que l'ASCII dans le champ «\u{a0}serveur de réception\u{a0}»",
            "allows only ASCII in the incoming server",
            &["is not ASCII", "incoming host", "does not allow"],
        ),
        (
            "control character in a saved name",
            vec!["export", bell, "--format", "msmtp"],
            true,
            "le champ name de bell contient un caractère de contrôle",
            "the name of bell holds a control character",
            &["holds a control character", "no export can carry it"],
        ),
        (
            "server folders not read",
            vec![
                "export",
                "lookup",
                "--format",
                "mbsync",
                "--maildir",
                "/nonexistent/m",
            ],
            false,
            "Impossible de lire les noms des dossiers du serveur (Le serveur a refusé la connexion",
            "(The server refused the connection",
            &[
                "refused the connection",
                "nothing listens",
                "Connection refused",
            ],
        ),
        (
            "file not written",
            vec![
                "export",
                "lookup",
                "--format",
                "mbsync",
                "--no-login",
                "-o",
                &unwritable,
            ],
            true,
            "Impossible d'écrire",
            "Cannot write",
            &["No such file", "os error"],
        ),
    ];
    let mut failures = Vec::new();
    for (case, args, refused, french, english, old) in &cases {
        let (fr, fr_failed) = run(&cfg, Lang::Fr, args);
        let (en, _) = run(&cfg, Lang::En, args);
        if fr_failed != *refused {
            failures.push(format!("{case}: refused is {fr_failed}"));
        }
        if !fr.contains(french) {
            failures.push(format!("{case}: {french:?} missing"));
        }
        if !en.contains(english) {
            failures.push(format!("{case}: English {english:?} missing"));
        }
        for o in *old {
            if fr.contains(o) {
                failures.push(format!("{case}: English {o:?} in French"));
            }
        }
        for text in [&fr, &en] {
            if text.chars().any(|c| c.is_control() && c != '\n') {
                failures.push(format!("{case}: a control character is shown"));
            }
        }
        failures.extend(
            problems(&fr, Lang::Fr)
                .into_iter()
                .map(|p| format!("{case}: {p}")),
        );
        if failures.iter().any(|f| f.starts_with(case)) {
            failures.push(format!("--- {case} (fr):\n{fr}\n--- (en):\n{en}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `doctor --transcript` into a folder that does not exist: the reason in
/// French (not the OS's English), no claim that the transcript was
/// written, and a failed exit.
#[test]
fn a_transcript_that_cannot_be_written_is_said_so_in_french() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cfg = dir.path().join("accounts.toml");
    let add = [
        "add",
        "--name",
        "t",
        "--email",
        "alice@example.test",
        "--incoming",
        "imap",
        "--in-host",
        "127.0.0.1",
        "--in-port",
        "1",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        "1",
        "--password-command",
        "echo pw",
    ];
    let (out, failed) = run(&cfg, Lang::En, &add);
    assert!(!failed, "{out}");
    let gone = dir.path().join("gone/t.txt");
    let gone = gone.to_str().expect("a UTF-8 path");
    let (fr, failed) = run(&cfg, Lang::Fr, &["doctor", "t", "--transcript", gone]);
    assert!(failed, "{fr}");
    assert!(
        fr.contains("Impossible d'écrire la transcription") && fr.contains("introuvable"),
        "{fr}"
    );
    for english in ["No such file", "os error"] {
        assert!(
            !fr.contains(english),
            "English {english:?} in French:\n{fr}"
        );
    }
    assert!(!fr.contains("écrite dans"), "said written:\n{fr}");
    assert!(!Path::new(gone).exists());
}
