//! How a background task that panics is reported: `Msg::Failed` carries
//! the panic's words and where it happened, and the request's purpose
//! says it on screen as a bug in mailwiz.
//!
//! The process's panic hook is skipped for the runner's threads while the
//! wizard holds the terminal (raw mode): ratatui's hook would restore the
//! terminal, and the default one would print over the screen, while the
//! wizard goes on drawing. Elsewhere (plain mode, tests) the hook runs as
//! before.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::sync::Once;

thread_local! {
    /// This thread runs one of the runner's tasks.
    static IN_TASK: Cell<bool> = const { Cell::new(false) };
    /// Where this thread's last panic happened (file:line).
    static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Wraps the process's panic hook, once. Called by `Runner::new`, after
/// the wizard installed its own hook (`ratatui::try_init`), which is kept
/// for every other thread.
pub(super) fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_TASK.with(Cell::get) {
                return previous(info);
            }
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            PANIC_AT.with(|p| *p.borrow_mut() = at);
            let wizard_on_screen = crossterm::terminal::is_raw_mode_enabled().unwrap_or(false);
            if !wizard_on_screen {
                previous(info);
            }
        }));
    });
}

/// Marks the current thread as one of the runner's tasks.
pub(super) fn enter_task() {
    IN_TASK.with(|t| t.set(true));
}

/// A caught panic's evidence: its words (a payload that is not text has
/// none) and where it happened, when the hook saw it.
pub(super) fn evidence(payload: &(dyn Any + Send)) -> String {
    let words = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    match PANIC_AT.with(|p| p.borrow_mut().take()) {
        Some(at) if words.is_empty() => at,
        Some(at) => format!("{words} ({at})"),
        None => words,
    }
}
