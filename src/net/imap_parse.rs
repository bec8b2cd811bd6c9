//! IMAP's pure parts: what a greeting, a capability list, a search result
//! or a login refusal means; quoting. Tested without a server.

use super::Phase;
use super::clean_text;
use super::error::{NetError, Reply, Wire};

/// What a first line says about who answered.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Greeting {
    Ok { capabilities: Option<Vec<String>> },
    Preauth,
}

pub(crate) fn greeting(line: &[u8]) -> Result<Greeting, NetError> {
    let text = clean_text(line);
    let upper = text.to_ascii_uppercase();
    if upper.starts_with("* OK") {
        Ok(Greeting::Ok {
            capabilities: capabilities_in(&text),
        })
    } else if upper.starts_with("* PREAUTH") {
        Ok(Greeting::Preauth)
    } else if upper.starts_with("* BYE") {
        Err(NetError::Rejected {
            phase: Phase::Greeting,
            reply: Reply::text(text),
        })
    } else {
        Err(wrong_protocol(Wire::Imap, &text))
    }
}

/// Another protocol answered (told by the first line).
pub(crate) fn wrong_protocol(expected: Wire, text: &str) -> NetError {
    NetError::WrongProtocol {
        expected,
        found: Wire::of_greeting(text),
        greeting: text.to_string(),
    }
}

/// `* CAPABILITY A B` or `... [CAPABILITY A B] ...`.
pub(crate) fn capabilities_in(text: &str) -> Option<Vec<String>> {
    let upper = text.to_ascii_uppercase();
    let list = if let Some(rest) = upper.strip_prefix("* CAPABILITY ") {
        rest.to_string()
    } else {
        let start = upper.find("[CAPABILITY ")? + "[CAPABILITY ".len();
        let end = upper[start..].find(']')? + start;
        upper[start..end].to_string()
    };
    Some(list.split_whitespace().map(str::to_string).collect())
}

/// An IMAP quoted string, or None when the value needs a literal.
pub(crate) fn quoted(value: &str) -> Option<String> {
    if !value
        .bytes()
        .all(|b| (0x01..0x80).contains(&b) && b != b'\r' && b != b'\n')
    {
        return None;
    }
    Some(format!(
        "\"{}\"",
        value.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// The numbers of `* SEARCH 3 7`.
pub(crate) fn search_hits(line: &str) -> Option<Vec<u32>> {
    let upper = line.to_ascii_uppercase();
    let rest = upper.strip_prefix("* SEARCH")?;
    Some(
        rest.split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect(),
    )
}

/// The login failure a tagged NO/BAD means.
pub(crate) fn login_refusal(text: String) -> NetError {
    let reply = Reply::text(text);
    let code = reply.imap_code().map(str::to_ascii_uppercase);
    match code.as_deref() {
        Some("PRIVACYREQUIRED") => NetError::LoginDisabled,
        Some("UNAVAILABLE" | "SERVERBUG" | "INUSE" | "LIMIT") => NetError::Rejected {
            phase: Phase::Login,
            reply,
        },
        _ if reply.text.to_ascii_uppercase().starts_with("BAD") => NetError::Rejected {
            phase: Phase::Login,
            reply,
        },
        _ => NetError::AuthFailed { reply },
    }
}

/// The size of the literal announced at the end of a line (`{42}`,
/// `{42+}`), however large.
pub(crate) fn literal_size(line: &str) -> Option<u64> {
    let (_, n) = line.strip_suffix('}')?.rsplit_once('{')?;
    let n = n.trim_end_matches('+');
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(n.parse::<u64>().unwrap_or(u64::MAX))
}

/// Overwrites a string that held a credential.
pub(crate) fn wipe(mut s: String) {
    zeroize::Zeroize::zeroize(&mut s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings() {
        assert_eq!(
            greeting(b"* OK Dovecot ready.").unwrap(),
            Greeting::Ok { capabilities: None }
        );
        assert_eq!(
            greeting(b"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready.").unwrap(),
            Greeting::Ok {
                capabilities: Some(vec![
                    "IMAP4REV1".into(),
                    "STARTTLS".into(),
                    "AUTH=PLAIN".into()
                ])
            }
        );
        assert_eq!(greeting(b"* PREAUTH hi").unwrap(), Greeting::Preauth);
        match greeting(b"+OK Dovecot ready.") {
            Err(NetError::WrongProtocol { found, .. }) => assert_eq!(found, Wire::Pop3),
            other => panic!("{other:?}"),
        }
        match greeting(b"220 mail ESMTP") {
            Err(NetError::WrongProtocol { found, .. }) => assert_eq!(found, Wire::Smtp),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            greeting(b"* BYE go away"),
            Err(NetError::Rejected { .. })
        ));
    }

    #[test]
    fn capability_lines() {
        assert_eq!(
            capabilities_in("* CAPABILITY IMAP4rev1 LOGINDISABLED"),
            Some(vec!["IMAP4REV1".to_string(), "LOGINDISABLED".to_string()])
        );
        assert_eq!(
            capabilities_in("OK [CAPABILITY IMAP4rev1 IDLE] Logged in")
                .unwrap()
                .len(),
            2
        );
        assert_eq!(capabilities_in("* 3 EXISTS"), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(
            quoted("alice@example.test").unwrap(),
            "\"alice@example.test\""
        );
        assert_eq!(quoted(r#"pa"ss\w"#).unwrap(), r#""pa\"ss\\w""#);
        assert_eq!(quoted("mot-de-passé"), None);
        assert_eq!(quoted("a\r\nb"), None);
    }

    #[test]
    fn search_results() {
        assert_eq!(search_hits("* SEARCH 2 5"), Some(vec![2, 5]));
        assert_eq!(search_hits("* SEARCH"), Some(vec![]));
        assert_eq!(search_hits("* 4 EXISTS"), None);
    }

    #[test]
    fn login_refusals() {
        assert!(matches!(
            login_refusal("NO [AUTHENTICATIONFAILED] Authentication failed.".into()),
            NetError::AuthFailed { .. }
        ));
        assert_eq!(
            login_refusal("NO [PRIVACYREQUIRED] Plaintext authentication disabled.".into()),
            NetError::LoginDisabled
        );
        assert!(matches!(
            login_refusal("NO [UNAVAILABLE] Temporary authentication failure.".into()),
            NetError::Rejected {
                phase: Phase::Login,
                ..
            }
        ));
    }

    #[test]
    fn literal_sizes() {
        assert_eq!(literal_size("* 1 FETCH (BODY {42}"), Some(42));
        assert_eq!(literal_size("a {7+}"), Some(7));
        assert_eq!(
            literal_size("* CAPABILITY {4294967295}"),
            Some(4_294_967_295)
        );
        assert_eq!(
            literal_size("x {99999999999999999999999999}"),
            Some(u64::MAX)
        );
        assert_eq!(literal_size("no literal {}"), None);
        assert_eq!(literal_size("{-1}"), None);
        assert_eq!(literal_size("text"), None);
    }
}
