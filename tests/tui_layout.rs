#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! What is on screen at 80×24, in French above all: text that does not fit
//! scrolls with a "more" marker, the footer keeps whole hints and F1,
//! URLs sit on rows of their own, and the keys mean one thing.

#[path = "common/tui.rs"]
mod tui;

use crossterm::event::KeyCode;
use mailwiz::i18n::{Lang, t};
use mailwiz::tui::Effect;
use mailwiz::tui::{Field, Modal, Step};
use tui::{
    app, app_with, ctrl, focus, press, rows, saved_free_config as saved, to_settings, type_text,
};

fn footer(rows: &[String]) -> String {
    rows.last().cloned().unwrap_or_default()
}

#[test]
fn the_help_pop_up_scrolls_and_says_there_is_more() {
    let mut a = app(Lang::Fr);
    to_settings(&mut a, "alice@free.fr");
    press(&mut a, KeyCode::F(1));
    assert_eq!(a.modal, Some(Modal::Help));
    let close = t(Lang::Fr, "tui.help.close");
    let first = rows(&a, 80, 24).join("\n");
    assert!(first.contains("▼ suite plus bas"), "{first}");
    assert!(!first.contains(close), "{first}");
    // The footer says how to scroll, in French.
    assert!(footer(&rows(&a, 80, 24)).contains("Pg préc/suiv défiler"));
    for _ in 0..10 {
        press(&mut a, KeyCode::PageDown);
    }
    let last = rows(&a, 80, 24).join("\n");
    assert!(last.contains(close), "{last}");
    assert!(last.contains("▲ suite plus haut"), "{last}");
    // ↑ scrolls back a row, and the pop-up is still open.
    press(&mut a, KeyCode::Up);
    assert_eq!(a.modal, Some(Modal::Help));
    assert!(rows(&a, 80, 24).join("\n").contains("▲▼ suite"));
}

#[test]
fn the_footer_keeps_whole_hints_and_f1_in_french() {
    let mut a = app(Lang::Fr);
    let mut seen = Vec::new();
    let mut check = |a: &mut mailwiz::tui::App| {
        let f = footer(&rows(a, 80, 24));
        assert!(f.contains("F1 aide"), "{:?}: F1 dropped: {f:?}", a.step);
        // No English key name left.
        for english in ["Enter ", "Esc ", "PgUp"] {
            assert!(!f.contains(english), "{:?}: {english:?} in {f:?}", a.step);
        }
        // Every hint drawn is whole: the footer is exactly the hints the
        // screen chose, so nothing was cut at the border.
        let hints = mailwiz::tui::footer_hints(a, 80);
        let expected: Vec<String> = hints
            .iter()
            .map(|(k, l)| format!("{} {}", mailwiz::tui::key_name(a, k), t(Lang::Fr, l)))
            .collect();
        assert_eq!(f.trim(), expected.join("  "), "{:?}", a.step);
        seen.push(a.step);
    };
    check(&mut a);
    to_settings(&mut a, "alice@free.fr");
    check(&mut a);
    for _ in 0..4 {
        press(&mut a, KeyCode::Enter);
        check(&mut a);
    }
    assert!(seen.contains(&Step::Password), "{seen:?}");
}

#[test]
fn the_help_url_is_on_a_row_of_its_own_outside_the_border() {
    let mut a = app(Lang::Fr);
    to_settings(&mut a, "alice@free.fr");
    let url = mailwiz::providers::by_id("free").unwrap().help_url.clone();
    let screen = rows(&a, 80, 24);
    let joined: String = screen.iter().map(|r| r.trim()).collect();
    assert!(joined.contains(&url), "{screen:#?}");
    let first = screen
        .iter()
        .position(|r| r.starts_with("https://"))
        .unwrap();
    // No border and no other text on the URL's rows.
    for r in &screen[first..] {
        if r.trim().is_empty() || r.starts_with('└') || r.starts_with(' ') {
            break;
        }
        assert!(!r.contains('│'), "{r:?}");
    }
    assert_eq!(screen[first].chars().count(), 80);
    assert!(url.starts_with(&screen[first]), "{:?}", screen[first]);
}

