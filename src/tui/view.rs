//! `render`: a pure function of the state. Header, the step's body in a
//! frame (with the list of steps on wide screens), the footer's keys, and
//! the help and confirmation pop-ups.

use super::app::{App, Modal};
use super::step::Step;
use super::steps;
use super::widgets::{self, paragraph};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Padding};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;
const SIDEBAR_FROM: u16 = 100;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, frame, area);
        return;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(app, frame, header);
    let main = if area.width >= SIDEBAR_FROM {
        let [side, main] =
            Layout::horizontal([Constraint::Length(31), Constraint::Fill(1)]).areas(body);
        draw_sidebar(app, frame, side);
        main
    } else {
        body
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(app.theme.border())
        .title(Span::styled(
            format!(" {} ", app.t(&title_key(app))),
            app.theme.title(),
        ))
        .padding(Padding::horizontal(1));
    let inner = block.inner(main);
    frame.render_widget(block, main);
    if app.troubleshoot.is_some() {
        super::troubleshoot_view::render(app, frame, inner);
    } else {
        steps::render(app, frame, inner);
    }
    draw_footer(app, frame, footer);
    match &app.modal {
        Some(Modal::Help) => draw_help(app, frame, area),
        Some(Modal::ConfirmQuit) => {
            confirm(app, frame, area, app.t("tui.quit.confirm").to_string());
        }
        Some(Modal::ConfirmRemove(name)) => {
            let text = app.tf("tui.welcome.remove_confirm", &[("name", name)]);
            confirm(app, frame, area, text);
        }
        None => {}
    }
}

/// The screen's title and help: the step's, or troubleshooting's over it.
fn title_key(app: &App) -> String {
    match app.troubleshoot {
        Some(_) => "tui.troubleshoot.title".to_string(),
        None => super::steps::title_key(app, app.step),
    }
}

fn help_key(app: &App) -> String {
    match app.troubleshoot {
        Some(_) => "tui.troubleshoot.help".to_string(),
        None => super::steps::help_key(app, app.step),
    }
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = app.tf(
        "tui.too_small",
        &[
            ("width", &area.width.to_string()),
            ("height", &area.height.to_string()),
            ("min_width", &MIN_WIDTH.to_string()),
            ("min_height", &MIN_HEIGHT.to_string()),
        ],
    );
    let y = area.height / 3;
    let r = Rect {
        y: area.y + y,
        height: area.height - y,
        ..area
    };
    frame.render_widget(
        paragraph(Line::styled(text, app.theme.warn())).alignment(Alignment::Center),
        r,
    );
}

fn draw_header(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    // Troubleshooting is a screen of its own, not the step under it.
    let progress = if app.troubleshoot.is_some() {
        app.t("tui.troubleshoot.title").to_string()
    } else {
        app.tf(
            "tui.header.step",
            &[
                ("n", &(app.step.index() + 1).to_string()),
                ("total", &Step::ALL.len().to_string()),
            ],
        )
    };
    // On a narrow screen the tagline gives way to where the user is.
    let mut left = format!(" mailwiz · {}", app.t("tui.header.tagline"));
    if widgets::width(&left) + widgets::width(&progress) + 2 > area.width as usize {
        left = " mailwiz".to_string();
    }
    frame.render_widget(Line::styled(left, th.header()).style(th.header()), area);
    frame.render_widget(
        Line::styled(format!("{progress} "), th.header()).alignment(Alignment::Right),
        area,
    );
}

fn draw_sidebar(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let mut lines = vec![Line::default()];
    let failed = steps::failed_steps(app);
    for step in Step::ALL {
        let (mark, style) = if step == app.step {
            ("▸", th.current_step())
        } else if failed.contains(&step) {
            ("✗", th.error())
        } else if step < app.step {
            ("✓", th.ok())
        } else {
            ("·", th.muted())
        };
        let name = app.t(&super::steps::title_key(app, step));
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} {:>2}. ", step.index() + 1), style),
            Span::styled(name, style),
        ]));
    }
    frame.render_widget(Text::from(lines), area);
}

fn draw_footer(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let mut spans = vec![Span::raw(" ")];
    for (i, (key, label)) in footer_hints(app, area.width).iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("  ", th.muted()));
        }
        spans.push(Span::styled(widgets::key_name(app, key), th.key()));
        spans.push(Span::styled(format!(" {}", app.t(label)), th.label()));
    }
    frame.render_widget(Line::from(spans), area);
}

