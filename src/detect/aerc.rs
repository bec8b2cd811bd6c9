//! aerc (`~/.config/aerc/accounts.conf`): one INI section per account, with
//! `source` and `outgoing` URLs (`imaps://user@host:993`,
//! `smtp+plain://…`, or a local maildir / a sendmail command). Passwords
//! in the URLs and the `*-cred-cmd` commands are never read.

use super::ini;
use super::url::{self, MailUrl};
use super::{Client, DetectedAccount, IncomingSetting, OutgoingSetting, Parsed};
use crate::account::{Protocol, Security};
use std::path::Path;

fn insecure(u: &MailUrl) -> bool {
    u.flags.iter().any(|f| f == "insecure")
}

fn incoming(text: &str) -> Option<IncomingSetting> {
    let u = url::parse(text)?;
    let (protocol, security) = match u.scheme.as_str() {
        "imaps" => (Protocol::Imap, Security::Tls),
        "imap" if insecure(&u) => (Protocol::Imap, Security::None),
        "imap" => (Protocol::Imap, Security::Starttls),
        _ => return None,
    };
    let auth = u
        .flags
        .iter()
        .filter(|f| *f != "insecure")
        .cloned()
        .collect();
    Some(IncomingSetting {
        protocol,
        port: u.port.unwrap_or(protocol.default_port(security)),
        host: u.host,
        security,
        username: u.user,
        auth,
    })
}

fn outgoing(text: &str) -> Option<OutgoingSetting> {
    let u = url::parse(text)?;
    let security = match u.scheme.as_str() {
        "smtps" => Security::Tls,
        "smtp" if insecure(&u) => Security::None,
        "smtp" => Security::Starttls,
        _ => return None,
    };
    let auth = u
        .flags
        .iter()
        .filter(|f| *f != "insecure")
        .cloned()
        .collect();
    Some(OutgoingSetting {
        port: u.port.unwrap_or(security.smtp_default_port()),
        host: u.host,
        security,
        username: u.user,
        auth,
    })
}

/// The address in `Name <addr>`, or the whole text.
pub(super) fn address(from: &str) -> String {
    match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => from[a + 1..b].trim().to_string(),
        _ => from.trim().to_string(),
    }
}

pub fn parse(text: &str, file: &Path) -> Parsed {
    let (sections, problems) = ini::parse(text);
    let mut accounts = Vec::new();
    for s in sections.iter().filter(|s| !s.name.is_empty()) {
        let inc = s.get("source").and_then(incoming);
        let out = s.get("outgoing").and_then(outgoing);
        if inc.is_none() && out.is_none() {
            continue;
        }
        let email = address(s.get("from").unwrap_or(""));
        accounts.push(DetectedAccount::new(
            Client::Aerc,
            file,
            &s.name,
            &email,
            inc,
            out,
        ));
    }
    Parsed { accounts, problems }
}