#[test]
fn urls_are_hyperlinks_only_where_the_terminal_shows_them() {
    use mailwiz::tui::hyperlinks_from_env as detect;
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    assert!(!detect(env(&[("TERM", "xterm-256color")])));
    assert!(detect(env(&[("VTE_VERSION", "7600")])));
    assert!(detect(env(&[("TERM", "xterm-kitty")])));
    assert!(!detect(env(&[
        ("TERM", "xterm-kitty"),
        ("TMUX", "/tmp/t,1,0")
    ])));
    assert!(detect(env(&[("MAILWIZ_HYPERLINKS", "1"), ("TMUX", "x")])));
    assert!(!detect(env(&[
        ("MAILWIZ_HYPERLINKS", "0"),
        ("VTE_VERSION", "7600")
    ])));

    let mut a = app(Lang::En);
    to_settings(&mut a, "alice@free.fr");
    let url = mailwiz::providers::by_id("free").unwrap().help_url.clone();
    assert!(!tui::screen(&a, 80, 24).contains("\u{1b}]8;;"));
    a.hyperlinks = true;
    let printed = tui::screen(&a, 80, 24);
    assert!(
        printed.contains(&format!("\u{1b}]8;;{url}\u{1b}\\")),
        "{printed}"
    );
}

#[test]
fn ctrl_c_twice_quits() {
    let mut a = app(Lang::Fr);
    press(&mut a, KeyCode::Enter);
    type_text(&mut a, "Alice");
    ctrl(&mut a, 'c');
    assert_eq!(a.modal, Some(Modal::ConfirmQuit));
    assert!(!a.quit);
    ctrl(&mut a, 'c');
    assert!(a.quit, "the second Ctrl-C quits");
}

#[test]
fn going_back_to_the_identity_step_focuses_the_address() {
    let mut a = app(Lang::En);
    to_settings(&mut a, "alice@free.fr");
    assert_eq!(a.step, Step::SettingsFound);
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.step, Step::Identity);
    assert_eq!(a.focused(), Some(Field::Email));
}

#[test]
fn the_troubleshooting_header_names_the_screen() {
    let mut a = app(Lang::Fr);
    to_settings(&mut a, "alice@free.fr");
    let before = rows(&a, 80, 24)[0].clone();
    assert!(before.contains("Étape 3"), "{before}");
    // T on a saved account, or D from a failed test: the same screen.
    a.troubleshoot = Some(Default::default());
    let header = rows(&a, 80, 24)[0].clone();
    assert!(
        header.contains(t(Lang::Fr, "tui.troubleshoot.title")),
        "{header}"
    );
    assert!(!header.contains("Étape"), "{header}");
}

#[test]
fn the_confirm_dialog_is_centred_and_the_footer_shows_its_keys() {
    let mut a = app(Lang::Fr);
    press(&mut a, KeyCode::Enter);
    type_text(&mut a, "Alice");
    ctrl(&mut a, 'c');
    let screen = rows(&a, 80, 24);
    let f = footer(&screen);
    assert!(f.contains("O oui") && f.contains("N non"), "{f}");
    assert!(!f.contains("Tab"), "{f}");
    let top = screen
        .iter()
        .position(|r| r.contains("┌ Confirmation"))
        .unwrap();
    let row = &screen[top];
    let left = row.chars().position(|c| c == '┌').unwrap();
    let bottom = top
        + screen[top..]
            .iter()
            .position(|r| r.chars().nth(left) == Some('└'))
            .unwrap();
    let above = top;
    let below = 24 - 1 - bottom;
    assert!(
        above.abs_diff(below) <= 1,
        "rows {top}..{bottom}:\n{screen:#?}"
    );
    let right = 80 - 1 - row.chars().position(|c| c == '┐').unwrap();
    assert!(left.abs_diff(right) <= 1, "{row}");
}

#[test]
fn an_empty_field_without_focus_is_visible() {
    let mut a = app(Lang::Fr);
    press(&mut a, KeyCode::Enter);
    focus(&mut a, Field::DisplayName);
    let screen = rows(&a, 80, 24);
    let email = screen
        .iter()
        .find(|r| r.contains(t(Lang::Fr, "tui.field.email")))
        .unwrap();
    assert!(email.contains("____"), "{email}");
}

#[test]
fn d_diagnoses_on_every_screen_and_delete_removes() {
    let mut a = app_with(Lang::En, Ok(saved()));
    let effects = press(&mut a, KeyCode::Char('d'));
    assert!(
        matches!(effects.as_slice(), [Effect::Diagnose { .. }]),
        "{effects:?}"
    );
    assert!(a.troubleshoot.is_some());
    assert_eq!(a.modal, None);
    // Esc stops the run, then closes the screen.
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Esc);
    assert!(a.troubleshoot.is_none());
    press(&mut a, KeyCode::Delete);
    assert_eq!(a.modal, Some(Modal::ConfirmRemove("alice@free.fr".into())));
    // The list of actions says so.
    let s = rows(&a, 80, 24).join("\n");
    assert!(!s.contains("D remove"), "{s}");
}

