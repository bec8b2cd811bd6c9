//! Every user-facing string, in English and French, from the tables in
//! `assets/i18n/<lang>/<area>.toml` (embedded). Each area of the code owns
//! its file, so the tables stay small and reviewable.
//!
//! Keys are dotted paths (`cli.added`); `{name}` placeholders are filled
//! from the arguments. A missing key shows the key itself, so a gap is
//! visible instead of a crash (and a test proves there is none).

use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn toggle(self) -> Lang {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        if code.starts_with("fr") {
            Some(Lang::Fr)
        } else if code.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// `--lang` wins; else MAILWIZ_LANG, LC_ALL, LC_MESSAGES, LANG (POSIX
    /// order: the first one set and non-empty decides); `fr*` means French,
    /// anything else English. `get` reads a variable (the face's
    /// environment; the core reads none).
    pub fn detect(explicit: Option<&str>, get: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = explicit.and_then(Lang::parse) {
            return lang;
        }
        Self::from_env(get)
    }

    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Lang {
        match locale_variable(get) {
            Some(v) if v.to_ascii_lowercase().starts_with("fr") => Lang::Fr,
            _ => Lang::En,
        }
    }
}

/// The variables that name the user's language, in the order they win.
pub const LOCALE_VARIABLES: [&str; 4] = ["MAILWIZ_LANG", "LC_ALL", "LC_MESSAGES", "LANG"];

/// The value of the first of `LOCALE_VARIABLES` set and non-empty.
pub fn locale_variable(get: impl Fn(&str) -> Option<String>) -> Option<String> {
    LOCALE_VARIABLES
        .iter()
        .find_map(|k| get(k).filter(|v| !v.is_empty()))
}

/// The areas, one table file each per language.
macro_rules! areas {
    ($($name:literal),* $(,)?) => {
        pub const AREAS: &[&str] = &[$($name),*];
        const EN: &[&str] = &[$(include_str!(concat!("../assets/i18n/en/", $name, ".toml"))),*];
        const FR: &[&str] = &[$(include_str!(concat!("../assets/i18n/fr/", $name, ".toml"))),*];
    };
}
areas!(
    "common",
    "cli",
    "net",
    "secrets",
    "config",
    "tui",
    "discover",
    "doctor",
    "export",
    "detect",
    "tui_doctor",
    "oauth",
    "tui_signin",
    "oauth_clients",
    "accounts",
    "validation",
    "tui_test",
    "tui_layout",
    "bundle",
    "plain",
    "cli_help",
    "tui_routing",
    "trust",
    "plain_accounts",
    "tui_renew",
    "core_texts",
);

type Table = BTreeMap<String, String>;

fn flatten(prefix: &str, value: &toml::Value, out: &mut Table) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

fn parse_tables(files: &[&str]) -> Table {
    let mut out = Table::new();
    for (area, text) in AREAS.iter().zip(files) {
        let value: toml::Value = toml::from_str(text)
            .unwrap_or_else(|e| panic!("assets/i18n table '{area}' is not valid TOML: {e}"));
        flatten("", &value, &mut out);
    }
    out
}

pub fn table(lang: Lang) -> &'static Table {
    static EN_T: OnceLock<Table> = OnceLock::new();
    static FR_T: OnceLock<Table> = OnceLock::new();
    match lang {
        Lang::En => EN_T.get_or_init(|| parse_tables(EN)),
        Lang::Fr => FR_T.get_or_init(|| {
            let mut table = parse_tables(FR);
            for text in table.values_mut() {
                *text = french_spacing(text);
            }
            table
        }),
    }
}

const NBSP: char = '\u{a0}';

/// French typography, applied to the French table as it loads (so no
/// table can get it wrong): a no-break space before `:` `;` `?` `!` and
/// inside « », where a plain space or no space was typed. A mark not
/// followed by a space or the end (`https://`, `12:30`, `?x=1`) is not
/// punctuation of the sentence and stays as it is.
pub fn french_spacing(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let ends_word = next.is_none_or(|n| n.is_whitespace() || "\"')]".contains(n));
        let mark = matches!(c, ':' | ';' | '?' | '!') && ends_word || c == '»';
        if mark && i > 0 {
            match out.pop() {
                Some(' ' | NBSP) => out.push(NBSP),
                Some(prev) if prev.is_alphanumeric() || "}).»".contains(prev) => {
                    out.push(prev);
                    out.push(NBSP);
                }
                Some(prev) => out.push(prev),
                None => {}
            }
        }
        out.push(c);
        if c == '«' {
            match next {
                Some(' ') => {}
                Some(NBSP) | None => {}
                Some(_) => out.push(NBSP),
            }
        } else if c == ' ' && out.chars().rev().nth(1) == Some('«') {
            out.pop();
            out.push(NBSP);
        }
    }
    out
}

/// A decimal number as the language writes it: `3.2` in English, `3,2`
/// in French.
pub fn decimal(lang: Lang, value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    match lang {
        Lang::En => text,
        Lang::Fr => text.replace('.', ","),
    }
}

