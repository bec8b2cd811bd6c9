#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 11: exported files never run a command, whatever the account
//! holds. Each hostile value goes into the account name, display name and
//! logins; every export is read by the real client (msmtp `--pretend`,
//! neomutt `-Q`, mbsync logging in to a recording IMAP server), which must
//! read back exactly the value and run exactly mailwiz's password command,
//! and the marker file that the value tries to create never appears.
//! Values with control characters are refused when the account is added
//! (in English and French) and, in a hand-edited file, when it is exported.

mod common;

use common::mailwiz;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// What the password command of every hostile account prints.
const PASSWORD: &str = "hostile-test-pw-7Qz";

/// The printable hostile values; `{m}` becomes the marker file's path.
fn hostile_values(marker: &Path) -> Vec<String> {
    let long: String = "Bob's \"long\" `x` $(y) \\ é 中 ; # % "
        .chars()
        .cycle()
        .take(mailwiz::account::MAX_TEXT_CHARS)
        .collect();
    [
        "Bob's mail",
        "it's \"quoted\"",
        r"back\slash\\ and \",
        "`touch {m}`",
        "$(touch {m})",
        "$HOME and ${HOME}",
        "a; touch {m} #",
        "'; touch {m}; '",
        "\"; touch {m}; \"",
        r#"\"$(touch {m})\""#,
        "#not a comment",
        "100% %s %n %40",
        "two  inner  spaces",
        "é and 中",
        "[section] = value",
    ]
    .iter()
    .map(|v| v.replace("{m}", &marker.display().to_string()))
    .chain([long])
    .collect()
}

/// A fresh account directory for each hostile value, whose `{m}` is that
/// directory's marker.
fn hostile_accounts() -> impl Iterator<Item = (Hostile, String)> {
    let count = hostile_values(Path::new("/")).len();
    (0..count).map(|i| {
        let h = Hostile::new();
        let value = hostile_values(&h.marker).swap_remove(i);
        (h, value)
    })
}

struct Hostile {
    dir: tempfile::TempDir,
    cfg: PathBuf,
    marker: PathBuf,
}

impl Hostile {
    fn new() -> Hostile {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("accounts.toml");
        let marker = dir.path().join("MARKER");
        Hostile { dir, cfg, marker }
    }

    /// Adds an account whose name, display name and logins are `value`,
    /// on plain IMAP and SMTP at `127.0.0.1:port`.
    fn add(&self, value: &str, imap_port: u16) -> Output {
        mailwiz(&self.cfg)
            .args([
                "add",
                "--email",
                "hostile@example.test",
                "--incoming",
                "imap",
            ])
            .args(["--name", value, "--display-name", value])
            .args(["--in-user", value, "--smtp-user", value])
            .args(["--in-host", "127.0.0.1", "--in-security", "none"])
            .args(["--in-port", &imap_port.to_string()])
            .args(["--smtp-host", "127.0.0.1", "--smtp-security", "none"])
            .args(["--password-command", &format!("printf %s {PASSWORD}")])
            .output()
            .unwrap()
    }

    fn export(&self, value: &str, format: &str, extra: &[&str]) -> String {
        let file = self.dir.path().join(format!("export.{format}"));
        let out = mailwiz(&self.cfg)
            .args([
                "export",
                value,
                "--format",
                format,
                "--no-login",
                "--output",
            ])
            .arg(&file)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "export {format} of {value:?}: {out:?}"
        );
        std::fs::read_to_string(&file).unwrap()
    }

    fn file(&self, format: &str) -> PathBuf {
        self.dir.path().join(format!("export.{format}"))
    }

    /// A client run in the temp dir, with mailwiz first on PATH.
    fn client(&self, program: &str) -> Command {
        let bin = Path::new(env!("CARGO_BIN_EXE_mailwiz")).parent().unwrap();
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        let mut c = Command::new(program);
        c.current_dir(self.dir.path())
            .env("PATH", path)
            .env("HOME", self.dir.path())
            .env("MAILWIZ_CONFIG", &self.cfg)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("XDG_CONFIG_HOME")
            .stdin(Stdio::null());
        c
    }

    fn assert_no_marker(&self, what: &str) {
        assert!(
            !self.marker.exists(),
            "{what}: a command from the exported file ran (marker created)"
        );
    }
}

fn run(mut c: Command, what: &str) -> Output {
    c.output()
        .unwrap_or_else(|e| panic!("{what} is installed (scripts/install-test-deps.sh): {e}"))
}

