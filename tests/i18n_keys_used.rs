#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The i18n tables and the code agree exactly, both ways.
//!
//! 1. Every key is used by the code. A key counts as used when:
//!    - its exact text is a string literal in `src/` (comments do not
//!      count), or
//!    - a string literal with `{…}` placeholders builds it: each
//!      placeholder stands for exactly one dotted segment (or for the rest
//!      of a segment after a literal start, as in `{base}_{v}`), and every
//!      segment of the key but one is written literally. So
//!      `"discover.security.{}"` builds `discover.security.tls`,
//!      `"tui.{}.title"` builds `tui.welcome.title`, `"security.{}"` builds
//!      the two-segment `security.tls`, but `"tui.{}"` does not build
//!      `tui.welcome.title` and `"doctor.{}.{part}"` builds nothing.
//!    - it belongs to a family listed in [`FAMILIES`], whose keys the code
//!      builds from a typed enum; the test builds the same keys from the
//!      same enum, so a key of the family that no enum value reaches is
//!      still reported.
//!
//! 2. Every key-looking literal the code passes to the lookup functions
//!    (`t(`, `tf(`, and every literal starting with a table's top-level
//!    area followed by a dot, e.g. returned by an `i18n_key()` function)
//!    exists in both languages.

use mailwiz::i18n::{Lang, table};
use std::collections::BTreeSet;
use std::path::Path;

/// Rust sources of `dir`, with their path, recursively.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let p = entry.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).expect("a source file is UTF-8");
            out.push((p.display().to_string(), text));
        }
    }
}

