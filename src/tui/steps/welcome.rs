//! Step 1: what mailwiz does, the language, and the saved accounts with
//! their actions.

use crate::tui::app::{App, Flow, KeyringState, Modal, SaveState, SendState, SideRun};
use crate::tui::form::Form;
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::update::{goto, on_control as global};
use crate::tui::widgets::{paragraph, protocol_label};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    let n = app.accounts().len() + app.detected.len();
    let selected = app.accounts().get(app.selected).cloned();
    app.notice = None;
    match c {
        Control::Up | Control::Prev if n > 0 => app.selected = (app.selected + n - 1) % n,
        Control::Down | Control::Next if n > 0 => app.selected = (app.selected + 1) % n,
        Control::Char('l') => app.lang = app.lang.toggle(),
        Control::Char('q') => return global(app, Control::Quit),
        Control::Confirm | Control::Char('n') => {
            begin(app, Form::default(), Flow::Setup, None);
            return goto(app, Step::Identity);
        }
        Control::Char('i') => return import(app),
        // D diagnoses here as on the Test step (T too, as it always did);
        // removing is the Delete key, so no key means two things.
        Control::Char('e' | 'c' | 's' | 'd' | 't') | Control::Delete => {
            let k = match c {
                Control::Char(k) => k,
                _ => 'x',
            };
            let Some(account) = selected else {
                app.notice = Some("tui.welcome.no_account");
                return Vec::new();
            };
            let form = Form::from_account(&account);
            match k {
                'e' => {
                    begin(app, form, Flow::Setup, Some(account.name.clone()));
                    return goto(app, Step::Identity);
                }
                'c' => {
                    begin(app, form, Flow::Existing, Some(account.name.clone()));
                    return goto(app, Step::Test);
                }
                's' => {
                    begin(app, form, Flow::Existing, Some(account.name.clone()));
                    return goto(app, Step::Send);
                }
                'x' => app.modal = Some(Modal::ConfirmRemove(account.name.clone())),
                // 'd' and 't': diagnose.
                _ => {
                    begin(app, form, Flow::Existing, Some(account.name.clone()));
                    return crate::tui::troubleshoot::open(app, Step::Welcome);
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Fills the wizard with the selected detected account's settings; the
/// usual steps (and tests) follow.
fn import(app: &mut App) -> Vec<Effect> {
    let Some(found) = app
        .selected
        .checked_sub(app.accounts().len())
        .and_then(|i| app.detected.get(i))
        .cloned()
    else {
        app.notice = Some(if app.detected.is_empty() {
            "tui.welcome.nothing_to_import"
        } else {
            "tui.welcome.select_detected"
        });
        return Vec::new();
    };
    let form = Form::from_account(&found.to_account());
    begin(app, form, Flow::Setup, None);
    app.imported = Some(found.heading(app.lang));
    app.dirty = true;
    goto(app, Step::Identity)
}

/// Starts a fresh run of the wizard on this form.
pub fn begin(app: &mut App, form: Form, flow: Flow, editing: Option<String>) {
    app.form = form;
    app.flow = flow;
    app.editing = editing;
    crate::tui::signin::load(app);
    app.keyring = KeyringState::Idle;
    app.incoming = SideRun::default();
    app.smtp = SideRun::default();
    app.send = SendState::default();
    app.save = SaveState::NotYet;
    app.dirty = false;
    app.imported = None;
    app.typed_settings = false;
}

pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut keys = vec![
        ("Enter", "tui.welcome.key_new"),
        ("L", "tui.welcome.key_lang"),
    ];
    if !app.accounts().is_empty() || !app.detected.is_empty() {
        keys.insert(1, ("↑↓", "tui.key.select"));
    }
    if !app.detected.is_empty() {
        keys.insert(2, ("I", "tui.welcome.key_import"));
    }
    keys.push(("Q", "tui.key.quit"));
    keys
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let mut text = Text::default();
    for line in app.t("tui.welcome.intro").lines() {
        text.lines.push(Line::styled(line, th.value()));
    }
    text.lines.push(Line::default());
    text.lines.push(Line::from(vec![
        Span::styled(app.t("tui.welcome.language"), th.label()),
        Span::styled(app.t("tui.welcome.language_name"), th.value()),
        Span::styled(app.t("tui.welcome.language_switch"), th.muted()),
    ]));
    text.lines.push(Line::default());
    if let Some(e) = &app.config_error {
        text.lines
            .push(Line::styled(app.t("tui.welcome.config_error"), th.error()));
        text.lines
            .push(Line::styled(e.localized(app.lang), th.error()));
        text.lines.push(Line::default());
    }
    if app.accounts().is_empty() {
        if app.config_error.is_none() {
            text.lines
                .push(Line::styled(app.t("tui.welcome.no_accounts"), th.muted()));
        }
    } else {
        text.lines
            .push(Line::styled(app.t("tui.welcome.accounts"), th.title()));
        for (i, a) in app.accounts().iter().enumerate() {
            let sel = i == app.selected;
            let style = if sel { th.focused() } else { th.value() };
            let detail = format!(
                "  {} {}:{}",
                protocol_label(app, a.incoming.protocol),
                a.incoming.host,
                a.incoming.port
            );
            text.lines.push(Line::from(vec![
                Span::styled(if sel { "› " } else { "  " }, th.key()),
                Span::styled(a.name.clone(), style),
                Span::styled(detail, th.muted()),
            ]));
        }
        text.lines.push(Line::default());
        text.lines
            .push(Line::styled(app.t("tui.welcome.actions"), th.label()));
    }
    if !app.detected.is_empty() {
        text.lines.push(Line::default());
        text.lines
            .push(Line::styled(app.t("tui.welcome.detected"), th.title()));
        let first = app.accounts().len();
        for (i, d) in app.detected.iter().enumerate() {
            let sel = first + i == app.selected;
            let style = if sel { th.focused() } else { th.value() };
            let client = app.t(d.client.i18n_key());
            let what = d.describe(app.lang).into_iter().next().unwrap_or_default();
            text.lines.push(Line::from(vec![
                Span::styled(if sel { "› " } else { "  " }, th.key()),
                Span::styled(format!("{client}, {}", d.who()), style),
                Span::styled(format!(" — {what}"), th.muted()),
            ]));
        }
        text.lines.push(Line::default());
        text.lines
            .push(Line::styled(app.t("tui.welcome.import_hint"), th.label()));
    }
    if app.detecting.is_some() {
        text.lines.push(Line::default());
        text.lines
            .push(Line::styled(app.t("detect.background.looking"), th.muted()));
    }
    if let Some(key) = app.notice {
        text.lines.push(Line::default());
        text.lines.push(Line::styled(app.t(key), th.warn()));
    }
    frame.render_widget(paragraph(text), area);
}
