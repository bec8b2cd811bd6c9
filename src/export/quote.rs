//! One quoting function per foreign grammar a value lands in. Each cites
//! the client's own documentation and says what it cannot represent; the
//! exporters never write a value with a control character (see
//! `super::refuse_unsafe`), so no function here has to encode a line break.

/// `word` as one POSIX shell word: unchanged when it is made of safe
/// characters, else in single quotes, where the shell interprets nothing
/// (POSIX Shell Command Language §2.2.2 "Single-Quotes"); a `'` is written
/// `'\''` (close, escaped quote, reopen).
pub fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The words of a command line made of [`shell_word`]s: spaces separate
/// words, single quotes group, `\'` outside quotes is a quote.
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            '\\' if !quoted => {
                if let Some(next) = chars.next() {
                    word.get_or_insert_with(String::new).push(next);
                }
            }
            ' ' if !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// `"text"` with `\` and `"` escaped by a backslash. mbsync(1),
/// CONFIGURATION: "arguments containing spaces must be enclosed in double
/// quotes ("), and literal double quotes and backslashes (\) must be
/// backslash-escaped" — also for `PassCmd`: "Remember to backslash-escape
/// double quotes and backslashes embedded into the command."
pub fn mbsync_string(text: &str) -> String {
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

/// An msmtp argument. msmtp(1), CONFIGURATION FILES: "The argument may be
/// enclosed in double quotes (")"; msmtp removes one enclosing pair and
/// unescapes nothing (`\"` stays two characters, checked with msmtp 1.8.23
/// `--pretend`), and `#` starts a comment only as a line's first non-blank
/// character. So the value between one pair of quotes is read verbatim,
/// leading and trailing blanks included.
pub fn msmtp_arg(text: &str) -> String {
    format!("\"{text}\"")
}

/// A muttrc literal. neomuttrc(5), SYNTAX OF INITIALIZATION FILES: "a
/// single quote is used to specify a literal string (one that is not
/// interpreted for shell variables or quoting with a backslash)" and
/// "backticks are evaluated inside of double quotes, but not single
/// quotes". A `'` itself is written `'"'"'`: the token goes on across
/// adjacent quoted parts, and inside double quotes a `'` is plain.
pub fn muttrc_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', r#"'"'"'"#))
}

/// A muttrc value that is the output of the shell command line `command`
/// (`"`command`"`). neomuttrc(5): "“\” quotes the next character"; NeoMutt
/// finds the closing backtick by skipping `\`-quoted characters and removes
/// one level of `\` before it runs the command with `sh -c`. So `\`, `` ` ``
/// and `"` of the command line get one more backslash, and the shell sees
/// `command` exactly (checked with NeoMutt 20220429 `-Q`).
pub fn muttrc_backtick(command: &str) -> String {
    let mut out = String::from("\"`");
    for c in command.chars() {
        if matches!(c, '\\' | '`' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str("`\"");
    out
}

/// An INI value as aerc reads it (aerc 0.14 loads `accounts.conf` with
/// go-ini): "If you have a value that contains a special character, wrap
/// it with backquotes" — go-ini takes everything between the first
/// backquote and the last one of the line, verbatim, so `#`, `;`, quotes,
/// backslashes and inner backquotes all stay. aerc-config(5) names the
/// file's format INI; the quoting rule is go-ini's (its README, "Value
/// with special characters").
pub fn ini_raw(text: &str) -> String {
    format!("`{text}`")
}

/// `Display Name <addr>` as RFC 5322 §3.4 mailbox: the display name as a
/// quoted-string (§3.2.4), `\` and `"` escaped; UTF-8 is allowed there by
/// RFC 6532 §3.2.
pub fn mailbox(display_name: &str, email: &str) -> String {
    if display_name.is_empty() {
        return email.to_string();
    }
    let mut out = String::from("\"");
    for c in display_name.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str("\" <");
    out.push_str(email);
    out.push('>');
    out
}

/// Percent-encoding of a URL's user part (`alice@x` → `alice%40x`),
/// RFC 3986 §3.2.1: every byte outside the unreserved set is encoded.
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

/// A TOML basic string (TOML 1.0, "String": "Any Unicode character may be
/// used except those that must be escaped: quotation mark, backslash, and
/// the control characters other than tab"), usable as a value and as a
/// quoted key (a multi-line string, which the toml crate may choose, is not
/// a valid key).
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for XML element content or attributes (XML 1.0 §2.4: `<`, `&`,
/// and quotes in attributes, escaped). XML 1.0 cannot hold most control
/// characters at all (§2.2 Char), which the exporters refuse before.
pub fn xml(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_quote_and_split() {
        assert_eq!(shell_word("alice@example.test"), "alice@example.test");
        assert_eq!(shell_word("my mail"), "'my mail'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("a;rm -rf"), "'a;rm -rf'");
        for words in [
            vec!["mailwiz", "--config", "/a b/it's"],
            vec!["x", "", "é 中"],
        ] {
            let line: Vec<String> = words.iter().map(|w| shell_word(w)).collect();
            assert_eq!(shell_words(&line.join(" ")), words);
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(mbsync_string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(msmtp_arg(r#"a "b" \c "#), r#""a "b" \c ""#);
        assert_eq!(muttrc_literal("it's `x` $y"), r#"'it'"'"'s `x` $y'"#);
        assert_eq!(muttrc_backtick(r#"p 'a`b\c"d'"#), r#""`p 'a\`b\\c\"d'`""#);
        assert_eq!(ini_raw("a # b ; `c`"), "`a # b ; `c``");
        assert_eq!(
            mailbox(r#"Bob "B" \ é"#, "b@x.test"),
            r#""Bob \"B\" \\ é" <b@x.test>"#
        );
        assert_eq!(mailbox("", "b@x.test"), "b@x.test");
        assert_eq!(url_user("alice@example.test"), "alice%40example.test");
        for text in ["a\"b'c", "\"\"\"", "x\\y\u{1}\u{85}"] {
            let q = toml_string(text);
            let v: toml::Value = toml::from_str(&format!("{q} = {q}")).unwrap();
            assert_eq!(v[text].as_str(), Some(text));
        }
        assert_eq!(xml("a<b&c"), "a&lt;b&amp;c");
    }
}
