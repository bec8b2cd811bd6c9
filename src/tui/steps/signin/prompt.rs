//! What the user must do during a sign-in, drawn over the whole screen
//! above the footer, without borders: the address and the code each alone
//! on their line, never wrapped into a frame, so a terminal copies them
//! whole (over SSH too), and a QR code of the verification address for a
//! phone when the screen has room for it.

use crate::tui::app::App;
use crate::tui::signin::SignInPrompt;
use crate::tui::widgets::spinner;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Clear, Paragraph};

/// `text` cut into rows of the screen's width, each a line of its own (a
/// long sign-in address fills whole rows, nothing beside it).
fn rows(text: &str, width: u16) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(usize::from(width.max(1)))
        .map(|c| c.iter().collect())
        .collect()
}

/// The QR code of `url` as half-block lines, when it fits in `room`: the
/// smallest code at low error correction, with a 2-module quiet zone, or
/// 1 module when only that fits (phone readers accept both).
fn qr_lines(url: &str, room: Rect) -> Option<Vec<String>> {
    let code = crate::qr::encode_smallest(url).ok()?;
    [2, 1].into_iter().find_map(|quiet| {
        let text = crate::qr::half_blocks_with_quiet(&code, quiet);
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let width = lines.first().map_or(0, |l| l.chars().count());
        (lines.len() <= usize::from(room.height) && width <= usize::from(room.width))
            .then_some(lines)
    })
}

/// Light modules as white ink on a black ground, whatever the terminal's
/// own colours (a light terminal would otherwise invert the code).
fn qr_style() -> Style {
    Style::new().fg(Color::White).bg(Color::Black)
}

pub fn render(app: &App, frame: &mut Frame, prompt: &SignInPrompt) {
    let th = app.theme;
    let full = frame.area();
    // Everything above the footer (which keeps "Esc stops").
    let area = Rect {
        height: full.height.saturating_sub(1),
        ..full
    };
    frame.render_widget(Clear, area);
    let wait = format!("{} ", spinner(app));
    let mut text = Text::default();
    let mut push = |s: String, style| text.lines.push(Line::styled(s, style));
    let qr_url = match prompt {
        SignInPrompt::Browser { url, opened } => {
            let key = if *opened {
                "tui.signin.browser_opened"
            } else {
                "tui.signin.browser_open"
            };
            push(app.t(key).to_string(), th.value());
            for row in rows(url, area.width) {
                push(row, th.key());
            }
            push(app.t("tui.signin.browser_ssh").to_string(), th.muted());
            push(wait + app.t("tui.signin.waiting"), th.value());
            None
        }
        SignInPrompt::Device {
            uri,
            code,
            complete,
            minutes,
        } => {
            push(app.t("tui.signin.device_visit").to_string(), th.value());
            for row in rows(uri, area.width) {
                push(row, th.key());
            }
            push(
                app.t("oauth_clients.wizard.enter_code").to_string(),
                th.value(),
            );
            push(code.clone(), th.ok());
            let m = minutes.to_string();
            push(
                wait + &app.tf("tui.signin.device_waiting", &[("minutes", &m)]),
                th.value(),
            );
            Some(complete.as_deref().unwrap_or(uri).to_string())
        }
    };
    // The label takes a row; the blank row before it only when there is room.
    let used = u16::try_from(text.lines.len()).unwrap_or(u16::MAX);
    let room = Rect {
        y: area.y + used.saturating_add(1),
        height: area.height.saturating_sub(used.saturating_add(1)),
        ..area
    };
    if let Some(qr) = qr_url.as_deref().and_then(|u| qr_lines(u, room)) {
        if qr.len() < usize::from(room.height) {
            text.lines.push(Line::default());
        }
        text.lines
            .push(Line::styled(app.t("oauth_clients.wizard.scan"), th.muted()));
        text.lines
            .extend(qr.into_iter().map(|l| Line::styled(l, qr_style())));
    }
    frame.render_widget(Paragraph::new(text), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_address_fills_whole_rows() {
        let url = "x".repeat(25);
        assert_eq!(
            rows(&url, 10),
            ["x".repeat(10), "x".repeat(10), "x".repeat(5)]
        );
        assert_eq!(rows("", 10), Vec::<String>::new());
    }
}
