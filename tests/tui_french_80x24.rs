#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Every screen a French user meets, drawn at 80×24: the footer keeps
//! whole hints and F1, and no word is cut at a border or lost at the
//! bottom unless a "more" marker says the text scrolls.

#[path = "common/tui.rs"]
mod tui;

use crossterm::event::KeyCode;
use mailwiz::i18n::{Lang, t};
use mailwiz::tui::Modal;
use tui::{app_with, ctrl, press, rows, saved_free_config as saved, type_text};

fn footer(rows: &[String]) -> String {
    rows.last().cloned().unwrap_or_default()
}

/// Screens a French user meets, reached by keys as a user would.
fn french_screens() -> Vec<(&'static str, mailwiz::tui::App)> {
    let walk = |f: &dyn Fn(&mut mailwiz::tui::App)| {
        let mut a = app_with(Lang::Fr, Ok(saved()));
        f(&mut a);
        a
    };
    let settings = |a: &mut mailwiz::tui::App| {
        press(a, KeyCode::Enter);
        type_text(a, "Alice Liddell");
        press(a, KeyCode::Tab);
        type_text(a, "alice.liddell@free.fr");
        press(a, KeyCode::Enter);
    };
    vec![
        ("welcome", walk(&|_| {})),
        (
            "identity",
            walk(&|a| {
                press(a, KeyCode::Enter);
                type_text(a, "Alice");
            }),
        ),
        (
            "identity_exists",
            walk(&|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Tab);
                type_text(a, "alice@free.fr");
            }),
        ),
        ("settings_found", walk(&|a| settings(a))),
        (
            "settings_guess",
            walk(&|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Tab);
                type_text(a, "bob@example.net");
                press(a, KeyCode::Enter);
            }),
        ),
        (
            "protocol",
            walk(&|a| {
                settings(a);
                press(a, KeyCode::Enter);
            }),
        ),
        (
            "incoming",
            walk(&|a| {
                settings(a);
                press(a, KeyCode::Enter);
                press(a, KeyCode::Enter);
            }),
        ),
        (
            "outgoing",
            walk(&|a| {
                settings(a);
                for _ in 0..3 {
                    press(a, KeyCode::Enter);
                }
            }),
        ),
        (
            "password",
            walk(&|a| {
                settings(a);
                for _ in 0..4 {
                    press(a, KeyCode::Enter);
                }
            }),
        ),
        (
            "help",
            walk(&|a| {
                settings(a);
                press(a, KeyCode::F(1));
            }),
        ),
        (
            "confirm_quit",
            walk(&|a| {
                settings(a);
                ctrl(a, 'c');
            }),
        ),
        (
            "confirm_remove",
            walk(&|a| {
                press(a, KeyCode::Delete);
            }),
        ),
        (
            "troubleshoot_running",
            walk(&|a| {
                press(a, KeyCode::Char('d'));
            }),
        ),
    ]
}

/// The words of the main area of a screen, without its header and footer
/// rows, and without the list of steps of a wide screen.
fn body_words(rows: &[String], skip_cols: usize) -> Vec<String> {
    rows[1..rows.len() - 1]
        .iter()
        .map(|r| r.chars().skip(skip_cols).collect::<String>())
        .flat_map(|r| {
            r.split(|c: char| c.is_whitespace() || "│┌┐└┘─".contains(c))
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn words_of(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

#[test]
fn at_80x24_in_french_nothing_is_cut_without_a_way_to_see_it() {
    for (name, a) in french_screens() {
        let narrow = rows(&a, 80, 24);
        let f = footer(&narrow);
        // The footer: whole hints only, F1 kept (a pop-up shows its own
        // keys), nothing at the very edge.
        if a.modal.is_none() {
            assert!(f.contains("F1 aide"), "{name}: {f:?}");
        }
        assert!(
            f.ends_with(' '),
            "{name}: the footer reaches the edge: {f:?}"
        );
        let hints = mailwiz::tui::footer_hints(&a, 80);
        let (k, l) = hints.last().unwrap();
        let last = format!("{} {}", mailwiz::tui::key_name(&a, k), t(Lang::Fr, l));
        assert!(f.trim_end().ends_with(&last), "{name}: {f:?}");
        // Every word of the screen drawn without limits is on the 80×24
        // screen, whole, unless a "more" marker says there is more.
        let joined = narrow.join("\n");
        if joined.contains("▼ suite") {
            continue;
        }
        let compact: String = narrow[1..23]
            .iter()
            .flat_map(|r| r.chars())
            .filter(|c| !c.is_whitespace() && !"│┌┐└┘─".contains(*c))
            .collect();
        // A question covers the screen on purpose: its own words count.
        let words = match &a.modal {
            Some(Modal::ConfirmQuit) => words_of(t(Lang::Fr, "tui.quit.confirm")),
            Some(Modal::ConfirmRemove(n)) => words_of(&mailwiz::i18n::tf(
                Lang::Fr,
                "tui.welcome.remove_confirm",
                &[("name", n)],
            )),
            _ => body_words(&rows(&a, 250, 60), 31),
        };
        for word in words {
            assert!(
                compact.contains(&word),
                "{name}: {word:?} is cut or missing at 80×24:\n{}",
                narrow.join("\n")
            );
        }
    }
}
