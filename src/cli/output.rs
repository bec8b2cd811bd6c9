//! Printing helpers: human text on stdout, errors on stderr, JSON on stdout.
//!
//! Every human line goes through [`clean_line`]: text from outside (server
//! replies, XML values, DNS labels, other clients' files, token endpoints)
//! is part of many lines, so this is the one place where escape sequences
//! and forged line breaks are stopped. Each call prints exactly one line:
//! the CLI's own line structure is the calls it makes, and a newline inside
//! a value never starts a new line. JSON is printed as is (it escapes every
//! control character itself).

use std::io::Write;

/// The replacement shown for a character that must not reach a terminal.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Characters that must not reach a terminal: C0 and C1 controls (ESC, CR,
/// LF, BEL, CSI…), DEL, Unicode line and paragraph separators (which some
/// terminals and log viewers break lines on), and the bidirectional
/// overrides and isolates that reorder what is shown. A tab stays.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` as one safe line: each unsafe character becomes [`REPLACEMENT`].
pub fn clean_line(text: &str) -> String {
    text.chars()
        .map(|c| if is_unsafe(c) { REPLACEMENT } else { c })
        .collect()
}

fn write_clean(mut to: impl Write, prefix: &str, text: &str) {
    let _ = writeln!(to, "{prefix}{}", clean_line(text));
}

pub fn line(text: &str) {
    write_clean(std::io::stdout().lock(), "", text);
}

pub fn error(text: &str) {
    write_clean(std::io::stderr().lock(), "mailwiz: ", text);
}

pub fn hint(text: &str) {
    write_clean(std::io::stderr().lock(), "  ", text);
}

/// A secret asked for on purpose (`mailwiz password`), byte for byte: it
/// is read by programs (msmtp's `passwordeval`), not shown to people.
pub fn secret_line(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

pub fn json<T: serde::Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).expect("report types always serialize");
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// A check mark or a cross, then the text.
pub fn status(ok: bool, text: &str) {
    line(&format!("  {} {text}", if ok { "✓" } else { "✗" }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_without_escapes() {
        let hostile = "a\x1b]0;title\x07b\x1b[2Jc\r\n  ✓ forged\u{9b}2J\u{7f}\u{2028}\u{202e}d\te";
        let out = clean_line(hostile);
        assert_eq!(out, "a�]0;title�b�[2Jc��  ✓ forged�2J���d\te");
        assert!(!out.chars().any(|c| c.is_control() && c != '\t'));
        assert_eq!(
            clean_line("Port 993 : ouvert « é »"),
            "Port 993 : ouvert « é »"
        );
    }
}
