#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! No lost account, no overwritten or orphaned secret: the real binary
//! with a real Secret Service (and the kernel keyring): parallel `add`s,
//! a file write that fails after the secret was written, a second stdin
//! line, keyutils across processes.

mod common;

use common::{KeyringSession, mailwiz};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Instant;

struct Machine {
    _dir: tempfile::TempDir,
    config: PathBuf,
    keyring: KeyringSession,
}

impl Machine {
    fn new() -> Machine {
        let dir = tempfile::Builder::new()
            .prefix("mwks")
            .tempdir_in("/tmp")
            .unwrap();
        let home = dir.path().join("home");
        let keyring = KeyringSession::start(&home);
        let config = home.join(".config/mailwiz/accounts.toml");
        Machine {
            _dir: dir,
            config,
            keyring,
        }
    }

    fn command(&self) -> Command {
        let mut cmd = mailwiz(&self.config);
        self.keyring.apply(&mut cmd);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd
    }

    fn secret(&self, entry: &str) -> Option<String> {
        self.keyring
            .secret_tool_lookup(&[("service", "mailwiz"), ("username", entry)])
    }
}

fn add_args(name: &str) -> Vec<String> {
    [
        "add",
        "--email",
        &format!("{name}@example.test"),
        "--in-host",
        "mail.example.test",
        "--smtp-host",
        "mail.example.test",
        "--password-stdin",
    ]
    .iter()
    .map(std::string::ToString::to_string)
    .collect()
}

