//! Evolution: one key file per source in `~/.config/evolution/sources/`.
//! A mail account (`[Mail Account]`, backend `imapx` or `pop`) names its
//! identity (`IdentityUid`), whose `[Mail Submission]` names the SMTP
//! transport (`TransportUid`); the uid is the file name without `.source`.
//! Servers are in each file's `[Authentication]` and `[Security]` groups.

use super::ini::{self, Section};
use super::{Client, DetectedAccount, IncomingSetting, OutgoingSetting, Parsed};
use crate::account::{Protocol, Security};
use std::path::{Path, PathBuf};

struct Source {
    uid: String,
    file: PathBuf,
    sections: Vec<Section>,
}

impl Source {
    fn group(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }
    fn get(&self, group: &str, key: &str) -> Option<&str> {
        self.group(group)?.get(key)
    }
}

/// `[Security] Method`: `ssl-on-alternate-port`, `starttls-on-standard-port`, `none`.
fn security_of(method: Option<&str>) -> Security {
    match method.unwrap_or("none") {
        m if m.starts_with("ssl") => Security::Tls,
        m if m.starts_with("starttls") => Security::Starttls,
        _ => Security::None,
    }
}

fn port(text: Option<&str>) -> Option<u16> {
    text?.trim().parse().ok().filter(|p| *p > 0)
}

fn auth(s: &Source) -> Vec<String> {
    s.get("Authentication", "Method")
        .filter(|m| !m.is_empty())
        .map(|m| vec![m.to_string()])
        .unwrap_or_default()
}

/// The accounts of a whole `sources` folder: (file, text) of every `.source`.
pub fn parse(files: &[(PathBuf, String)]) -> Vec<(PathBuf, Parsed)> {
    let sources: Vec<(Source, Vec<super::Problem>)> = files
        .iter()
        .map(|(file, text)| {
            let (sections, problems) = ini::parse(text);
            let uid = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                Source {
                    uid,
                    file: file.clone(),
                    sections,
                },
                problems,
            )
        })
        .collect();
    let by_uid = |uid: &str| sources.iter().map(|(s, _)| s).find(|s| s.uid == uid);
    let mut out = Vec::new();
    for (src, problems) in &sources {
        let mut parsed = Parsed {
            accounts: Vec::new(),
            problems: problems.clone(),
        };
        if let Some(account) = mail_account(src, &by_uid) {
            parsed.accounts.push(account);
        }
        out.push((src.file.clone(), parsed));
    }
    out
}

fn mail_account<'a>(
    src: &Source,
    by_uid: &impl Fn(&str) -> Option<&'a Source>,
) -> Option<DetectedAccount> {
    let protocol = match src.get("Mail Account", "BackendName")? {
        "imapx" | "imap" => Protocol::Imap,
        "pop" | "pop3" => Protocol::Pop3,
        _ => return None,
    };
    let security = security_of(src.get("Security", "Method"));
    let incoming = IncomingSetting {
        protocol,
        host: src.get("Authentication", "Host").unwrap_or("").to_string(),
        port: port(src.get("Authentication", "Port")).unwrap_or(protocol.default_port(security)),
        security,
        username: src.get("Authentication", "User").unwrap_or("").to_string(),
        auth: auth(src),
    };
    let identity = src.get("Mail Account", "IdentityUid").and_then(by_uid);
    let mut email = identity
        .and_then(|i| i.get("Mail Identity", "Address"))
        .unwrap_or("")
        .to_string();
    if email.is_empty() && incoming.username.contains('@') {
        email = incoming.username.clone();
    }
    let transport = identity
        .and_then(|i| i.get("Mail Submission", "TransportUid"))
        .and_then(by_uid)
        .filter(|t| t.get("Mail Transport", "BackendName") == Some("smtp"));
    let outgoing = transport.and_then(|t| {
        let host = t.get("Authentication", "Host").unwrap_or("");
        if host.is_empty() {
            return None;
        }
        let security = security_of(t.get("Security", "Method"));
        Some(OutgoingSetting {
            host: host.to_string(),
            port: port(t.get("Authentication", "Port")).unwrap_or(security.smtp_default_port()),
            security,
            username: t.get("Authentication", "User").unwrap_or("").to_string(),
            auth: auth(t),
        })
    });
    let name = src.get("Data Source", "DisplayName").unwrap_or("");
    Some(DetectedAccount::new(
        Client::Evolution,
        Path::new(&src.file),
        name,
        &email,
        Some(incoming),
        outgoing,
    ))
}
