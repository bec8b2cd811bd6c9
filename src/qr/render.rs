//! A QR code as text: two rows of modules per line with the half-block
//! characters ▀ ▄ █, dark modules drawn as light-on-dark so that a terminal
//! with a dark background shows the usual dark-on-light code that phone
//! cameras expect. A 4-module quiet zone surrounds it, as the standard asks,
//! narrowed to 2 modules (which phone readers accept) when that is what
//! keeps a long account's code inside 80 columns.

use qrcode::{Color, QrCode};

const QUIET: usize = 4;
const NARROW_QUIET: usize = 2;

fn quiet_zone(width: usize) -> usize {
    if width + 2 * QUIET <= 80 {
        QUIET
    } else {
        NARROW_QUIET
    }
}

/// The code as lines of half blocks, `width + 2 × quiet zone` columns wide.
pub fn to_half_blocks(code: &QrCode) -> String {
    half_blocks_with_quiet(code, quiet_zone(code.width()))
}

/// The code as lines of half blocks with a quiet zone of `quiet` modules
/// (at least 1): for a small screen, where 1 or 2 modules of light border
/// drawn explicitly keep the code readable.
pub fn half_blocks_with_quiet(code: &QrCode, quiet: usize) -> String {
    let quiet = quiet.max(1);
    let width = code.width();
    let colors = code.to_colors();
    // Light is "ink" here: the terminal's own background stands for dark.
    let light = |x: usize, y: usize| -> bool {
        if x < quiet || y < quiet || x >= width + quiet || y >= width + quiet {
            return true;
        }
        colors[(y - quiet) * width + (x - quiet)] == Color::Light
    };
    let side = width + 2 * quiet;
    let mut out = String::with_capacity(side * side / 2 * 3 + side);
    for y in (0..side).step_by(2) {
        for x in 0..side {
            let top = light(x, y);
            let bottom = y + 1 >= side || light(x, y + 1);
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_zone_and_size() {
        let code = QrCode::new(b"mailwiz").unwrap();
        let text = to_half_blocks(&code);
        let side = code.width() + 2 * QUIET;
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), side.div_ceil(2));
        assert!(lines.iter().all(|l| l.chars().count() == side));
        assert!(
            lines[0].chars().all(|c| c == '█'),
            "top quiet zone is light"
        );
        // The finder pattern's dark corner sits right after the quiet zone.
        let row = lines[QUIET / 2].chars().collect::<Vec<_>>();
        assert_eq!(row[QUIET], ' ', "dark module drawn as background");
    }

    /// Reading the half blocks back gives every module of the code.
    #[test]
    fn text_reads_back_as_the_code() {
        for payload in ["x".repeat(20), "y".repeat(300)] {
            let code = QrCode::new(payload.as_bytes()).unwrap();
            let (width, quiet) = (code.width(), quiet_zone(code.width()));
            let grid: Vec<Vec<char>> = to_half_blocks(&code)
                .lines()
                .map(|l| l.chars().collect())
                .collect();
            let dark_at = |x: usize, y: usize| {
                let c = grid[y / 2][x];
                let light = if y.is_multiple_of(2) {
                    matches!(c, '█' | '▀')
                } else {
                    matches!(c, '█' | '▄')
                };
                !light
            };
            let colors = code.to_colors();
            for y in 0..width {
                for x in 0..width {
                    let dark = colors[y * width + x] == Color::Dark;
                    assert_eq!(dark_at(x + quiet, y + quiet), dark, "module ({x}, {y})");
                }
            }
        }
    }
}
