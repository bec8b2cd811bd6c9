//! Printing helpers: human text on stdout, errors on stderr, JSON on stdout.

use std::io::Write;

pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

pub fn error(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "mailwiz: {text}");
}

pub fn hint(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "  {text}");
}

pub fn json<T: serde::Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).expect("report types always serialize");
    line(&text);
}

/// A check mark or a cross, then the text.
pub fn status(ok: bool, text: &str) {
    line(&format!("  {} {text}", if ok { "✓" } else { "✗" }));
}