fn spawn_with_stdin(mut cmd: Command, stdin: &str) -> Child {
    let mut child = cmd.stdin(Stdio::piped()).spawn().expect("run mailwiz");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn account_names(config: &Path) -> Vec<String> {
    let out = mailwiz(config).args(["list", "--json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["accounts"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `MAILWIZ_TEST_TRIALS` trials (default 20) of 20 parallel `add`s on one
/// file: every account and every secret must be there each time.
#[test]
fn parallel_adds_keep_every_account_and_secret() {
    let trials: usize = std::env::var("MAILWIZ_TEST_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let m = Machine::new();
    let start = Instant::now();
    for trial in 0..trials {
        let _ = std::fs::remove_file(&m.config);
        let names: Vec<String> = (0..20).map(|i| format!("t{trial}-p{i}")).collect();
        let children: Vec<Child> = names
            .iter()
            .map(|name| {
                let mut cmd = m.command();
                cmd.args(add_args(name));
                spawn_with_stdin(cmd, &format!("pw-{name}\n"))
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "trial {trial}: {}", text(&out));
        }
        let mut saved = account_names(&m.config);
        saved.sort();
        let mut want: Vec<String> = names.iter().map(|n| format!("{n}@example.test")).collect();
        want.sort();
        assert_eq!(saved, want, "trial {trial}: accounts lost");
        for name in &want {
            let entry = format!("incoming:{name}");
            let local = name.trim_end_matches("@example.test");
            assert_eq!(
                m.secret(&entry).as_deref(),
                Some(format!("pw-{local}").as_str()),
                "trial {trial}: secret of {name}"
            );
        }
    }
    eprintln!(
        "{trials} trials of 20 parallel adds: {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

/// `add` with file writes limited to 0 bytes (as on a full disk), the
/// signal ignored so the write fails with EFBIG and mailwiz goes on.
fn add_on_a_full_disk(m: &Machine, name: &str, password: &str) -> Output {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -f 0; trap '' XFSZ; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_mailwiz"))
        .arg("--config")
        .arg(&m.config)
        .args(add_args(name))
        .env_remove("LANG")
        .env_remove("LC_ALL");
    m.keyring.apply(&mut cmd);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    spawn_with_stdin(cmd, &format!("{password}\n"))
        .wait_with_output()
        .unwrap()
}

#[test]
fn a_failed_file_write_leaves_no_new_secret_and_restores_the_old_one() {
    let m = Machine::new();
    let out = add_on_a_full_disk(&m, "full", "new-secret-1");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("Cannot write"), "{}", text(&out));
    assert_eq!(
        m.secret("incoming:full@example.test"),
        None,
        "orphan secret"
    );

    let mut cmd = m.command();
    cmd.args(add_args("kept"));
    let out = spawn_with_stdin(cmd, "working-password\n")
        .wait_with_output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let out = add_on_a_full_disk(&m, "kept", "wrong-password");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(
        m.secret("incoming:kept@example.test").as_deref(),
        Some("working-password"),
        "the saved account's password was overwritten"
    );
}

#[test]
fn a_second_stdin_line_is_not_an_smtp_password() {
    let m = Machine::new();
    let mut cmd = m.command();
    cmd.args(add_args("otp"));
    let out = spawn_with_stdin(cmd, "the-password\n123456\n")
        .wait_with_output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        m.secret("incoming:otp@example.test").as_deref(),
        Some("the-password")
    );
    assert_eq!(m.secret("smtp:otp@example.test"), None, "TOTP line stored");
    let saved = std::fs::read_to_string(&m.config).unwrap();
    assert!(saved.contains("same_password = true"), "{saved}");
}

/// Runs mailwiz with `MAILWIZ_KEYRING=keyutils` in a fresh session keyring
/// (`keyctl session -`), as a separate login would; `setup` is a shell
/// command run in that session first.
fn keyutils_run(config: &Path, setup: &str, args: &[&str], stdin: &str) -> Output {
    let script = format!("{setup} && exec \"$0\" \"$@\"");
    let mut child = Command::new("keyctl")
        .args(["session", "-", "sh", "-c", &script])
        .arg(env!("CARGO_BIN_EXE_mailwiz"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("MAILWIZ_KEYRING", "keyutils")
        .env("LANG", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run keyctl ({e}); install package keyutils"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn keyutils_add_args(name: &str) -> [&str; 8] {
    [
        "add",
        "--email",
        name,
        "--in-host",
        "mail.example.test",
        "--smtp-host",
        "mail.example.test",
        "--password-stdin",
    ]
}

/// Each command in a fresh session keyring, as separate logins would be:
/// `add` stores, `password` finds it, `remove` deletes it.
#[test]
fn keyutils_secrets_are_found_by_the_next_process_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let name = format!("ku{}@example.test", std::process::id());
    let run = |args: &[&str], stdin: &str| keyutils_run(&config, "true", args, stdin);
    let out = run(&keyutils_add_args(&name), "ku-secret\n");
    assert!(out.status.success(), "{}", text(&out));
    let out = run(&["password", &name], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ku-secret"));
    let out = run(&["remove", &name], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("deleted: 1"), "{}", text(&out));
    let out = run(&["password", &name], "");
    assert!(!out.status.success(), "still found after remove");
}

/// A session keyring this process may not write to (its owner removed the
/// write permission: `keyctl setperm @s`) cannot reach the persistent
/// keyring, so a secret would live, at best, as long as the session. `add`
/// refuses with that reason and its advice; no account, no secret is left,
/// and the password never appears in the output.
#[test]
fn keyutils_without_a_persistent_keyring_refuses_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let name = format!("kunp{}@example.test", std::process::id());
    // Possessor and user: view, read, search, link, setattr; no write.
    let no_write = "keyctl setperm @s 0x3b3b0000 >/dev/null";
    let password = "ku-refused-secret";
    let out = keyutils_run(
        &config,
        no_write,
        &keyutils_add_args(&name),
        &format!("{password}\n"),
    );
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("no persistent keyring"), "{all}");
    assert!(all.contains("lost when the session ends"), "{all}");
    assert!(
        all.contains("unset MAILWIZ_KEYRING"),
        "advice missing: {all}"
    );
    assert!(!all.contains(password), "the password was printed: {all}");
    assert!(account_names(&config).is_empty(), "an account was saved");
    let out = keyutils_run(&config, "true", &["password", &name], "");
    assert!(!out.status.success(), "a secret was left: {}", text(&out));
}

/// A second wizard run for an address that already has an account, with a
/// wrong password typed and the run abandoned at the test step: the saved
/// account's secret is unchanged (it was overwritten at Enter before).
#[test]
fn an_abandoned_wizard_run_changes_no_saved_secret() {
    use common::tmux::Tmux;
    let m = Machine::new();
    let mut cmd = m.command();
    cmd.args(add_args("alice"));
    let out = spawn_with_stdin(cmd, "working-password\n")
        .wait_with_output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let offline = vec![
        (
            "MAILWIZ_ISPDB_URL".to_string(),
            format!("http://127.0.0.1:{closed}/v1.1/"),
        ),
        (
            "MAILWIZ_DNS_SERVER".to_string(),
            format!("127.0.0.1:{closed}"),
        ),
        (
            "MAILWIZ_DISCOVER_SOURCES".to_string(),
            "preset,ispdb".to_string(),
        ),
    ];
    let mut tmux = Command::new("tmux");
    m.keyring.apply(&mut tmux);
    let mut t = Tmux::launch(tmux, "abandon", &m.config, "en", &offline, (100, 30));
    t.wait_for("mailwiz");
    t.keys(&["n"]);
    t.wait_for("Who are you?");
    t.type_text("Alice Again");
    t.keys(&["Tab"]);
    t.type_text("alice@example.test");
    t.keys(&["Enter"]);
    t.wait_for("These are guesses");
    t.keys(&["Enter"]);
    t.keys(&["Enter"]);
    t.wait_for("Where your mail is fetched from");
    t.keys(&["C-u"]);
    t.type_text("127.0.0.1");
    t.keys(&["Tab", "C-u"]);
    t.type_text(&closed.to_string());
    t.keys(&["Enter"]);
    t.wait_for("The server that sends your mail");
    t.keys(&["C-u"]);
    t.type_text("127.0.0.1");
    t.keys(&["Enter"]);
    t.wait_for("Show the password");
    t.type_text("a-wrong-password");
    t.keys(&["Enter"]);
    t.wait_for("Logging in to your servers");
    drop(t);
    assert_eq!(
        m.secret("incoming:alice@example.test").as_deref(),
        Some("working-password"),
        "the abandoned run overwrote the saved account's password"
    );
}
