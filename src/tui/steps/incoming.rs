//! Step 5: the incoming server. Changing the security proposes its port,
//! unless the user typed one.

use crate::tui::app::App;
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto, validate};
use crate::tui::widgets::{block_text, form, protocol_label, split_top};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Text};

pub const FIELDS: [Field; 4] = [
    Field::InHost,
    Field::InPort,
    Field::InSecurity,
    Field::InUser,
];

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match c {
        Control::Confirm => {
            if validate(app, &FIELDS) {
                goto(app, Step::Outgoing)
            } else {
                Vec::new()
            }
        }
        Control::Back => goto(app, Step::Protocol),
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

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let intro = app.tf(
        "tui.incoming.intro",
        &[("protocol", protocol_label(app, app.form.protocol))],
    );
    let rest = block_text(frame, area, Text::styled(intro, th.value()), 1);
    let used = form(app, frame, rest, &FIELDS);
    let rest = split_top(rest, used + 1).1;
    let text = Text::from(vec![
        Line::styled(app.t("tui.incoming.security_hint"), th.muted()),
        source_line(app),
    ]);
    block_text(frame, rest, text, 0);
}
