//! Step 5: the incoming server. Changing the security proposes its port,
//! unless the user typed one. An unencrypted connection is flagged and
//! needs a second Enter; a private CA's file and a pinned certificate (with
//! a way to remove it) are set here too.

use crate::account::Security;
use crate::tui::app::App;
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto, validate};
use crate::tui::widgets::{block_text, form, protocol_label, split_top};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Text};

pub fn fields(app: &App) -> Vec<Field> {
    let mut f = vec![
        Field::InHost,
        Field::InPort,
        Field::InSecurity,
        Field::InUser,
        Field::CaFile,
    ];
    if app.form.pins.0.is_some() {
        f.push(Field::InPin);
    }
    f
}

/// Enter on an unencrypted server: the first one asks, the second one
/// confirms. Returns whether the step may be left.
pub fn plain_consent(security: Security, confirmed: &mut bool, asked: &mut bool) -> bool {
    if security != Security::None || *confirmed {
        return true;
    }
    if *asked {
        *confirmed = true;
        return true;
    }
    *asked = true;
    false
}

/// Space on a pin's box removes the pin (the certificate is then checked
/// against the system's authorities, or the CA file, again).
pub fn remove_pin(app: &mut App, c: Control) -> bool {
    let toggle = matches!(c, Control::Toggle | Control::Right | Control::Left);
    match app.focused() {
        Some(Field::InPin) if toggle => app.form.pins.0 = None,
        Some(Field::OutPin) if toggle => app.form.pins.1 = None,
        _ => return false,
    }
    app.dirty = true;
    true
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match c {
        Control::Confirm => {
            let fields = fields(app);
            if validate(app, &fields)
                && plain_consent(
                    app.form.in_security,
                    &mut app.form.plain_confirmed.0,
                    &mut app.form.plain_asked.0,
                )
            {
                goto(app, Step::Outgoing)
            } else {
                Vec::new()
            }
        }
        Control::Back => goto(app, Step::Protocol),
        c if remove_pin(app, c) => Vec::new(),
        c => {
            form_control(app, c);
            Vec::new()
        }
    }
}

/// Where the values come from, under a form (issue 13 item 15: only
/// typed values are "entered by hand").
pub fn source_line(app: &App) -> Line<'static> {
    super::settings_found::provenance_line(app)
}

/// The security lines under a server's form: the unencrypted warning (and
/// the question, once asked), the pinned certificate.
pub fn security_lines(
    app: &App,
    security: Security,
    asked: bool,
    pin: Option<&String>,
) -> Vec<Line<'static>> {
    let th = app.theme;
    let mut lines = Vec::new();
    if security == Security::None {
        lines.push(Line::styled(app.t("tui.outgoing.unencrypted"), th.warn()));
        if asked {
            lines.push(Line::styled(
                app.t("tui_test.unencrypted_confirm"),
                th.key(),
            ));
        }
    }
    if let Some(sha) = pin {
        // The start is enough to recognise it; the whole one is in the
        // diagnosis and at the failure.
        let short: String = sha.chars().take(16).collect();
        let sha = format!("{}…", crate::account::display_fingerprint(&short));
        lines.push(Line::styled(
            app.tf("tui_test.pinned", &[("sha256", &sha)]),
            th.value(),
        ));
    }
    lines
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let intro = app.tf(
        "tui.incoming.intro",
        &[("protocol", protocol_label(app, app.form.protocol))],
    );
    let rest = block_text(frame, area, Text::styled(intro, th.value()), 1);
    let used = form(app, frame, rest, &fields(app));
    let rest = split_top(rest, used + 1).1;
    let f = &app.form;
    let mut lines = security_lines(app, f.in_security, f.plain_asked.0, f.pins.0.as_ref());
    if f.in_security != Security::None {
        lines.insert(
            0,
            Line::styled(app.t("tui.incoming.security_hint"), th.muted()),
        );
    }
    lines.push(source_line(app));
    block_text(frame, rest, Text::from(lines), 0);
}
