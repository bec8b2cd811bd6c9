//! Reading the mailbox list for exports: `LIST` with the special-use
//! attributes (RFC 6154, `RETURN (SPECIAL-USE)` when the server has the
//! SPECIAL-USE capability, else the plain LIST, where servers that know
//! them show them too), `NAMESPACE` (RFC 2342) for the personal prefix,
//! and `CREATE` for a folder an export names. Read-only apart from CREATE.

use super::error::{NetError, Reply};
use super::{ImapSession, Phase};
use crate::export::ServerFolders;

/// The most mailboxes read from one LIST (the session bounds each line).
const MAX_MAILBOXES: usize = 10_000;

/// One IMAP string (quoted, with `\` escapes, or an atom; `NIL` is None)
/// from the start of `text`, and the rest.
fn imap_string(text: &str) -> Option<(Option<String>, &str)> {
    let text = text.trim_start();
    if let Some(rest) = text.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => out.push(chars.next()?.1),
                '"' => return Some((Some(out), &rest[i + 1..])),
                c => out.push(c),
            }
        }
        None
    } else {
        let end = text.find([' ', ')']).unwrap_or(text.len());
        let atom = &text[..end];
        (!atom.is_empty()).then(|| {
            let value = (!atom.eq_ignore_ascii_case("NIL")).then(|| atom.to_string());
            (value, &text[end..])
        })
    }
}

/// `* LIST (\HasNoChildren \Sent) "." "Envoyes"` → (flags, name).
pub(crate) fn parse_list(line: &str) -> Option<(Vec<String>, String)> {
    let rest = line.strip_prefix("* ")?;
    let (word, rest) = rest.split_once(' ')?;
    if !word.eq_ignore_ascii_case("LIST") {
        return None;
    }
    let rest = rest.trim_start().strip_prefix('(')?;
    let (flags, rest) = rest.split_once(')')?;
    let (_delimiter, rest) = imap_string(rest)?;
    let (name, _) = imap_string(rest)?;
    let flags = flags.split_whitespace().map(str::to_string).collect();
    Some((flags, name?))
}

/// `* NAMESPACE (("INBOX." ".")) NIL NIL` → the first personal prefix and
/// delimiter.
pub(crate) fn parse_namespace(line: &str) -> Option<(String, Option<char>)> {
    let rest = line.strip_prefix("* NAMESPACE ")?.trim_start();
    let rest = rest.strip_prefix("((")?;
    let (prefix, rest) = imap_string(rest)?;
    let (delimiter, _) = imap_string(rest)?;
    Some((
        prefix.unwrap_or_default(),
        delimiter.and_then(|d| d.chars().next()),
    ))
}

fn ok_or_rejected(done: String) -> Result<(), NetError> {
    if done.to_ascii_uppercase().starts_with("OK") {
        Ok(())
    } else {
        Err(NetError::Rejected {
            phase: Phase::Search,
            reply: Reply::text(done),
        })
    }
}

/// An IMAP quoted string for a mailbox name, or None when it cannot be one.
fn quoted_name(name: &str) -> Option<String> {
    if name.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return None;
    }
    Some(format!(
        "\"{}\"",
        name.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

impl ImapSession {
    /// The mailboxes, their special uses and the personal namespace.
    pub fn special_folders(&mut self) -> Result<ServerFolders, NetError> {
        let mut found = ServerFolders::default();
        if self.has("NAMESPACE") {
            let (untagged, done) = self.command(Phase::Search, "NAMESPACE")?;
            ok_or_rejected(done)?;
            if let Some((prefix, delimiter)) = untagged.iter().find_map(|l| parse_namespace(l)) {
                found.prefix = prefix;
                found.delimiter = delimiter;
            }
        }
        let list = if self.has("SPECIAL-USE") {
            "LIST \"\" \"*\" RETURN (SPECIAL-USE)"
        } else {
            "LIST \"\" \"*\""
        };
        let (untagged, done) = self.command(Phase::Search, list)?;
        ok_or_rejected(done)?;
        for (flags, name) in untagged
            .iter()
            .filter_map(|l| parse_list(l))
            .take(MAX_MAILBOXES)
        {
            let has = |f: &str| flags.iter().any(|x| x.eq_ignore_ascii_case(f));
            let slot = if has("\\Sent") {
                Some(&mut found.sent)
            } else if has("\\Drafts") {
                Some(&mut found.drafts)
            } else if has("\\All") {
                Some(&mut found.all)
            } else {
                None
            };
            if let Some(slot) = slot
                && slot.is_none()
            {
                *slot = Some(name.clone());
            }
            found.names.push(name);
        }
        Ok(found)
    }

    /// Creates `name` (an ASCII mailbox name).
    pub fn create_folder(&mut self, name: &str) -> Result<(), NetError> {
        let q = quoted_name(name).ok_or(NetError::Protocol {
            phase: Phase::Search,
            problem: super::Problem::NotAscii,
        })?;
        let (_, done) = self.command(Phase::Search, &format!("CREATE {q}"))?;
        ok_or_rejected(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_and_namespace_lines() {
        assert_eq!(
            parse_list(r#"* LIST (\HasNoChildren \Sent) "." "Envoy\"es""#),
            Some((
                vec!["\\HasNoChildren".into(), "\\Sent".into()],
                "Envoy\"es".into()
            ))
        );
        assert_eq!(
            parse_list(r"* LIST (\Noselect) NIL INBOX"),
            Some((vec!["\\Noselect".into()], "INBOX".into()))
        );
        assert_eq!(parse_list("* OK nothing"), None);
        assert_eq!(
            parse_namespace(r#"* NAMESPACE (("INBOX." ".")) NIL NIL"#),
            Some(("INBOX.".into(), Some('.')))
        );
        assert_eq!(quoted_name("a\"b"), Some(r#""a\"b""#.into()));
        assert_eq!(quoted_name("é"), None);
    }
}
