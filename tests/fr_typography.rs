#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! French typography, everywhere the French UI is seen: every French
//! table entry and every French snapshot of the screens. A no-break space
//! (U+00A0) before `:` `;` `?` `!` and inside « », a decimal comma in
//! durations ("0,0 s"), and no line that starts with punctuation.

use mailwiz::i18n::{Lang, table};

const NBSP: char = '\u{a0}';

/// The rule broken by `text`, if any (`line_start`: the text is a drawn
/// row, so it may not start with punctuation).
fn broken_rule(text: &str, line_start: bool) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let ends_word = next.is_none_or(|n| n.is_whitespace() || "\"')]".contains(n));
        let mark = (matches!(c, ':' | ';' | '?' | '!') && ends_word) || c == '»';
        if mark && i > 0 && prev != Some(NBSP) {
            return Some(format!("no no-break space before {c:?}"));
        }
        if c == '«' && next.is_some() && next != Some(NBSP) {
            return Some("no no-break space after «".into());
        }
    }
    // A duration: a digit, a point, a digit, " s", then no letter
    // ("127.0.0.1 sur" is an address, not seconds).
    let decimal = (0..chars.len()).any(|i| {
        let at = |k: usize| chars.get(i + k).copied();
        at(0).is_some_and(|c| c.is_ascii_digit())
            && at(1) == Some('.')
            && at(2).is_some_and(|c| c.is_ascii_digit())
            && at(3) == Some(' ')
            && at(4) == Some('s')
            && !at(5).is_some_and(char::is_alphanumeric)
    });
    if decimal {
        return Some("a decimal point in a duration".into());
    }
    if line_start
        && text
            .trim_start()
            .starts_with([':', ';', '?', '!', '»', ',', '.'])
    {
        return Some("a line starts with punctuation".into());
    }
    None
}

#[test]
fn every_french_table_entry_follows_french_typography() {
    let mut bad = Vec::new();
    for (key, text) in table(Lang::Fr) {
        if let Some(rule) = broken_rule(text, false) {
            bad.push(format!("{key}: {rule}: {text:?}"));
        }
    }
    assert!(bad.is_empty(), "{} entries:\n{}", bad.len(), bad.join("\n"));
}

/// The text of a snapshot row, without the frame: what a reader sees
/// between the borders.
fn inner(row: &str) -> &str {
    row.trim_matches(|c: char| "│┌┐└┘─ ".contains(c))
}

/// The part of a row that is mailwiz's French: a server's own words
/// (its reply, greeting, capabilities) and certificate fingerprints are
/// quoted evidence and keep their own punctuation.
fn french_part(row: &str) -> String {
    let mut text = row.to_string();
    for label in [
        "Réponse du serveur",
        "Accueil",
        "Capacités",
        "Constaté\u{a0}: 5",
        "Constaté\u{a0}: 4",
        "Constaté\u{a0}: 2",
        "Constaté\u{a0}: NO",
        "Constaté\u{a0}: -ERR",
    ] {
        if let Some(at) = text.find(label) {
            text.truncate(at + label.len());
        }
    }
    // A fingerprint: hex pairs joined by colons.
    let is_fingerprint = |w: &str| {
        w.split(':').filter(|p| !p.is_empty()).count() >= 4
            && w.split(':')
                .all(|p| p.len() <= 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
    };
    text.split(' ')
        .filter(|w| !is_fingerprint(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_french_snapshot_follows_french_typography() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut bad = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.ends_with("_fr.snap") {
            continue;
        }
        seen += 1;
        let body = std::fs::read_to_string(entry.path()).unwrap();
        for row in body
            .lines()
            .filter_map(|l| l.strip_prefix('"')?.strip_suffix('"'))
        {
            // Rows are printed with Rust escapes (once, or twice by the
            // tests that format them again).
            let row = row
                .replace("\\\\u{a0}", "\u{a0}")
                .replace("\\u{a0}", "\u{a0}");
            if let Some(rule) = broken_rule(&french_part(inner(&row)), true) {
                bad.push(format!("{name}: {rule}: {row:?}"));
            }
        }
    }
    assert!(
        seen > 30,
        "only {seen} French snapshots in {}",
        dir.display()
    );
    assert!(bad.is_empty(), "{} rows:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn the_rules_catch_what_they_guard_against() {
    assert!(broken_rule("Serveur : x", false).is_some());
    assert!(broken_rule("Serveur: x", false).is_some());
    assert!(broken_rule("« ssl »", false).is_some());
    assert!(broken_rule("arrivé en 3.2 s", false).is_some());
    assert!(broken_rule(": suite", true).is_some());
    assert!(broken_rule("en 127.0.0.1 sur cette machine", true).is_none());
    assert!(broken_rule("Serveur\u{a0}: https://x.fr/?a=1 à 12:30", true).is_none());
    assert!(broken_rule("«\u{a0}ssl\u{a0}» en 3,2 s", true).is_none());
    let fp = "SHA-256\u{a0}: 3F:1C:0A:9B:E2:D4:47:5A:";
    assert!(broken_rule(&french_part(fp), true).is_none());
    let reply = "Réponse du serveur\u{a0}: 250 2.0.0 Ok: queued";
    assert!(broken_rule(&french_part(reply), true).is_none());
}
