//! Quoting for the places a value lands: a shell command line, and the
//! double-quoted strings of msmtp, mbsync and mutt configuration files.

/// `word` as one shell word: unchanged when it is made of safe characters,
/// else in single quotes.
pub fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `"text"` with `\` and `"` escaped by a backslash (msmtp, mbsync, mutt).
pub fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Percent-encoding of a URL's user part (`alice@x` → `alice%40x`).
pub fn url_user(user: &str) -> String {
    let mut out = String::new();
    for b in user.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A TOML basic string.
pub fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Text for XML element content or attributes.
pub fn xml(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words() {
        assert_eq!(shell_word("alice@example.test"), "alice@example.test");
        assert_eq!(shell_word("my mail"), "'my mail'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("a;rm -rf"), "'a;rm -rf'");
    }

    #[test]
    fn quoting() {
        assert_eq!(double_quoted(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(url_user("alice@example.test"), "alice%40example.test");
        let v: toml::Value = toml::from_str(&format!("k = {}", toml_string("a\"b'c"))).unwrap();
        assert_eq!(v["k"].as_str(), Some("a\"b'c"));
        assert_eq!(xml("a<b&c"), "a&lt;b&amp;c");
    }
}