#[test]
fn the_identity_step_says_the_address_has_an_account_and_offers_to_edit_it() {
    let mut a = app_with(Lang::Fr, Ok(saved()));
    press(&mut a, KeyCode::Enter);
    type_text(&mut a, "Alice");
    press(&mut a, KeyCode::Tab);
    type_text(&mut a, "Alice@Free.fr");
    let s = rows(&a, 80, 24);
    let joined = s.join(" ");
    assert!(
        joined.contains("Vous avez déjà un compte avec cette adresse"),
        "{s:#?}"
    );
    assert!(footer(&s).contains("F3 le modifier"), "{s:#?}");
    press(&mut a, KeyCode::F(3));
    assert_eq!(a.editing.as_deref(), Some("alice@free.fr"));
    assert_eq!(a.step, Step::Identity);
    assert_eq!(a.focused(), Some(Field::Email));
    // Editing that account, the warning is gone.
    assert!(!rows(&a, 80, 24).join(" ").contains("Vous avez déjà"));
}

#[test]
fn free_variants_are_named_as_the_selector_shows_them_and_pop_works_with_both() {
    let free = mailwiz::providers::by_id("free").unwrap();
    for lang in Lang::ALL {
        let notes = free.notes(lang);
        for v in &free.variants {
            let label = v.label(lang).unwrap();
            assert!(
                notes.contains(label),
                "{lang:?}: {label:?} not in the notes"
            );
        }
    }
    for variant in 0..free.variants.len() {
        let mut a = app(Lang::En);
        to_settings(&mut a, "alice@free.fr");
        for _ in 0..variant {
            press(&mut a, KeyCode::Right);
        }
        assert_eq!(a.form.variant, variant);
        press(&mut a, KeyCode::Enter);
        // POP.
        press(&mut a, KeyCode::Right);
        press(&mut a, KeyCode::Enter);
        assert_eq!(a.step, Step::Incoming);
        assert_eq!(a.form.in_host.value(), "pop.free.fr", "variant {variant}");
        assert_eq!(a.form.in_port.value(), "995");
        let s = rows(&a, 80, 24).join(" ");
        assert!(s.contains("from the Free preset"), "variant {variant}: {s}");
    }
}

#[test]
fn values_are_labelled_entered_by_hand_only_when_typed() {
    let by_hand = t(Lang::En, "tui.source.manual_long");
    let mut a = app(Lang::En);
    to_settings(&mut a, "bob@example.net");
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.step, Step::Incoming);
    let s = rows(&a, 100, 30).join(" ");
    assert!(!s.contains(by_hand), "guessed values called typed: {s}");
    assert!(s.contains("guessed from your address"), "{s}");
    focus(&mut a, Field::InHost);
    type_text(&mut a, "x");
    let s = rows(&a, 100, 30).join(" ");
    assert!(s.contains(by_hand), "{s}");
    // A saved account being edited: its values are the saved ones.
    let mut a = app_with(Lang::En, Ok(saved()));
    press(&mut a, KeyCode::Char('e'));
    press(&mut a, KeyCode::Enter);
    let s = rows(&a, 100, 30).join(" ");
    assert!(!s.contains("entered by hand"), "{s}");
}

#[test]
fn the_test_message_subject_is_in_the_users_language() {
    let fr = mailwiz::tui::test_subject(Lang::Fr, "3f9a1c2b7d4e");
    assert_eq!(fr, "Message d'essai mailwiz 3f9a1c2b7d4e");
    let en = mailwiz::tui::test_subject(Lang::En, "3f9a1c2b7d4e");
    assert_eq!(en, "mailwiz test 3f9a1c2b7d4e");
}

#[test]
fn a_narrow_header_never_runs_the_tagline_into_the_title() {
    let mut a = app(Lang::Fr);
    a.troubleshoot = Some(Default::default());
    let header = rows(&a, 60, 18)[0].clone();
    assert!(header.starts_with(" mailwiz "), "{header:?}");
    assert!(
        header.trim_end().ends_with("Quelque chose ne marche pas"),
        "{header:?}"
    );
    assert!(!header.contains("messQuelque"), "{header:?}");
}
