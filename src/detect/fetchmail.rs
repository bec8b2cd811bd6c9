//! fetchmail (`~/.fetchmailrc`): free-form `poll HOST protocol P port N
//! user NAME there with password SECRET is LOCAL here options ssl`
//! entries, after optional `defaults`. POP3 or IMAP by `protocol`; the
//! word after `password` is skipped unread.

use super::words;
use super::{Client, DetectedAccount, IncomingSetting, Parsed};
use crate::account::{Protocol, Security};
use std::path::Path;

#[derive(Clone, Default)]
struct Server {
    host: String,
    protocol: Option<String>,
    port: Option<u16>,
    ssl: bool,
    users: Vec<(String, bool)>,
}

fn account(
    server: &Server,
    user: &str,
    user_ssl: bool,
    file: &Path,
) -> Result<DetectedAccount, super::DetectProblem> {
    let proto = server.protocol.clone().unwrap_or_else(|| "auto".into());
    let protocol = match proto.to_ascii_lowercase().as_str() {
        "pop3" | "apop" | "rpop" | "kpop" | "sdps" | "pop2" => Protocol::Pop3,
        "imap" => Protocol::Imap,
        other => {
            return Err(super::DetectProblem::UnknownProtocol {
                host: server.host.clone(),
                protocol: other.to_string(),
            });
        }
    };
    let security = if server.ssl || user_ssl {
        Security::Tls
    } else {
        Security::None
    };
    let incoming = IncomingSetting {
        protocol,
        host: server.host.clone(),
        port: server.port.unwrap_or(protocol.default_port(security)),
        security,
        username: user.to_string(),
        auth: Vec::new(),
    };
    let email = if user.contains('@') { user } else { "" };
    Ok(DetectedAccount::new(
        Client::Fetchmail,
        file,
        "",
        email,
        Some(incoming),
        None,
    ))
}

pub fn parse(text: &str, file: &Path) -> Parsed {
    let mut problems = Vec::new();
    let mut tokens: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match words::split(line) {
            // `set daemon 300`, `set logfile …`: global options, one per line.
            Ok(w) if w.first().is_some_and(|w| w == "set") => {}
            Ok(w) => tokens.extend(w.into_iter().map(|w| (i + 1, w))),
            Err(e) => problems.push((Some(i + 1), e)),
        }
    }
    let mut defaults = Server::default();
    let mut servers: Vec<Server> = Vec::new();
    let mut in_defaults = false;
    let mut it = tokens.into_iter();
    while let Some((line, tok)) = it.next() {
        let tok = tok.trim_end_matches([',', ';', ':']).to_ascii_lowercase();
        let current = if in_defaults {
            Some(&mut defaults)
        } else {
            servers.last_mut()
        };
        match tok.as_str() {
            "poll" | "skip" | "server" => {
                in_defaults = false;
                let Some((_, host)) = it.next() else {
                    problems.push((Some(line), super::DetectProblem::PollWithoutServer));
                    break;
                };
                let mut s = defaults.clone();
                s.users.clear();
                s.host = host;
                servers.push(s);
            }
            "defaults" => in_defaults = true,
            "proto" | "protocol" => {
                if let (Some(s), Some((_, p))) = (current, it.next()) {
                    s.protocol = Some(p);
                }
            }
            "port" | "service" => {
                let next = it.next();
                match next.as_ref().and_then(|(_, p)| p.parse::<u16>().ok()) {
                    Some(p) if p > 0 => {
                        if let Some(s) = current {
                            s.port = Some(p);
                        }
                    }
                    _ => problems.push((Some(line), super::DetectProblem::BadPort)),
                }
            }
            "user" | "username" => {
                if let (Some(s), Some((_, u))) = (current, it.next()) {
                    s.users.push((u, false));
                }
            }
            "pass" | "password" => {
                it.next();
            }
            "ssl" => {
                if let Some(s) = current {
                    match s.users.last_mut() {
                        Some(u) => u.1 = true,
                        None => s.ssl = true,
                    }
                }
            }
            _ => {}
        }
    }
    let mut accounts = Vec::new();
    for s in &servers {
        let local_login = [(String::new(), false)];
        let users = if s.users.is_empty() {
            &local_login[..]
        } else {
            &s.users[..]
        };
        for (user, ssl) in users {
            match account(s, user, *ssl, file) {
                Ok(a) => accounts.push(a),
                Err(e) => problems.push((None, e)),
            }
        }
    }
    Parsed { accounts, problems }
}
