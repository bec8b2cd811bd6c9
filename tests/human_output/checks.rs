//! The checks of a text shown to people: placeholders left, i18n keys
//! printed, untranslated English in French (outside « » quotes).

use mailwiz::i18n::{Lang, table};

/// Words of untranslated English, matched as whole words in French output.
const ENGLISH: &[&str] = &[
    "open",
    "The server",
    "could not",
    "step:",
    "failed to",
    "error",
];

/// Problems of one text shown to people in `lang`.
pub fn problems(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = leftover_placeholder(text) {
        out.push(format!("placeholder {p} left"));
    }
    for key in table(Lang::En).keys() {
        if contains_token(text, key) {
            out.push(format!("i18n key {key} printed"));
        }
    }
    if lang == Lang::Fr {
        let own = outside_quotes(text);
        for w in ENGLISH {
            if contains_word(&own, w) {
                out.push(format!("English {w:?} in French text"));
            }
        }
    }
    out
}

/// `{name}` with a lower-case identifier inside (not a `\u{a0}` escape
/// of a snapshot: French text holds no-break spaces).
fn leftover_placeholder(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let escape = rest[..i].ends_with("\\u");
        let after = &rest[i + 1..];
        if let Some(end) = after.find('}') {
            let name = &after[..end];
            if !escape
                && !name.is_empty()
                && name
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c == b'_' || c.is_ascii_digit())
            {
                return Some(format!("{{{name}}}"));
            }
        }
        rest = after;
    }
    None
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `needle` with no word character (nor a dot, for keys) on either side.
fn contains_token(text: &str, needle: &str) -> bool {
    find_bounded(text, needle, |c| is_word_byte(c) || c == b'.')
}

/// `needle` as whole words, case-insensitive.
fn contains_word(text: &str, needle: &str) -> bool {
    find_bounded(&text.to_lowercase(), &needle.to_lowercase(), is_word_byte)
}

/// Whether the needle at `s..e` is free on both sides: no joining byte next
/// to it, and not a part of a dotted identifier (`org.freedesktop.DBus.Error`).
fn find_bounded(text: &str, needle: &str, joins: impl Fn(u8) -> bool) -> bool {
    let b = text.as_bytes();
    let dotted = |dot: Option<&u8>, beyond: Option<&u8>| {
        dot == Some(&b'.') && beyond.is_some_and(|c| is_word_byte(*c))
    };
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let (s, e) = (from + i, from + i + needle.len());
        let before = s.checked_sub(1).and_then(|k| b.get(k));
        let starts = (s == 0 || !joins(b[s - 1]) || !is_word_byte(needle.as_bytes()[0]))
            && !dotted(before, s.checked_sub(2).and_then(|k| b.get(k)));
        let last = needle.as_bytes()[needle.len() - 1];
        let ends = (e == b.len() || !joins(b[e]) || !is_word_byte(last))
            && !dotted(b.get(e), b.get(e + 1));
        if starts && ends {
            return true;
        }
        from = s + 1;
    }
    false
}

/// The text with every « … » (quoted evidence) removed.
fn outside_quotes(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            '\n' => {
                depth = 0;
                out.push(c);
            }
            _ => {}
        }
    }
    out
}
