//! URLs on screen: on rows of their own across the whole width, over any
//! border, so selecting them copies the URL and nothing else; OSC 8
//! hyperlinks where the terminal shows them. Used through `widgets`.

use super::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// The rows a URL takes across the whole screen's width.
pub fn url_height(frame_width: u16, url: &str) -> u16 {
    let w = super::widgets::width(&clean_url(url)).max(1);
    let fw = usize::from(frame_width.max(1));
    u16::try_from(w.div_ceil(fw)).unwrap_or(u16::MAX)
}

/// A URL as it can be shown: control characters (escape sequences
/// included) and spaces removed, so it cannot drive the terminal.
pub fn clean_url(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

/// Draws `url` on rows of its own starting at row `y`, from the screen's
/// left edge to its right edge, over any border (so selecting the rows
/// copies the URL and nothing else), never broken at a word. With
/// `App::hyperlinks` it is also an OSC 8 hyperlink (the terminal makes it
/// clickable); otherwise plain text. Returns the rows used.
pub fn url_rows(app: &App, frame: &mut Frame, y: u16, url: &str) -> u16 {
    let screen = frame.area();
    let url = clean_url(url);
    let rows = url_height(screen.width, &url).min(screen.bottom().saturating_sub(y));
    let area = Rect {
        x: screen.x,
        y,
        width: screen.width,
        height: rows,
    };
    frame.render_widget(ratatui::widgets::Clear, area);
    let chars: Vec<char> = url.chars().collect();
    let per_row = usize::from(screen.width.max(1));
    for (i, chunk) in chars.chunks(per_row).take(usize::from(rows)).enumerate() {
        let row = Rect {
            y: y + i as u16,
            height: 1,
            ..area
        };
        let piece: String = chunk.iter().collect();
        frame.render_widget(Line::styled(piece.clone(), app.theme.link()), row);
        if app.hyperlinks {
            hyperlink_cells(frame, row, &piece, &url);
        }
    }
    rows
}

/// Wraps the cells of `row` in OSC 8 sequences pointing at `url`, two
/// characters per cell (the next cell skipped), as ratatui's hyperlink
/// example does. Only for plain single-width text (a URL after
/// `clean_url`).
fn hyperlink_cells(frame: &mut Frame, row: Rect, piece: &str, url: &str) {
    let buf = frame.buffer_mut();
    let chars: Vec<char> = piece.chars().collect();
    for (i, pair) in chars.chunks(2).enumerate() {
        let x = row.x + (i * 2) as u16;
        let text: String = pair.iter().collect();
        let seq = format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\");
        if let Some(cell) = buf.cell_mut((x, row.y)) {
            cell.set_symbol(&seq);
        }
        if pair.len() == 2
            && let Some(cell) = buf.cell_mut((x + 1, row.y))
        {
            cell.set_diff_option(ratatui::buffer::CellDiffOption::Skip);
        }
    }
}

/// Whether the terminal shows OSC 8 hyperlinks: `MAILWIZ_HYPERLINKS=0|1`
/// decides; else the terminals known to support them (VTE ≥ 0.50, kitty,
/// WezTerm, iTerm2, Windows Terminal, foot, Konsole, VS Code), and never
/// inside tmux or screen (they may not pass the sequence on).
pub fn hyperlinks_from_env(get: impl Fn(&str) -> Option<String>) -> bool {
    if let Some(v) = get("MAILWIZ_HYPERLINKS") {
        return v == "1";
    }
    if get("TMUX").is_some() || get("STY").is_some() {
        return false;
    }
    let term = get("TERM").unwrap_or_default();
    let program = get("TERM_PROGRAM").unwrap_or_default();
    let vte = get("VTE_VERSION")
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0);
    vte >= 5000
        || term.contains("kitty")
        || term.starts_with("foot")
        || ["WezTerm", "iTerm.app", "vscode"].contains(&program.as_str())
        || get("WT_SESSION").is_some()
        || get("KONSOLE_VERSION").is_some()
}
