#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The accounts file against odd and hostile surroundings, through the
//! real binary: a symlinked file, the user's comments and unknown keys,
//! links planted at temporary names, a folder others can write to, stale
//! temporaries, `/dev/zero` and a FIFO as the file, hostile password
//! commands, and settings discovered over plain http.

mod common;

use common::mailwiz;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn run(config: &Path, args: &[&str]) -> Output {
    mailwiz(config)
        .args(args)
        .output()
        .expect("run the mailwiz binary")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `add` of a hand-made account that needs no keyring.
fn add(config: &Path, name: &str) -> Output {
    let email = format!("{name}@example.test");
    run(
        config,
        &[
            "add",
            "--email",
            &email,
            "--in-host",
            "mail.example.test",
            "--smtp-host",
            "mail.example.test",
            "--password-command",
            "echo pw",
        ],
    )
}

fn private_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("accounts.toml");
    (dir, config)
}

#[test]
fn a_symlinked_file_stays_a_link_and_its_target_is_updated() {
    let (dir, config) = private_dir();
    let dotfiles = dir.path().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let target = dotfiles.join("mailwiz.toml");
    std::fs::write(&target, "schema_version = 1\n").unwrap();
    std::os::unix::fs::symlink(&target, &config).unwrap();
    for name in ["one", "two"] {
        let out = add(&config, name);
        assert!(out.status.success(), "{}", text(&out));
    }
    let meta = std::fs::symlink_metadata(&config).unwrap();
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    let saved = std::fs::read_to_string(&target).unwrap();
    assert!(saved.contains("one@example.test") && saved.contains("two@example.test"));
}

#[test]
fn comments_and_unknown_keys_survive_a_save() {
    let (_dir, config) = private_dir();
    assert!(add(&config, "first").status.success());
    let original = std::fs::read_to_string(&config).unwrap();
    let edited = format!(
        "# my own note at the top\nnotes = \"keep this\"\n{}",
        original.replace(
            "[account.incoming]",
            "colour = \"green\" # the label in my client\n\n[account.incoming]"
        )
    );
    std::fs::write(&config, edited).unwrap();
    let out = add(&config, "second");
    assert!(out.status.success(), "{}", text(&out));
    let saved = std::fs::read_to_string(&config).unwrap();
    for kept in [
        "# my own note at the top",
        "notes = \"keep this\"",
        "colour = \"green\"",
        "# the label in my client",
        "second@example.test",
    ] {
        assert!(saved.contains(kept), "lost {kept:?}:\n{saved}");
    }
    let out = run(&config, &["list", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["accounts"].as_array().map(Vec::len), Some(2));
}

/// The old temporary name was `.accounts.toml.tmp-PID`: links at the next
/// few thousand process ids would have been followed.
#[test]
fn links_planted_at_temporary_names_redirect_nothing() {
    let (dir, config) = private_dir();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    let probe = std::process::Command::new("true").spawn().unwrap();
    let next = probe.id();
    let mut probe = probe;
    probe.wait().unwrap();
    for pid in next..next + 3000 {
        let link = dir.path().join(format!(".accounts.toml.tmp-{pid}"));
        std::os::unix::fs::symlink(&victim, &link).unwrap();
    }
    let out = add(&config, "planted");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(std::fs::symlink_metadata(&config).unwrap().is_file());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "stale temporaries left: {}", left.len());
}

#[test]
fn a_folder_others_can_write_to_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _) = private_dir();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let config = shared.join("accounts.toml");
    let out = add(&config, "shared");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("can be written by other users"),
        "{}",
        text(&out)
    );
    assert!(!config.exists());
}

#[test]
fn a_stale_temporary_is_removed() {
    let (dir, config) = private_dir();
    let stale = dir.path().join(".accounts.toml.tmp-4242");
    std::fs::write(&stale, "half a file").unwrap();
    assert!(add(&config, "stale").status.success());
    assert!(!stale.exists(), "the crash's temporary is still there");
}

