//! Step 4: POP or IMAP, in plain words, with a recommendation. F1 explains
//! how to find out which one is used today.

use crate::account::Protocol;
use crate::tui::app::App;
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto};
use crate::tui::widgets::{block_text, form, protocol_label, security_label, split_top};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};

pub fn fields(app: &App) -> Vec<Field> {
    match app.form.protocol {
        Protocol::Imap => vec![Field::Protocol],
        Protocol::Pop3 => vec![Field::Protocol, Field::KeepCopy],
    }
}

/// The preset has no server for the chosen protocol.
fn not_offered(app: &App) -> bool {
    app.form.provider().is_some_and(|p| {
        p.variants
            .get(app.form.variant)
            .is_some_and(|v| !v.offers(app.form.protocol))
    })
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match c {
        Control::Confirm => {
            let keep = app.form.keep_copy;
            let proto = app.form.protocol;
            let offered = !not_offered(app);
            if !offered {
                app.form.go_manual();
            }
            if !offered || app.form.servers_for != proto {
                app.form.refill(Some(proto));
            }
            app.form.protocol = proto;
            app.form.keep_copy = keep;
            goto(app, Step::Incoming)
        }
        Control::Back => goto(app, Step::SettingsFound),
        c => {
            form_control(app, c);
            Vec::new()
        }
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let option = |p: Protocol, key: &str| {
        let on = app.form.protocol == p;
        Line::from(vec![
            Span::styled(if on { "(•) " } else { "( ) " }, th.key()),
            Span::styled(
                app.tf("tui_layout.label", &[("label", protocol_label(app, p))]),
                th.title(),
            ),
            Span::styled(app.t(key), th.value()),
        ])
    };
    let text = Text::from(vec![
        option(Protocol::Imap, "tui.protocol.imap"),
        option(Protocol::Pop3, "tui.protocol.pop"),
        Line::default(),
        Line::styled(app.t("tui.protocol.recommend"), th.ok()),
    ]);
    let rest = block_text(frame, area, text, 1);
    let fields = fields(app);
    let used = form(app, frame, rest, &fields);
    let rest = split_top(rest, used + 1).1;
    let mut more = Text::default();
    if not_offered(app) {
        more.lines
            .push(Line::styled(app.t("tui.protocol.not_offered"), th.warn()));
    }
    // What this address uses today in another mail client, when known.
    for line in in_use(app) {
        more.lines.push(Line::styled(line, th.ok()));
    }
    more.lines
        .push(Line::styled(app.t("tui.protocol.which_hint"), th.muted()));
    block_text(frame, rest, more, 0);
}

/// "You already use IMAP on imap.free.fr:993 (SSL/TLS) in Thunderbird",
/// for each detected account of this address.
fn in_use(app: &App) -> Vec<String> {
    let email = app.form.email().trim();
    app.detected
        .iter()
        .filter(|d| !email.is_empty() && d.who().eq_ignore_ascii_case(email))
        .filter_map(|d| {
            let i = d.incoming.as_ref()?;
            Some(app.tf(
                "tui_layout.protocol.in_use",
                &[
                    ("protocol", protocol_label(app, i.protocol)),
                    ("host", &i.host),
                    ("port", &i.port.to_string()),
                    ("security", security_label(app, i.security)),
                    ("client", app.t(d.client.i18n_key())),
                ],
            ))
        })
        .collect()
}