/// The footer's hints at this width: a pop-up's own keys while it is
/// open, else the screen's; whole hints only, "F1 help" always kept.
pub fn footer_hints(app: &App, width: u16) -> Vec<(&'static str, &'static str)> {
    let mut keys = match &app.modal {
        Some(Modal::Help) => vec![
            ("PgUp/PgDn", "tui_layout.key.scroll"),
            ("Esc", "tui_layout.key.close"),
        ],
        Some(Modal::ConfirmQuit | Modal::ConfirmRemove(_)) => {
            return vec![
                (yes_key(app), "tui_layout.key.yes"),
                ("N", "tui_layout.key.no"),
                ("Esc", "tui.key.cancel"),
            ];
        }
        None => {
            let mut keys = match app.troubleshoot {
                Some(_) => super::troubleshoot::keys(app),
                None => steps::keys(app),
            };
            if app.scroll.more_below() || app.scroll.offset() > 0 {
                keys.push(("PgUp/PgDn", "tui_layout.key.scroll"));
            }
            keys.push(("F1", "tui.key.help"));
            if !keys.iter().any(|(_, l)| *l == "tui.key.quit") {
                keys.push(("Ctrl-C", "tui.key.quit"));
            }
            keys
        }
    };
    if app.modal.is_some() {
        keys.push(("Ctrl-C", "tui.key.quit"));
    }
    let room = (width as usize).saturating_sub(1);
    widgets::fit_hints(
        app,
        keys,
        room,
        &[
            "tui.key.move",
            "tui.key.select",
            "tui_layout.key.scroll",
            "tui.key.quit",
        ],
    )
}

/// "Y" in English, "O" (oui) in French: the key the question names.
fn yes_key(app: &App) -> &'static str {
    app.t("tui_layout.keyname.yes")
}

/// A rectangle of at most `w`x`h` centred in `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn popup(app: &App, frame: &mut Frame, area: Rect, title: String) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(app.theme.key())
        .title(Span::styled(format!(" {title} "), app.theme.title()))
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

fn draw_help(app: &App, frame: &mut Frame, area: Rect) {
    let w = (area.width * 4 / 5).max(MIN_WIDTH - 4);
    let r = centered(area, w, area.height.saturating_sub(4));
    let title = app.tf("tui.help.title", &[("step", app.t(&title_key(app)))]);
    let inner = popup(app, frame, r, title);
    let mut text = Text::from(Line::styled(app.t(&help_key(app)), app.theme.value()));

    text.lines.push(Line::default());
    if app.step == Step::Protocol && app.troubleshoot.is_none() {
        detected_help(app, &mut text);
    }
    text.lines
        .push(Line::styled(app.t("tui.help.keys"), app.theme.muted()));
    text.lines.push(Line::default());
    text.lines
        .push(Line::styled(app.t("tui.help.close"), app.theme.key()));
    widgets::scrolled(app, frame, inner, text, &app.help_scroll);
}

/// "Which one do I use today?": what the other mail clients here say.
fn detected_help(app: &App, text: &mut Text<'static>) {
    if app.detected.is_empty() {
        text.lines.push(Line::styled(
            app.t("tui.protocol.detected_none"),
            app.theme.muted(),
        ));
    } else {
        text.lines.push(Line::styled(
            app.t("tui.protocol.detected"),
            app.theme.title(),
        ));
        for d in &app.detected {
            text.lines
                .push(Line::styled(d.heading(app.lang), app.theme.label()));
            for l in d.describe(app.lang) {
                text.lines
                    .push(Line::styled(format!("  {l}"), app.theme.value()));
            }
        }
    }
    text.lines.push(Line::default());
}

/// A question in a box centred on the screen, its height fitted to the
/// text; its keys are in the box and in the footer.
fn confirm(app: &App, frame: &mut Frame, area: Rect, question: String) {
    let w = 56.min(area.width);
    let text = Text::from(vec![
        Line::styled(question, app.theme.value()),
        Line::default(),
        Line::styled(app.t("tui.confirm.keys"), app.theme.key()),
    ]);
    let h = widgets::text_height(&text, w.saturating_sub(4)) + 2;
    let r = centered(area, w, h);
    let inner = popup(app, frame, r, app.t("tui.confirm.title").to_string());
    frame.render_widget(paragraph(text).alignment(Alignment::Center), inner);
}
