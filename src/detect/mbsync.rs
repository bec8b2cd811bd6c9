//! mbsync / isync (`~/.mbsyncrc`): `IMAPAccount` sections (or `IMAPStore`
//! sections with the server settings inline) of `Keyword value` lines.
//! IMAP only; `Pass` and `PassCmd` are never read.

use super::words;
use super::{Client, DetectedAccount, IncomingSetting, Parsed};
use crate::account::{Protocol, Security};
use std::path::Path;

#[derive(Default)]
struct Section {
    name: String,
    host: Option<String>,
    port: Option<u16>,
    user: String,
    security: Option<Security>,
}

impl Section {
    fn account(&self, file: &Path) -> Option<DetectedAccount> {
        let host = self.host.clone()?;
        let security = self.security.unwrap_or(Security::Starttls);
        let incoming = IncomingSetting {
            protocol: Protocol::Imap,
            host,
            port: self.port.unwrap_or(Protocol::Imap.default_port(security)),
            security,
            username: self.user.clone(),
            auth: Vec::new(),
        };
        let email = if self.user.contains('@') {
            self.user.as_str()
        } else {
            ""
        };
        Some(DetectedAccount::new(
            Client::Mbsync,
            file,
            &self.name,
            email,
            Some(incoming),
            None,
        ))
    }
}

pub fn parse(text: &str, file: &Path) -> Parsed {
    let mut problems = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    // Whether the lines being read belong to an IMAP server section.
    let mut in_imap = false;
    for (i, line) in text.lines().enumerate() {
        let w = match words::split(line) {
            Ok(w) => w,
            Err(e) => {
                problems.push((Some(i + 1), e));
                continue;
            }
        };
        let Some(key) = w.first().map(|k| k.to_ascii_lowercase()) else {
            continue;
        };
        let value = w.get(1).cloned().unwrap_or_default();
        match key.as_str() {
            "imapaccount" | "imapstore" => {
                in_imap = true;
                sections.push(Section {
                    name: value,
                    ..Default::default()
                });
                continue;
            }
            "maildirstore" | "channel" | "group" => {
                in_imap = false;
                continue;
            }
            _ => {}
        }
        let Some(s) = sections.last_mut().filter(|_| in_imap) else {
            continue;
        };
        match key.as_str() {
            "host" => s.host = Some(value),
            "port" => match value.parse::<u16>() {
                Ok(p) if p > 0 => s.port = Some(p),
                _ => problems.push((Some(i + 1), super::DetectProblem::BadPort)),
            },
            "user" => s.user = value,
            "ssltype" | "tlstype" => {
                s.security = match value.to_ascii_lowercase().as_str() {
                    "imaps" => Some(Security::Tls),
                    "starttls" => Some(Security::Starttls),
                    "none" => Some(Security::None),
                    _ => {
                        problems.push((Some(i + 1), super::DetectProblem::BadSslType));
                        s.security
                    }
                }
            }
            "useimaps" if words::on(Some(&value)) => s.security = Some(Security::Tls),
            _ => {}
        }
    }
    let accounts = sections.iter().filter_map(|s| s.account(file)).collect();
    Parsed { accounts, problems }
}
