//! The real mailwiz binary in a real terminal: a private tmux server per
//! session, keys sent with `send-keys`, the screen read with `capture-pane`.
//! Every screen read is kept, so a test can search them all (for a
//! password, say). The server is killed on drop.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    pub screens: Vec<String>,
}

impl Tmux {
    /// Runs `mailwiz --config CONFIG --lang LANG` in a WIDTHxHEIGHT session
    /// started through `cmd` (a `tmux` command carrying the environment,
    /// e.g. a keyring session's), with the language variables and any
    /// MAILWIZ_KEYRING removed, TERM set, and `vars` added.
    pub fn launch(
        cmd: Command,
        name: &str,
        config: &Path,
        lang: &str,
        vars: &[(String, String)],
        size: (u16, u16),
    ) -> Tmux {
        let program = format!(
            "{} --config {} --lang {lang}; sleep 5",
            env!("CARGO_BIN_EXE_mailwiz"),
            config.display()
        );
        Tmux::start(cmd, &format!("{name}-{lang}"), &program, vars, size)
    }

    /// Runs `program` (a shell command line) the same way: any program in
    /// a real terminal, e.g. another mail client on an exported file.
    pub fn start(
        mut cmd: Command,
        name: &str,
        program: &str,
        vars: &[(String, String)],
        (width, height): (u16, u16),
    ) -> Tmux {
        // One tmux server per session, even for tests of one binary that
        // run at once with the same name and language.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let socket = format!("mw-{name}-{}-{n}", std::process::id());
        for var in [
            "LANG",
            "LC_ALL",
            "LC_MESSAGES",
            "LANGUAGE",
            "MAILWIZ_LANG",
            "MAILWIZ_KEYRING",
            "DISPLAY",
            "WAYLAND_DISPLAY",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.envs(vars.iter().map(|(k, v)| (k, v)));
        let (w, h) = (width.to_string(), height.to_string());
        let status = cmd
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                &w,
                "-y",
                &h,
            ])
            .arg(program)
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

    /// Sends keys by tmux name (`Enter`, `Tab`, `C-u`, `F1`, `q`, …).
    pub fn keys(&mut self, keys: &[&str]) {
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
    pub fn type_text(&mut self, text: &str) {
        let st = self
            .tmux()
            .args(["send-keys", "-t", "0", "-l", text])
            .status()
            .unwrap();
        assert!(st.success());
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn screen(&mut self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        self.screens.push(text.clone());
        text
    }

    /// Waits until `done(screen)`; panics with the screen after `within`.
    pub fn wait_until(
        &mut self,
        what: &str,
        within: Duration,
        done: impl Fn(&str) -> bool,
    ) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            assert!(
                start.elapsed() <= within,
                "screen never showed {what}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits (15 s at most) until the screen shows `needle`.
    pub fn wait_for(&mut self, needle: &str) -> String {
        self.wait_until(needle, Duration::from_secs(15), |s| s.contains(needle))
    }

    /// Waits until the screen shows every one of `needles`.
    pub fn wait_for_all(&mut self, needles: &[&str], within: Duration) -> String {
        let what = format!("{needles:?}");
        self.wait_until(&what, within, |s| needles.iter().all(|n| s.contains(n)))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}
