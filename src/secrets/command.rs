//! The account's `password_command`: `sh -c CMD`, the first line of its
//! stdout is the password. Bounded: at most `MAX_OUTPUT` bytes are read,
//! and one deadline covers the whole run. It runs in a process group of
//! its own, killed at the end, so a background child that keeps stdout
//! open (`sleep 100 & echo pw`) can stall nothing. No polling: a reader
//! thread and a waiter thread report on one channel.

use super::SecretsError;
use crate::secret::Secret;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);
/// A password is one short line; a key file or a token is still far less.
const MAX_OUTPUT: u64 = 64 * 1024;

enum Event {
    /// The first line (or all the output, without a newline), or None when
    /// there was more than `MAX_OUTPUT` bytes before a newline.
    Line(Option<Vec<u8>>),
    Exited(std::io::Result<ExitStatus>),
}

/// Runs the command with the default deadline. Its stderr is not shown:
/// it could echo what it read.
pub fn run_password_command(cmd: &str) -> Result<Secret, SecretsError> {
    run_within(cmd, TIMEOUT)
}

/// Why the command gave no password: typed, so each face says it in its
/// language. The OS's own words (`os`) are evidence, shown as such.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandFailure {
    /// `sh` could not be started or waited for.
    Os {
        os: String,
    },
    /// More than `max` bytes before the first line end.
    TooMuchOutput {
        max: u64,
    },
    /// No answer within the deadline.
    Timeout {
        secs: u64,
    },
    /// It exited with this status code.
    Exit {
        code: i32,
    },
    /// It was killed by a signal.
    Signal {
        signal: i32,
    },
    NoOutput,
    NotUtf8,
    EmptyOutput,
}

impl CommandFailure {
    /// The i18n key (`secrets.command.*`) and its arguments.
    pub fn i18n(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            CommandFailure::Os { os } => ("secrets.command.os", vec![("os", os.clone())]),
            CommandFailure::TooMuchOutput { max } => (
                "secrets.command.too_much_output",
                vec![("max", max.to_string())],
            ),
            CommandFailure::Timeout { secs } => {
                ("secrets.command.timeout", vec![("secs", secs.to_string())])
            }
            CommandFailure::Exit { code } => {
                ("secrets.command.exit", vec![("code", code.to_string())])
            }
            CommandFailure::Signal { signal } => (
                "secrets.command.signal",
                vec![("signal", signal.to_string())],
            ),
            CommandFailure::NoOutput => ("secrets.command.no_output", vec![]),
            CommandFailure::NotUtf8 => ("secrets.command.not_utf8", vec![]),
            CommandFailure::EmptyOutput => ("secrets.command.empty_output", vec![]),
        }
    }

    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        let (key, args) = self.i18n();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::i18n::tf(lang, key, &args)
    }
}

fn fail(failure: CommandFailure) -> SecretsError {
    SecretsError::Command { failure }
}

/// Why the child ended badly: its exit code, else the signal that killed it.
fn exit_failure(status: ExitStatus) -> CommandFailure {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => CommandFailure::Exit { code },
        (None, Some(signal)) => CommandFailure::Signal { signal },
        (None, None) => CommandFailure::Exit { code: -1 },
    }
}

fn os_failure(e: &std::io::Error) -> SecretsError {
    fail(CommandFailure::Os {
        os: crate::net::clean_text(e.to_string().as_bytes()),
    })
}

pub(super) fn run_within(cmd: &str, timeout: Duration) -> Result<Secret, SecretsError> {
    let deadline = Instant::now() + timeout;
    let child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| os_failure(&e))?;
    let group = child.id();
    let rx = watch(child);
    let result = collect(&rx, deadline, timeout);
    kill_group(group);
    result
}

/// Starts the reader and the waiter (which owns the child: `kill_group`
/// ends it, so it never outlives the deadline); both report on the
/// returned channel.
fn watch(mut child: Child) -> mpsc::Receiver<Event> {
    let (tx, rx) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(Event::Line(first_line(stdout)));
        });
    }
    std::thread::spawn(move || {
        let _ = tx.send(Event::Exited(child.wait()));
    });
    rx
}

/// Reads up to the first newline, at most `MAX_OUTPUT` bytes.
fn first_line(stdout: impl Read) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    let mut buf = [0u8; 4096];
    let mut reader = stdout.take(MAX_OUTPUT + 1);
    loop {
        let n = reader.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        if let Some(end) = buf[..n].iter().position(|b| *b == b'\n') {
            line.extend_from_slice(&buf[..end]);
            return Some(line);
        }
        line.extend_from_slice(&buf[..n]);
    }
    (line.len() as u64 <= MAX_OUTPUT).then_some(line)
}

fn collect(
    rx: &mpsc::Receiver<Event>,
    deadline: Instant,
    timeout: Duration,
) -> Result<Secret, SecretsError> {
    let mut line = None;
    let mut status = None;
    while line.is_none() || status.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Event::Line(None)) => {
                return Err(fail(CommandFailure::TooMuchOutput { max: MAX_OUTPUT }));
            }
            Ok(Event::Line(Some(l))) => line = Some(l),
            Ok(Event::Exited(s)) => status = Some(s.map_err(|e| os_failure(&e))?),
            Err(_) => {
                return Err(fail(CommandFailure::Timeout {
                    secs: timeout.as_secs(),
                }));
            }
        }
    }
    let (Some(line), Some(status)) = (line, status) else {
        return Err(fail(CommandFailure::NoOutput));
    };
    if !status.success() {
        return Err(fail(exit_failure(status)));
    }
    let text = String::from_utf8(line).map_err(|_| fail(CommandFailure::NotUtf8))?;
    let text = text.strip_suffix('\r').unwrap_or(&text);
    if text.is_empty() {
        return Err(fail(CommandFailure::EmptyOutput));
    }
    Ok(Secret::new(text))
}

/// Kills what is left of the command's process group (nothing, usually).
fn kill_group(group: u32) {
    use nix::sys::signal::{Signal, killpg};
    if let Ok(pid) = i32::try_from(group) {
        let _ = killpg(nix::unistd::Pid::from_raw(pid), Signal::SIGKILL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_only() {
        let s = run_password_command("printf 'abc def\\nsecond\\n'").unwrap();
        assert_eq!(s.expose(), "abc def");
        let r = run_password_command("exit 3");
        assert!(
            matches!(
                &r,
                Err(SecretsError::Command {
                    failure: CommandFailure::Exit { code: 3 }
                })
            ),
            "{r:?}"
        );
        for bad in ["exit 3", "true", "printf 'pw\\n'; exit 1"] {
            assert!(
                matches!(run_password_command(bad), Err(SecretsError::Command { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn endless_output_is_cut_at_the_cap() {
        let start = Instant::now();
        let r = run_within("cat /dev/zero", Duration::from_secs(10));
        assert!(matches!(r, Err(SecretsError::Command { .. })), "{r:?}");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn a_background_child_holding_stdout_does_not_stall() {
        let start = Instant::now();
        let s = run_within("sleep 100 & echo pw", Duration::from_secs(10)).unwrap();
        assert_eq!(s.expose(), "pw");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn the_deadline_covers_the_whole_run() {
        let start = Instant::now();
        let r = run_within("sleep 30", Duration::from_millis(300));
        assert!(matches!(r, Err(SecretsError::Command { .. })), "{r:?}");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }
}