/// The text for `key`, or the key itself when the table has no such entry.
pub fn t(lang: Lang, key: &str) -> &'static str {
    match table(lang).get(key) {
        Some(s) => s.as_str(),
        None => leak_key(key),
    }
}

fn leak_key(key: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static MISSING: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut set = MISSING
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(k) = set.get(key) {
        return k;
    }
    let k: &'static str = Box::leak(key.to_string().into_boxed_str());
    set.insert(k);
    k
}

/// `t` with `{name}` placeholders filled.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    fill(t(lang, key), args)
}

/// `tf` with arguments that came from outside (servers, files): each is
/// cleaned of control characters before it goes into the text.
pub fn tf_outside(lang: Lang, key: &str, args: Vec<(&str, String)>) -> String {
    let cleaned: Vec<(&str, String)> = args
        .into_iter()
        .map(|(k, v)| (k, crate::net::clean_text(v.as_bytes())))
        .collect();
    let refs: Vec<(&str, &str)> = cleaned.iter().map(|(k, v)| (*k, v.as_str())).collect();
    tf(lang, key, &refs)
}

/// Fills `{name}` placeholders in one left-to-right pass over the template:
/// a value is copied as is, never searched again, so server text that
/// contains `{text}` stays literal. Unknown placeholders stay as written.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let found = args.iter().find(|(n, _)| *n == name);
            found.map(|(_, v)| (*v, close))
        });
        if let Some((v, close)) = value {
            out.push_str(v);
            rest = &after[close + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_spacing_puts_no_break_spaces_where_french_wants_them() {
        let nb = |s: &str| s.replace('_', "\u{a0}");
        for (typed, wanted) in [
            ("Serveur : {host}", "Serveur_: {host}"),
            ("Serveur: {host}", "Serveur_: {host}"),
            ("Quitter quand même ?", "Quitter quand même_?"),
            ("Vraiment?", "Vraiment_?"),
            ("ok ; suite", "ok_; suite"),
            ("« ssl »", "«_ssl_»"),
            ("«ssl»", "«_ssl_»"),
            ("Déjà_: bien", "Déjà_: bien"),
            ("https://x.fr/a?b=1 à 12:30", "https://x.fr/a?b=1 à 12:30"),
            ("({detail}) : l'id", "({detail})_: l'id"),
        ] {
            assert_eq!(french_spacing(&nb(typed)), nb(wanted), "{typed}");
        }
    }

    #[test]
    fn decimals_use_the_languages_separator() {
        assert_eq!(decimal(Lang::En, 3.25, 1), "3.2");
        assert_eq!(decimal(Lang::Fr, 0.0, 1), "0,0");
        assert_eq!(decimal(Lang::Fr, 12.5, 1), "12,5");
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let en: Vec<_> = table(Lang::En).keys().collect();
        let fr: Vec<_> = table(Lang::Fr).keys().collect();
        let only_en: Vec<_> = en
            .iter()
            .filter(|k| !table(Lang::Fr).contains_key(**k))
            .collect();
        let only_fr: Vec<_> = fr
            .iter()
            .filter(|k| !table(Lang::En).contains_key(**k))
            .collect();
        assert!(only_en.is_empty(), "keys missing in French: {only_en:?}");
        assert!(only_fr.is_empty(), "keys missing in English: {only_fr:?}");
    }

    #[test]
    fn placeholders_match_between_languages() {
        let names = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        for (key, en) in table(Lang::En) {
            let fr = &table(Lang::Fr)[key];
            assert_eq!(names(en), names(fr), "placeholders differ for {key}");
        }
    }

    #[test]
    fn lookup_and_fill() {
        assert_eq!(t(Lang::En, "no.such.key"), "no.such.key");
        assert_eq!(fill("a {x} b {y}", &[("x", "1"), ("y", "2")]), "a 1 b 2");
        assert_eq!(fill("{x}{x}{ {z}", &[("x", "1")]), "11{ {z}");
    }

    #[test]
    fn a_value_is_never_filled_again() {
        // A server reply that itself contains placeholders stays literal.
        let reply = "NO [AUTHENTICATIONFAILED] {text} {code} {y}";
        let out = fill(
            "Seen: {text}: {code}",
            &[("text", reply), ("code", "535 {text}"), ("y", "BAD")],
        );
        assert_eq!(
            out,
            "Seen: NO [AUTHENTICATIONFAILED] {text} {code} {y}: 535 {text}"
        );
    }

    #[test]
    fn language_detection() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_env(env(&[("LANG", "fr_FR.UTF-8")])), Lang::Fr);
        assert_eq!(Lang::from_env(env(&[("LANG", "de_DE.UTF-8")])), Lang::En);
        assert_eq!(
            Lang::from_env(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "fr_FR")])),
            Lang::En
        );
        assert_eq!(Lang::from_env(env(&[("LC_MESSAGES", "fr_CA")])), Lang::Fr);
        assert_eq!(Lang::from_env(env(&[])), Lang::En);
        assert_eq!(Lang::detect(Some("fr"), env(&[("LANG", "en")])), Lang::Fr);
    }
}