/// msmtp prints each setting as `name = value` with `--pretend`, after
/// running `passwordeval` (it fails when the command fails).
#[test]
fn msmtp_reads_hostile_values_back_and_runs_nothing() {
    for (h, value) in hostile_accounts() {
        let out = h.add(&value, 143);
        assert!(out.status.success(), "add {value:?}: {out:?}");
        let text = h.export(&value, "msmtp", &[]);
        let account = text
            .lines()
            .find_map(|l| l.strip_prefix("account "))
            .unwrap()
            .to_string();
        let mut c = h.client("msmtp");
        c.arg("-C").arg(h.file("msmtp"));
        c.args(["-a", &account, "--pretend", "--", "rcpt@example.test"]);
        let out = run(c, "msmtp");
        let shown = String::from_utf8_lossy(&out.stdout);
        h.assert_no_marker(&format!("msmtp, {value:?}"));
        assert!(
            out.status.success(),
            "msmtp (passwordeval) failed for {value:?}: {out:?}\n--- config\n{text}"
        );
        let get = |key: &str| {
            shown
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = ")))
                .map(str::to_string)
        };
        assert_eq!(get("user").as_deref(), Some(value.as_str()), "{text}");
        assert_eq!(get("from").as_deref(), Some("hostile@example.test"));
    }
}

/// neomutt's `-Q` prints `set var = "value"`, `\` and `"` escaped.
fn neomutt_query(out: &str, var: &str) -> Option<String> {
    let quoted = out
        .lines()
        .find_map(|l| l.strip_prefix(&format!("set {var} = \"")))?
        .strip_suffix('"')?;
    let mut value = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        value.push(if c == '\\' { chars.next()? } else { c });
    }
    Some(value)
}

#[test]
fn neomutt_reads_hostile_values_back_and_runs_nothing() {
    for (h, value) in hostile_accounts() {
        let marker_value = value.clone();
        let out = h.add(&marker_value, 143);
        assert!(out.status.success(), "add {value:?}: {out:?}");
        let text = h.export(&marker_value, "neomutt", &[]);
        let mut c = h.client("neomutt");
        c.arg("-n").arg("-F").arg(h.file("neomutt"));
        for var in ["real_name", "imap_user", "imap_pass", "smtp_pass"] {
            c.args(["-Q", var]);
        }
        let out = run(c, "neomutt");
        let shown = String::from_utf8_lossy(&out.stdout);
        h.assert_no_marker(&format!("neomutt, {value:?}"));
        assert!(out.status.success(), "neomutt -Q: {out:?}\n{text}");
        let q = |var| neomutt_query(&shown, var);
        assert_eq!(
            q("real_name").as_deref(),
            Some(marker_value.as_str()),
            "{shown}\n{text}"
        );
        assert_eq!(
            q("imap_user").as_deref(),
            Some(marker_value.as_str()),
            "{shown}\n{text}"
        );
        // The backtick ran mailwiz's password command for exactly this account.
        assert_eq!(q("imap_pass").as_deref(), Some(PASSWORD), "{shown}\n{text}");
        assert_eq!(q("smtp_pass").as_deref(), Some(PASSWORD), "{shown}\n{text}");
    }
}

/// One IMAP token: an atom, a quoted string (`\` escapes) or a literal
/// (`{n}`, answered with a continuation). Test-only, for short commands.
fn imap_token(line: &mut &str, reader: &mut impl BufRead, out: &mut impl Write) -> String {
    *line = line.trim_start();
    if let Some(rest) = line.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.push(chars.next().map_or('\\', |(_, c)| c)),
                '"' => {
                    *line = &rest[i + 1..];
                    return value;
                }
                c => value.push(c),
            }
        }
        *line = "";
        value
    } else if line.starts_with('{') && line.trim_end().ends_with('}') {
        let n: usize = line.trim()[1..line.trim().len() - 1]
            .trim_end_matches('+')
            .parse()
            .unwrap();
        out.write_all(b"+ go on\r\n").unwrap();
        let mut buf = vec![0; n];
        reader.read_exact(&mut buf).unwrap();
        *line = "";
        String::from_utf8_lossy(&buf).into_owned()
    } else {
        let end = line.find(' ').unwrap_or(line.len());
        let atom = line[..end].to_string();
        *line = &line[end..];
        atom
    }
}

