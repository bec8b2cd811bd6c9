//! The linear face (issue 16.1): the same wizard — the same `App`,
//! `update()` and effects runner as the full screen — as plain questions and
//! answers, one line at a time, for screen readers, braille displays, dumb
//! terminals and scripts. No cursor movement, no colour, no box drawing.
//!
//! It is a second face, not a second wizard: each answer becomes the key
//! presses the full screen would receive (`Msg::Key`), fed to `update()`;
//! the effects run on the same `Runner`; what changed is then said in words.
//!
//! After a failed test the troubleshooting screen's choices are numbered
//! too (`troubleshoot`), and the OAuth2 sign-in says its address and code
//! on lines of their own (`signin`).

mod accounts;
mod ask;
mod io;
mod say;
mod signin;
mod troubleshoot;

use crate::i18n::Lang;
use crate::tui::{App, AppOptions, Msg, Runner, Step, update};
use io::Console;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

/// How long the first question waits for the other clients' accounts.
const DETECTION_WAIT: Duration = Duration::from_secs(3);

/// Whether `mailwiz` without a subcommand should be linear: asked for, or
/// `TERM=dumb`, or no terminal on stdin or stdout.
pub fn wanted(explicit: bool, env: &crate::cli::Environment) -> bool {
    explicit
        || env.var("TERM").is_some_and(|t| t == "dumb")
        || !std::io::stdin().is_terminal()
        || !std::io::stdout().is_terminal()
}

/// Runs the linear wizard on stdin/stdout; returns the exit code (0 once an
/// account is saved, 1 when the input ended first).
pub fn run(config_path: PathBuf, lang: Lang, env: &crate::cli::Environment) -> i32 {
    let mut options = AppOptions::new(config_path.clone(), lang, crate::config::load(&config_path));
    options.no_color = true;
    // The environment's overrides, as the full screen reads them (a test
    // ISPDB, DNS server or source list), and the other clients' accounts.
    options.discover =
        Some(crate::discover::DiscoverOptions::default().with_overrides(|k| env.var(k)));
    options.detect_roots = crate::detect::ScanRoots::from_vars(|k| env.var_os(k));
    let mut app = App::new(options);
    let mut console = Console::stdio();
    Session::new(&mut app, &mut console).run()
}

/// One run: the app, where its messages arrive, and the console.
pub(crate) struct Session<'a> {
    app: &'a mut App,
    console: &'a mut Console,
    rx: Receiver<Msg>,
    runner: Runner,
    announced: Option<Step>,
    /// A saved account was checked, diagnosed or removed this run: quitting
    /// from the list then is not an abandoned setup.
    managed: bool,
}

impl<'a> Session<'a> {
    pub(crate) fn new(app: &'a mut App, console: &'a mut Console) -> Session<'a> {
        let (tx, rx) = mpsc::channel::<Msg>();
        Session {
            app,
            console,
            rx,
            runner: Runner::new(tx),
            announced: None,
            managed: false,
        }
    }

    fn run(mut self) -> i32 {
        let start = self.app.start();
        self.effects(start);
        // The other clients' accounts, for the first list (not waited for
        // long: a slow disk only leaves them out of the first question).
        self.wait_for_detection(DETECTION_WAIT);
        say::intro(self.app, self.console);
        loop {
            self.settle();
            if self.app.quit {
                if self.managed && self.app.step == Step::Welcome {
                    return crate::cli::EXIT_OK;
                }
                return say::goodbye(self.app, self.console);
            }
            if self.announced != Some(self.app.step) {
                self.announced = Some(self.app.step);
                say::step(self.app, self.console);
            }
            let before = self.app.step;
            if !self.ask_step() {
                say::input_ended(self.app, self.console);
                return crate::cli::EXIT_FAILED;
            }
            // Same step, same questions: say what stopped it (not after a
            // change of sign-in method, which brings new questions).
            if self.app.step == before && self.announced.is_some() {
                say::field_errors(self.app, self.console);
            }
        }
    }

    /// One message through `update()`, its effects started.
    fn feed(&mut self, msg: Msg) {
        let effects = update(self.app, msg);
        self.effects(effects);
    }

    fn effects(&mut self, effects: Vec<crate::tui::Effect>) {
        for e in effects {
            if !self.runner.run(e, self.app.lang) {
                self.app.quit = true;
            }
        }
    }

    /// Handles results until the other clients were read, or `limit`.
    fn wait_for_detection(&mut self, limit: Duration) {
        let until = std::time::Instant::now() + limit;
        while self.app.detecting.is_some() {
            let left = until.saturating_duration_since(std::time::Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) => self.feed(msg),
                Err(_) => return,
            }
        }
    }

    /// Handles results until no request is pending, saying each event.
    fn settle(&mut self) {
        while self.app.busy() && !self.app.quit {
            match self.rx.recv_timeout(Duration::from_millis(200)) {
                Ok(msg) => {
                    say::event(self.app, self.console, &msg);
                    signin::event(self.app, self.console, &msg);
                    let diagnosed = matches!(msg, Msg::Diagnosed { .. });
                    let written = matches!(msg, Msg::TranscriptSaved { .. });
                    let before = say::stopped_now(self.app);
                    self.feed(msg);
                    say::newly_stopped(self.app, self.console, before);
                    if diagnosed {
                        troubleshoot::diagnosis(self.app, self.console);
                    }
                    if written {
                        troubleshoot::bundle_saved(self.app, self.console);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}