/// The string literals of a Rust source, in order (comments skipped; raw
/// strings and escapes handled well enough for key-shaped text).
fn literals(src: &str) -> Vec<String> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = src[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = src[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            }
            b'\'' => {
                // A char literal ('"', '\'', '\u{1b}') or a lifetime.
                if b.get(i + 1) == Some(&b'\\') {
                    i = src[i + 2..].find('\'').map_or(b.len(), |n| i + 2 + n + 1);
                } else if b.get(i + 2) == Some(&b'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            b'r' if (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
                let open = i + 1 + hashes;
                if b.get(open) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let end = src[open + 1..]
                    .find(&close)
                    .map_or(b.len(), |n| open + 1 + n);
                out.push(src[open + 1..end.min(b.len())].to_string());
                i = end + close.len();
            }
            b'"' => {
                let mut j = i + 1;
                let mut text = String::new();
                while j < b.len() && b[j] != b'"' {
                    if b[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                text.push_str(&src[i + 1..j.min(b.len())]);
                out.push(text);
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether the literal `lit` (with `{…}` placeholders) builds `key`, by the
/// rule in the module comment.
fn builds(lit: &str, key: &str) -> bool {
    if !lit.contains('{') || !lit.contains('.') {
        return false;
    }
    let lit_parts: Vec<&str> = lit.split('.').collect();
    let key_parts: Vec<&str> = key.split('.').collect();
    if lit_parts.len() != key_parts.len() {
        return false;
    }
    let mut from_placeholder = 0;
    for (l, k) in lit_parts.iter().zip(&key_parts) {
        if !l.contains('{') {
            if l != k {
                return false;
            }
            continue;
        }
        from_placeholder += 1;
        // The literal start of the segment must match (`{x}` alone: any).
        let start = &l[..l.find('{').unwrap_or(0)];
        if !k.starts_with(start) || k.len() == start.len() {
            return false;
        }
    }
    from_placeholder == 1
}

/// Families of keys the code builds from a typed enum, with the keys it
/// can build. Each is checked against the code: the builder text must be
/// in the source.
struct Family {
    /// The text of the code that builds the keys (must be in `src/`).
    builder: &'static str,
    keys: fn() -> BTreeSet<String>,
}

const FAMILIES: &[Family] = &[
    Family {
        // src/cli/help_text.rs: `cli_help.<command path>.<about|long_about|arg id>`.
        builder: "format!(\"cli_help.{path}.{part}\")",
        keys: cli_help_keys,
    },
    Family {
        // src/doctor/findings.rs: `doctor.<code>.<part>` (and a `_<variant>`
        // suffix when the table has one).
        builder: "format!(\"doctor.{}.{part}\", d.code.as_str())",
        keys: doctor_keys,
    },
    Family {
        // src/tui/steps/{test,send}.rs: the advice for a network error is
        // `tui.advice.` + its `net.error.` key's rest (which may have dots).
        builder: "e.i18n_key().trim_start_matches(\"net.error.\")",
        keys: net_advice_keys,
    },
];

/// Every text of the clap command tree: each command's `about` (and the
/// root's `long_about`), each argument with a help text.
fn cli_help_keys() -> BTreeSet<String> {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: &str, out: &mut BTreeSet<String>) {
        out.insert(mailwiz::cli::help_text::key(path, "about"));
        out.insert(mailwiz::cli::help_text::key(path, "long_about"));
        for a in c.get_arguments() {
            out.insert(mailwiz::cli::help_text::key(path, a.get_id().as_str()));
        }
        for s in c.get_subcommands() {
            walk(s, &format!("{path}.{}", s.get_name()), out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&mailwiz::cli::Cli::command(), "mailwiz", &mut out);
    out
}

fn net_advice_keys() -> BTreeSet<String> {
    table(Lang::En)
        .keys()
        .filter_map(|k| k.strip_prefix("net.error."))
        .map(|rest| format!("tui.advice.{rest}"))
        .collect()
}

fn doctor_keys() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for code in mailwiz::doctor::Code::ALL {
        for part in ["title", "explanation", "fix"] {
            let base = format!("doctor.{}.{part}", code.as_str());
            // Variants: `<base>_<variant>` keys of the table.
            for k in table(Lang::En).keys() {
                if k.strip_prefix(&base).is_some_and(|rest| {
                    rest.strip_prefix('_')
                        .is_some_and(|v| !v.is_empty() && !v.contains('.'))
                }) {
                    out.insert(k.clone());
                }
            }
            out.insert(base);
        }
    }
    out
}

fn all_sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 20, "the sources are found");
    files
}

#[test]
fn every_key_is_used() {
    let files = all_sources();
    let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
    let lits: BTreeSet<String> = files.iter().flat_map(|(_, t)| literals(t)).collect();
    let formats: Vec<&String> = lits.iter().filter(|l| l.contains('{')).collect();
    let mut family_keys = BTreeSet::new();
    for f in FAMILIES {
        assert!(
            all.contains(f.builder),
            "no code builds keys as {}",
            f.builder
        );
        family_keys.extend((f.keys)());
    }
    let used = |key: &String| {
        lits.contains(key) || formats.iter().any(|l| builds(l, key)) || family_keys.contains(key)
    };
    let unused: Vec<&String> = table(Lang::En).keys().filter(|k| !used(k)).collect();
    assert!(unused.is_empty(), "i18n keys no code uses: {unused:?}");
}

/// The top-level areas of the tables (`cli`, `discover`, `security`, …).
fn areas() -> BTreeSet<String> {
    table(Lang::En)
        .keys()
        .filter_map(|k| k.split_once('.').map(|(a, _)| a.to_string()))
        .collect()
}

fn key_shaped(lit: &str, areas: &BTreeSet<String>) -> bool {
    let Some((area, rest)) = lit.split_once('.') else {
        return false;
    };
    areas.contains(area)
        && !rest.is_empty()
        && lit.split('.').all(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        })
}

/// Literals that look like keys but are not: file names (himalaya's
/// `config.toml`, our `accounts.toml`), a host name, and the prefix a test
/// checks every step-detail key against.
const NOT_KEYS: &[&str] = &[
    "config.toml",
    "accounts.toml",
    "accounts.google.com",
    "net.detail",
];

#[test]
fn every_key_the_code_asks_for_exists_in_both_languages() {
    let areas = areas();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (path, text) in all_sources() {
        for lit in literals(&text) {
            if !key_shaped(&lit, &areas) || NOT_KEYS.contains(&lit.as_str()) {
                continue;
            }
            checked += 1;
            for lang in Lang::ALL {
                if !table(lang).contains_key(&lit) {
                    missing.push(format!("{path}: \"{lit}\" ({})", lang.code()));
                }
            }
        }
    }
    assert!(checked > 200, "key literals are found ({checked})");
    assert!(
        missing.is_empty(),
        "keys asked for but not in the tables: {missing:#?}"
    );
}

#[test]
fn the_rule_reads_as_documented() {
    assert!(builds("discover.security.{}", "discover.security.tls"));
    assert!(builds("tui.{}.title", "tui.welcome.title"));
    assert!(builds("security.{}", "security.tls"));
    assert!(builds("x.a{v}", "x.ab"));
    assert!(!builds("x.a{v}", "x.a"));
    assert!(!builds("tui.{}", "tui.welcome.title"));
    assert!(!builds("doctor.{}.{part}", "doctor.auth.title"));
    assert!(!builds("discover.security.{}", "discover.status.running"));
    assert!(!builds("discover.{}", "discover.status.running"));
    let lits = literals("t(l, \"a.b\") // \"c.d\"\n/* \"e.f\" */ r#\"g.\"h\"# '\"' \"i\\\"j\"");
    assert_eq!(lits, ["a.b", "g.\"h", "i\\\"j"]);
}
