#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! `detect` against hostile files under HOME: a muttrc that sources itself
//! 45 times, `source /dev/zero`, a FIFO, a symlink loop, a huge file. The
//! real binary runs under `/usr/bin/time -v` (package `time`) with a hard
//! kill after 20 s and a 2 GiB address-space limit, so the old behaviour
//! fails the test instead of hanging it or eating the machine's memory.
//! Every run must end within its bound and under 64 MB peak RSS. The
//! wizard must draw its first frame even when detection would block.

mod common;

use common::tmux::Tmux;
use mailwiz::config::Config;
use mailwiz::detect::ScanRoots;
use mailwiz::i18n::Lang;
use mailwiz::tui::{App, AppOptions, Effect, Msg, render, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const MAX_RSS_KB: u64 = 64 * 1024;

struct Run {
    stdout: String,
    elapsed: Duration,
    max_rss_kb: u64,
    success: bool,
}

/// `mailwiz detect --json` with HOME = `home`, measured.
fn detect(home: &Path) -> Run {
    assert!(
        Path::new("/usr/bin/time").exists(),
        "install the package `time` (GNU time, /usr/bin/time)"
    );
    let cfg = home.join("mailwiz/accounts.toml");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 2097152; exec /usr/bin/time -v timeout -s KILL 20 \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_mailwiz"))
        .arg("--config")
        .arg(&cfg)
        .args(["detect", "--json"])
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("LANG", "C");
    let start = Instant::now();
    let out = cmd.output().expect("sh runs");
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let max_rss_kb = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no RSS in /usr/bin/time's output:\n{stderr}"));
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        elapsed,
        max_rss_kb,
        success: out.status.success(),
    }
}

