//! Step 6: the SMTP server: 465 (TLS) or 587 (STARTTLS), 25 explained,
//! the authentication switch and the shared login.

use crate::account::parse_port;
use crate::tui::app::App;
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto, validate};
use crate::tui::widgets::{block_text, form, split_top};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Text};

pub fn fields(app: &App) -> Vec<Field> {
    let mut f = vec![
        Field::OutHost,
        Field::OutPort,
        Field::OutSecurity,
        Field::AuthRequired,
    ];
    if app.form.auth_required {
        f.push(Field::SameLogin);
        if !app.form.same_login {
            f.push(Field::OutUser);
        }
    }
    f.push(Field::CaFile);
    if app.form.pins.1.is_some() {
        f.push(Field::OutPin);
    }
    f
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match c {
        Control::Confirm => {
            let fields = fields(app);
            if validate(app, &fields)
                && super::incoming::plain_consent(
                    app.form.out_security,
                    &mut app.form.plain_confirmed.1,
                    &mut app.form.plain_asked.1,
                )
            {
                goto(app, Step::Password)
            } else {
                Vec::new()
            }
        }
        Control::Back => goto(app, Step::Incoming),
        c if super::incoming::remove_pin(app, c) => Vec::new(),
        c => {
            form_control(app, c);
            Vec::new()
        }
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let rest = block_text(
        frame,
        area,
        Text::styled(app.t("tui.outgoing.intro"), th.value()),
        1,
    );
    let fields = fields(app);
    let used = form(app, frame, rest, &fields);
    let rest = split_top(rest, used + 1).1;
    let mut text = Text::default();
    let port = parse_port(app.form.out_port.value()).ok();
    if port == Some(25) {
        text.lines
            .push(Line::styled(app.t("tui.outgoing.port25"), th.warn()));
    } else {
        text.lines
            .push(Line::styled(app.t("tui.outgoing.ports"), th.muted()));
    }
    let f = &app.form;
    text.lines.extend(super::incoming::security_lines(
        app,
        f.out_security,
        f.plain_asked.1,
        f.pins.1.as_ref(),
    ));
    text.lines.push(super::incoming::source_line(app));
    block_text(frame, rest, text, 0);
}
