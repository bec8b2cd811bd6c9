//! The full-screen wizard (`mailwiz` with no subcommand). Elm-like:
//! `App` is the state, `update` the only change (no I/O), `render` a pure
//! drawing, and `Effect`s run on background threads whose results come
//! back as `Msg`s on the same channel the keyboard feeds.

mod app;
mod discovery;
mod effects;
mod field;
mod form;
mod msg;
mod signin;
mod signin_renew;
mod signin_runner;
mod step;
mod steps;
mod theme;
mod troubleshoot;
mod troubleshoot_actions;
mod troubleshoot_rcpt;
mod troubleshoot_servers;
mod troubleshoot_view;
mod update;
mod url;
mod view;
mod widgets;

pub use app::{App, AppOptions, Flow, KeyringState, Modal, SaveState, SendState, SideRun, Stopped};
pub use discovery::{Discovery, SourceState};
pub use effects::{Runner, test_subject};
pub use field::{Field, PasswordField};
pub use form::{Form, Source};
pub use msg::{Control, Effect, Msg, Purpose, RequestId, WorkerDied, control, key};
pub use signin::{OauthForm, SignInFlow, SignInPrompt, SignInState};
pub use signin::{identity_provider, is_oauth, provided_client};
pub use step::Step;
pub use steps::signin::broker_offered;
pub use steps::stopped_text;
pub use steps::{TestPrompt, TestUi, send_findings, test_context, test_findings, untrusted_certs};
pub use theme::Theme;
pub use troubleshoot::{
    Notice as TroubleshootNotice, Saved as TranscriptState, Troubleshoot, View as TroubleshootView,
    jump as troubleshoot_jump,
};
pub use update::update;
pub use view::{MIN_HEIGHT, MIN_WIDTH, footer_hints, render};
pub use widgets::{Scroll, hyperlinks_from_env, key_name};

use crate::i18n::{Lang, tf};
use crossterm::event::{self, Event};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

const TICK: Duration = Duration::from_millis(100);
/// How long the idle loop sleeps when nothing is running; any key, resize
/// or background result wakes it at once.
const IDLE_WAIT: Duration = Duration::from_secs(3600);

/// Runs the wizard; returns the exit code. The terminal is restored on
/// every path: normal exit, error, and panic (ratatui's hook, plus the
/// `catch_unwind` below).
pub fn run(config_path: PathBuf, lang: Lang, env: &crate::cli::Environment) -> i32 {
    let mut options = AppOptions::new(config_path.clone(), lang, crate::config::load(&config_path));
    // Colour unless `NO_COLOR` is set to anything non-empty.
    options.no_color = env.is_set("NO_COLOR");
    options.discover =
        Some(crate::discover::DiscoverOptions::default().with_overrides(|k| env.var(k)));
    // The accounts of the mail clients already set up here, for Import and
    // the POP/IMAP help: read in the background once the screen is up.
    options.detect_roots = crate::detect::ScanRoots::from_vars(|k| env.var_os(k));
    options.hyperlinks = widgets::hyperlinks_from_env(|k| env.var(k));
    let mut app = App::new(options);
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            eprintln!(
                "{}",
                tf(
                    lang,
                    "tui.error.terminal",
                    &[("detail", &crate::net::IoCause::of(&e).localized(lang))]
                )
            );
            return 2;
        }
    };
    let result = catch_unwind(AssertUnwindSafe(|| event_loop(&mut terminal, &mut app)));
    ratatui::restore();
    match result {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            eprintln!(
                "{}",
                tf(
                    app.lang,
                    "tui.error.terminal",
                    &[("detail", &crate::net::IoCause::of(&e).localized(app.lang))]
                )
            );
            1
        }
        Err(_) => 101,
    }
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel::<Msg>();
    let keys = tx.clone();
    std::thread::spawn(move || {
        while let Ok(ev) = event::read() {
            let msg = match ev {
                Event::Key(k) => Msg::Key(k),
                Event::Resize(..) => Msg::Tick,
                _ => continue,
            };
            if keys.send(msg).is_err() {
                break;
            }
        }
    });
    let runner = Runner::new(tx);
    for effect in app.start() {
        runner.run(effect, app.lang);
    }
    let mut last_tick = Instant::now();
    // Draw only when something changed: a message was handled, or a spinner
    // is turning. An idle wizard writes nothing to the terminal.
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|f| render(app, f))?;
            dirty = false;
        }
        let wait = if app.busy() {
            TICK.saturating_sub(last_tick.elapsed())
        } else {
            IDLE_WAIT
        };
        let first = match rx.recv_timeout(wait) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // Handle everything that is waiting before drawing again.
        for msg in first.into_iter().chain(rx.try_iter().take(256)) {
            dirty = true;
            for effect in update(app, msg) {
                if !runner.run(effect, app.lang) {
                    return Ok(());
                }
            }
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            if app.busy() {
                update(app, Msg::Tick);
                dirty = true;
            }
        }
        if app.quit {
            return Ok(());
        }
    }
}