fn bounded(run: &Run, within: Duration) {
    eprintln!(
        "measured: {:?} (bound {within:?}), peak RSS {} kB",
        run.elapsed, run.max_rss_kb
    );
    assert!(
        run.elapsed < within,
        "detect took {:?} (bound {within:?})",
        run.elapsed
    );
    assert!(
        run.max_rss_kb < MAX_RSS_KB,
        "detect peaked at {} kB (bound {MAX_RSS_KB} kB)",
        run.max_rss_kb
    );
    assert!(run.success, "detect failed:\n{}", run.stdout);
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// The warnings' (file name, detail) pairs.
fn warnings(v: &serde_json::Value) -> Vec<(String, String)> {
    v["warnings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| {
                    let file = w["file"].as_str().unwrap_or("");
                    let name = Path::new(file)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    (name, w["detail"].as_str().unwrap_or("").to_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

const ACCOUNT: &str = "set spoolfile = imaps://alice@imap.example.test/INBOX\n\
                       set smtp_url = smtps://alice@smtp.example.test\n";

#[test]
fn a_muttrc_that_sources_itself_45_times_is_read_fast() {
    let home = tempfile::tempdir().unwrap();
    let mut text = String::from(ACCOUNT);
    for _ in 0..45 {
        text.push_str("source ~/.muttrc\n");
    }
    std::fs::write(home.path().join(".muttrc"), text).unwrap();
    let run = detect(home.path());
    bounded(&run, Duration::from_secs(2));
    let v = json(&run);
    assert_eq!(v["accounts"].as_array().map(Vec::len), Some(1), "{v}");
    assert!(
        warnings(&v).iter().any(|(_, d)| d.contains("cycle")),
        "no cycle reported: {v}"
    );
}

#[test]
fn a_source_of_dev_zero_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let text = format!("{ACCOUNT}source /dev/zero\n");
    std::fs::write(home.path().join(".muttrc"), text).unwrap();
    let run = detect(home.path());
    bounded(&run, Duration::from_secs(2));
    let v = json(&run);
    assert_eq!(v["accounts"].as_array().map(Vec::len), Some(1), "{v}");
    assert!(
        warnings(&v)
            .iter()
            .any(|(f, d)| f == "zero" && d.contains("not a regular file")),
        "{v}"
    );
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(ok.success(), "mkfifo failed");
}

#[test]
fn fifos_are_not_opened() {
    let home = tempfile::tempdir().unwrap();
    mkfifo(&home.path().join(".msmtprc"));
    mkfifo(&home.path().join("fifo"));
    std::fs::write(
        home.path().join(".muttrc"),
        format!("{ACCOUNT}source ~/fifo\n"),
    )
    .unwrap();
    let run = detect(home.path());
    bounded(&run, Duration::from_secs(2));
    let w = warnings(&json(&run));
    for name in [".msmtprc", "fifo"] {
        assert!(
            w.iter()
                .any(|(f, d)| f == name && d.contains("not a regular file")),
            "{name}: {w:?}"
        );
    }
}

#[test]
fn a_symlink_loop_and_dev_zero_links_are_warnings() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    std::os::unix::fs::symlink(h.join(".mbsyncrc"), h.join(".fetchmailrc")).unwrap();
    std::os::unix::fs::symlink(h.join(".fetchmailrc"), h.join(".mbsyncrc")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", h.join(".msmtprc")).unwrap();
    std::fs::write(h.join(".muttrc"), ACCOUNT).unwrap();
    let run = detect(h);
    bounded(&run, Duration::from_secs(2));
    let v = json(&run);
    assert_eq!(v["accounts"].as_array().map(Vec::len), Some(1), "{v}");
    let w = warnings(&v);
    for name in [".mbsyncrc", ".fetchmailrc", ".msmtprc"] {
        assert!(w.iter().any(|(f, _)| f == name), "{name}: {w:?}");
    }
}

#[test]
fn a_huge_file_is_capped_with_a_warning() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    // 8 MiB of valid-looking lines, and 100 000 short lines under the size cap.
    let line = "# a comment line of a perfectly ordinary configuration file\n";
    std::fs::write(
        h.join(".mbsyncrc"),
        line.repeat(8 * 1024 * 1024 / line.len()),
    )
    .unwrap();
    std::fs::write(h.join(".fetchmailrc"), "\n".repeat(100_000)).unwrap();
    std::fs::write(h.join(".muttrc"), ACCOUNT).unwrap();
    let run = detect(h);
    bounded(&run, Duration::from_secs(2));
    let w = warnings(&json(&run));
    assert!(
        w.iter()
            .any(|(f, d)| f == ".mbsyncrc" && d.contains("larger than")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|(f, d)| f == ".fetchmailrc" && d.contains("lines")),
        "{w:?}"
    );
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| render(app, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

#[test]
fn the_wizard_detects_in_the_background() {
    let roots = ScanRoots::for_home(Path::new("/nonexistent-home"));
    let mut options = AppOptions::new(
        PathBuf::from("/nonexistent/accounts.toml"),
        Lang::En,
        Ok(Config::default()),
    );
    options.detect_roots = Some(roots.clone());
    let mut app = App::new(options);
    let effects = app.start();
    let id = match effects.as_slice() {
        [Effect::Detect { id, roots: r }] if *r == roots => *id,
        other => panic!("expected one Detect effect, got {other:?}"),
    };
    assert!(app.start().is_empty(), "detection started twice");
    assert!(screen(&app).contains("Looking for other mail clients"));
    // A result of another run is dropped; this run's is shown.
    let found = mailwiz::detect::parse_mutt(ACCOUNT, Path::new("/h/.muttrc"), &|_| None);
    update(
        &mut app,
        Msg::Detected {
            id: id + 100,
            accounts: found.accounts.clone(),
        },
    );
    assert!(app.detected.is_empty());
    update(
        &mut app,
        Msg::Detected {
            id,
            accounts: found.accounts,
        },
    );
    assert_eq!(app.detected.len(), 1);
    let s = screen(&app);
    assert!(!s.contains("Looking for other mail clients"), "{s}");
    assert!(s.contains("alice"), "{s}");
}

/// The real wizard in tmux, with a FIFO as `~/.muttrc` (opening it blocks
/// until a writer comes): the welcome screen still appears at once.
#[test]
fn the_wizard_draws_its_first_frame_whatever_detection_meets() {
    let home = tempfile::tempdir().unwrap();
    mkfifo(&home.path().join(".muttrc"));
    let vars = [
        ("HOME", home.path().to_string_lossy().into_owned()),
        (
            "XDG_CONFIG_HOME",
            home.path().join(".config").to_string_lossy().into_owned(),
        ),
    ]
    .map(|(k, v)| (k.to_string(), v));
    let mut cmd = Command::new("tmux");
    cmd.env_remove("DBUS_SESSION_BUS_ADDRESS");
    let config = home.path().join("mailwiz/accounts.toml");
    let mut tmux = Tmux::launch(cmd, "detect", &config, "en", &vars, (100, 30));
    tmux.wait_until("the welcome screen", Duration::from_secs(5), |s| {
        s.contains("mailwiz")
            && (s.contains("Looking for other mail clients") || s.contains("Welcome"))
    });
    tmux.keys(&["q"]);
}
