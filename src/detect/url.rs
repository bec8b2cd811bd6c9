//! Mail URLs as mutt and aerc write them:
//! `scheme[+flags]://[user[:password]@]host[:port][/path]`. The password
//! part is dropped as soon as it is seen.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailUrl {
    /// Lower-cased, without `+` flags: imap, imaps, pop, pops, smtp, smtps, …
    pub scheme: String,
    /// `+insecure`, `+plain`, `+oauthbearer`, … lower-cased.
    pub flags: Vec<String>,
    /// Percent-decoded; empty when absent.
    pub user: String,
    pub host: String,
    pub port: Option<u16>,
}

/// Reads a mail URL; None when `text` is not one (a local path, a command).
pub fn parse(text: &str) -> Option<MailUrl> {
    let text = text.trim();
    let (scheme, rest) = text.split_once("://")?;
    let mut parts = scheme.split('+').map(str::to_ascii_lowercase);
    let scheme = parts.next()?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let flags = parts.collect();
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (u, h),
        None => ("", authority),
    };
    // user:password — only the user is kept.
    let user = crate::percent::decode(userinfo.split(':').next().unwrap_or(""));
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => {
            (h, Some(p.parse::<u16>().ok().filter(|p| *p > 0)?))
        }
        _ => (hostport, None),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return None;
    }
    Some(MailUrl {
        scheme,
        flags,
        user,
        host: host.to_ascii_lowercase(),
        port,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = parse("imaps://alice%40free.fr:s3cret@imap.free.fr:993/INBOX").unwrap();
        assert_eq!(u.scheme, "imaps");
        assert_eq!(u.user, "alice@free.fr");
        assert_eq!(u.host, "imap.free.fr");
        assert_eq!(u.port, Some(993));
        let u = parse("smtp+insecure+plain://smtp.x.org").unwrap();
        assert_eq!(u.flags, vec!["insecure", "plain"]);
        assert_eq!(u.port, None);
        assert_eq!(u.user, "");
        assert!(parse("/usr/bin/msmtp").is_none());
        assert!(parse("maildir://~/Mail").is_some());
        assert!(parse("imap://host:notaport/").is_none());
        assert_eq!(parse("imap://[::1]:143").unwrap().host, "::1");
    }
}