/// Runs `mailwiz list` under /usr/bin/time: (output, seconds, peak RSS kB).
fn list_measured(config: &Path) -> (Output, f64, u64) {
    let stats = tempfile::NamedTempFile::new().unwrap();
    let start = Instant::now();
    let mut child = std::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(stats.path())
        .arg(env!("CARGO_BIN_EXE_mailwiz"))
        .arg("--config")
        .arg(config)
        .arg("list")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run /usr/bin/time ({e}); install package time"));
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!(
                "mailwiz list still running after 10 s on {}",
                config.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let secs = start.elapsed().as_secs_f64();
    let rss = std::fs::read_to_string(stats.path())
        .unwrap()
        .trim()
        .lines()
        .last()
        .and_then(|l| l.parse().ok())
        .unwrap_or(u64::MAX);
    (out, secs, rss)
}

#[test]
fn dev_zero_and_a_fifo_are_clear_errors_at_once() {
    let (dir, _) = private_dir();
    let fifo = dir.path().join("fifo.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo failed");
    let big = dir.path().join("big.toml");
    std::fs::write(&big, "#".repeat(3 << 20)).unwrap();
    for (path, says) in [
        (Path::new("/dev/zero"), "not a regular file"),
        (fifo.as_path(), "not a regular file"),
        (big.as_path(), "larger than"),
    ] {
        let (out, secs, rss_kb) = list_measured(path);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(2), "{}: {t}", path.display());
        assert!(t.contains(says), "{}: {t}", path.display());
        assert!(secs < 1.0, "{}: {secs:.2} s", path.display());
        assert!(rss_kb < 64 * 1024, "{}: {rss_kb} kB", path.display());
    }
}

fn password_via(config: &Path, command: &str) -> (Output, Duration) {
    let out = run(
        config,
        &[
            "add",
            "--email",
            "cmd@example.test",
            "--in-host",
            "mail.example.test",
            "--smtp-host",
            "mail.example.test",
            "--password-command",
            command,
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let start = Instant::now();
    let out = run(config, &["password", "cmd@example.test"]);
    (out, start.elapsed())
}

#[test]
fn hostile_password_commands_end_promptly() {
    let (_dir, config) = private_dir();
    let (out, took) = password_via(&config, "cat /dev/zero");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(took < Duration::from_secs(2), "cat /dev/zero: {took:?}");
    let (out, took) = password_via(&config, "sleep 100 & echo pw-from-command");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "pw-from-command"
    );
    assert!(took < Duration::from_secs(2), "background child: {took:?}");
}

/// One ISPDB document over plain http: IMAP and SMTP without TLS.
fn serve_plain_ispdb() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let body = r#"<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="plain.test">
<domain>plain.test</domain>
<incomingServer type="imap"><hostname>mail.plain.test</hostname><port>143</port>
<socketType>plain</socketType><username>%EMAILADDRESS%</username>
<authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>mail.plain.test</hostname><port>25</port>
<socketType>plain</socketType><username>%EMAILADDRESS%</username>
<authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>"#;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    addr
}

#[test]
fn cleartext_settings_from_plain_http_need_explicit_consent() {
    let (_dir, config) = private_dir();
    let addr = serve_plain_ispdb();
    let discover = |extra: &[&str]| {
        let mut cmd = mailwiz(&config);
        cmd.env("MAILWIZ_ISPDB_URL", format!("http://{addr}/v1.1/"))
            .env("MAILWIZ_DISCOVER_SOURCES", "ispdb")
            .args(["add", "--email", "bob@plain.test", "--discover"])
            .args(extra);
        cmd.output().unwrap()
    };
    let out = discover(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("not authenticated"), "{}", text(&out));
    assert!(!config.exists(), "saved without consent");
    let out = discover(&["--accept-insecure-source"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Warning"), "{}", text(&out));
    let saved = std::fs::read_to_string(&config).unwrap();
    assert!(saved.contains("security = \"none\""), "{saved}");
}
