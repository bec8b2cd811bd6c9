//! fetchmail (`~/.fetchmailrc`): free-form `poll HOST protocol P port N
//! user NAME there with password SECRET is LOCAL here options ssl`
//! entries, after optional `defaults`. POP3 or IMAP by `protocol`; the
//! word after `password` is skipped unread.

use super::words;
use super::{Client, DetectProblem, DetectedAccount, IncomingSetting, Parsed, Problem};
use crate::account::{Protocol, Security};
use std::ops::ControlFlow;
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

/// Every word of the file with its line number; `set` lines (global
/// options, one per line) are left out.
fn tokens(text: &str, problems: &mut Vec<Problem>) -> Vec<(usize, String)> {
    let mut tokens = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match words::split(line) {
            // `set daemon 300`, `set logfile …`: global options, one per line.
            Ok(w) if w.first().is_some_and(|w| w == "set") => {}
            Ok(w) => tokens.extend(w.into_iter().map(|w| (i + 1, w))),
            Err(e) => problems.push((Some(i + 1), e)),
        }
    }
    tokens
}

type Tokens = std::vec::IntoIter<(usize, String)>;

/// What has been read so far: the `defaults` entry and the servers.
#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
    defaults: Server,
    servers: Vec<Server>,
    in_defaults: bool,
}

impl Reader {
    /// The entry the options apply to: `defaults`, or the last server.
    fn current(&mut self) -> Option<&mut Server> {
        if self.in_defaults {
            Some(&mut self.defaults)
        } else {
            self.servers.last_mut()
        }
    }

    /// One keyword, and the word after it when it takes one. Breaks at a
    /// `poll` without a server: nothing after it can be placed.
    fn keyword(&mut self, line: usize, keyword: &str, tokens: &mut Tokens) -> ControlFlow<()> {
        match keyword {
            "poll" | "skip" | "server" => return self.start_server(line, tokens.next()),
            "defaults" => self.in_defaults = true,
            "proto" | "protocol" => {
                let value = tokens.next();
                if let (Some(s), Some((_, p))) = (self.current(), value) {
                    s.protocol = Some(p);
                }
            }
            "port" | "service" => self.set_port(line, tokens.next()),
            "user" | "username" => {
                let value = tokens.next();
                if let (Some(s), Some((_, u))) = (self.current(), value) {
                    s.users.push((u, false));
                }
            }
            "pass" | "password" => {
                tokens.next();
            }
            "ssl" => self.set_ssl(),
            _ => {}
        }
        ControlFlow::Continue(())
    }

    /// `poll HOST`: a new server with the defaults' options but no users.
    fn start_server(&mut self, line: usize, host: Option<(usize, String)>) -> ControlFlow<()> {
        self.in_defaults = false;
        let Some((_, host)) = host else {
            self.problems
                .push((Some(line), DetectProblem::PollWithoutServer));
            return ControlFlow::Break(());
        };
        let mut s = self.defaults.clone();
        s.users.clear();
        s.host = host;
        self.servers.push(s);
        ControlFlow::Continue(())
    }

    fn set_port(&mut self, line: usize, value: Option<(usize, String)>) {
        match value.as_ref().and_then(|(_, p)| p.parse::<u16>().ok()) {
            Some(p) if p > 0 => {
                if let Some(s) = self.current() {
                    s.port = Some(p);
                }
            }
            _ => self.problems.push((Some(line), DetectProblem::BadPort)),
        }
    }

    /// `ssl` after a user is that user's; before any, the server's.
    fn set_ssl(&mut self) {
        if let Some(s) = self.current() {
            match s.users.last_mut() {
                Some(u) => u.1 = true,
                None => s.ssl = true,
            }
        }
    }

    /// One account per user of each server (the local login when none).
    fn finish(mut self, file: &Path) -> Parsed {
        let mut accounts = Vec::new();
        for s in &self.servers {
            let local_login = [(String::new(), false)];
            let users = if s.users.is_empty() {
                &local_login[..]
            } else {
                &s.users[..]
            };
            for (user, ssl) in users {
                match account(s, user, *ssl, file) {
                    Ok(a) => accounts.push(a),
                    Err(e) => self.problems.push((None, e)),
                }
            }
        }
        Parsed {
            accounts,
            problems: self.problems,
        }
    }
}

pub fn parse(text: &str, file: &Path) -> Parsed {
    let mut reader = Reader::default();
    let mut it = tokens(text, &mut reader.problems).into_iter();
    while let Some((line, tok)) = it.next() {
        let keyword = tok.trim_end_matches([',', ';', ':']).to_ascii_lowercase();
        if reader.keyword(line, &keyword, &mut it).is_break() {
            break;
        }
    }
    reader.finish(file)
}