/// A plain IMAP server on loopback that records each LOGIN's user and
/// password and refuses it.
fn recording_imap() -> (u16, mpsc::Receiver<(String, String)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
            let mut out = conn.try_clone().unwrap();
            let mut reader = BufReader::new(conn.take(1 << 20));
            let _ = out.write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] recorder\r\n");
            let mut raw = String::new();
            while reader.read_line(&mut raw).is_ok_and(|n| n > 0) {
                let text = std::mem::take(&mut raw);
                let mut line = text.trim_end_matches(['\r', '\n']);
                let tag = imap_token(&mut line, &mut reader, &mut out);
                let command = imap_token(&mut line, &mut reader, &mut out).to_ascii_uppercase();
                let reply = match command.as_str() {
                    "CAPABILITY" => format!("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK\r\n"),
                    "LOGIN" => {
                        let user = imap_token(&mut line, &mut reader, &mut out);
                        let mut rest = line;
                        let pass = if rest.trim().is_empty() {
                            let mut next = String::new();
                            let _ = reader.read_line(&mut next);
                            let mut l = next.trim_end_matches(['\r', '\n']);
                            imap_token(&mut l, &mut reader, &mut out)
                        } else {
                            imap_token(&mut rest, &mut reader, &mut out)
                        };
                        let _ = tx.send((user, pass));
                        format!("{tag} NO [AUTHENTICATIONFAILED] recorded\r\n")
                    }
                    "LOGOUT" => format!("* BYE\r\n{tag} OK\r\n"),
                    _ => format!("{tag} BAD unknown\r\n"),
                };
                if out.write_all(reply.as_bytes()).is_err() || command == "LOGOUT" {
                    break;
                }
            }
        }
    });
    (port, rx)
}

#[test]
fn mbsync_logs_in_with_exactly_the_hostile_login_and_runs_nothing() {
    let (port, logins) = recording_imap();
    for (h, value) in hostile_accounts() {
        let out = h.add(&value, port);
        assert!(out.status.success(), "add {value:?}: {out:?}");
        let local = h.dir.path().join("Mail");
        std::fs::create_dir_all(&local).unwrap();
        let text = h.export(
            &value,
            "mbsync",
            &["--maildir", &local.display().to_string()],
        );
        let channel = text
            .lines()
            .find_map(|l| l.strip_prefix("Channel "))
            .unwrap()
            .to_string();
        let mut c = h.client("mbsync");
        c.arg("-c").arg(h.file("mbsync")).arg(&channel);
        let out = run(c, "mbsync");
        h.assert_no_marker(&format!("mbsync, {value:?}"));
        let (user, pass) = logins
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("mbsync never logged in for {value:?}: {out:?}\n{text}"));
        assert_eq!(user, value, "{text}");
        assert_eq!(pass, PASSWORD, "PassCmd ran another command:\n{text}");
    }
}

#[test]
fn control_characters_are_refused_when_adding_in_both_languages() {
    for bad in [
        "a\nb",
        "line\r\neval touch x #",
        "esc\u{1b}[2J",
        "tab\there",
        "del\u{7f}",
    ] {
        for field in ["--name", "--display-name", "--in-user", "--smtp-user"] {
            let h = Hostile::new();
            for (lang, words) in [
                ("en", "control characters"),
                ("fr", "caractères de contrôle"),
            ] {
                let out = mailwiz(&h.cfg)
                    .args(["--lang", lang, "add", "--email", "x@example.test"])
                    .args(["--in-host", "127.0.0.1", "--smtp-host", "127.0.0.1"])
                    .args(["--password-command", "true", field, bad])
                    .output()
                    .unwrap();
                let err = String::from_utf8_lossy(&out.stderr);
                assert!(!out.status.success(), "{field} {bad:?} was accepted");
                assert!(err.contains(words), "{lang} {field} {bad:?}: {err}");
                assert!(!h.cfg.exists(), "{field} {bad:?}: an account was saved");
            }
        }
    }
}

#[test]
fn a_hand_edited_control_character_is_refused_by_every_export() {
    let h = Hostile::new();
    assert!(h.add("good", 143).status.success());
    let text = std::fs::read_to_string(&h.cfg).unwrap();
    let edited = text.replace(
        "display_name = \"good\"",
        "display_name = \"x\\neval touch MARKER #\\u0000\"",
    );
    assert_ne!(
        edited, text,
        "the display name line is in the file:\n{text}"
    );
    std::fs::write(&h.cfg, edited).unwrap();
    for format in [
        "thunderbird",
        "msmtp",
        "mbsync",
        "neomutt",
        "aerc",
        "himalaya",
    ] {
        let file = h.file(format);
        let out = mailwiz(&h.cfg)
            .args(["export", "good", "--format", format, "--output"])
            .arg(&file)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
        assert!(
            err.contains("display_name") && err.contains("control character"),
            "{err}"
        );
        assert!(!file.exists(), "{format}: a file was written");
        assert!(out.stdout.is_empty());
    }
}
