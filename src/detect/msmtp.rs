//! msmtp (`~/.msmtprc`, `~/.config/msmtp/config`): `defaults` then
//! `account NAME [: PARENT, …]` blocks of `command value` lines. SMTP only;
//! `password` and `passwordeval` are never read. As in msmtp, commands
//! before any block, or in an account without a name, reach no account.

use super::words;
use super::{Client, DetectProblem, DetectedAccount, OutgoingSetting, Parsed, Problem};
use crate::account::Security;
use std::collections::BTreeMap;
use std::path::Path;

type Settings = BTreeMap<String, String>;

const KEPT: [&str; 7] = [
    "host",
    "port",
    "tls",
    "tls_starttls",
    "user",
    "from",
    "auth",
];

fn account(name: &str, s: &Settings, file: &Path) -> Option<DetectedAccount> {
    let host = s.get("host").filter(|h| !h.is_empty())?;
    let tls = words::on(s.get("tls").map(String::as_str)) && s.contains_key("tls");
    let starttls = words::on(s.get("tls_starttls").map(String::as_str));
    let security = match (tls, starttls) {
        (false, _) => Security::None,
        (true, true) => Security::Starttls,
        (true, false) => Security::Tls,
    };
    let port = s
        .get("port")
        .and_then(|p| p.parse().ok())
        .unwrap_or(if security == Security::Tls { 465 } else { 25 });
    let auth = match s.get("auth").map(|a| a.to_ascii_lowercase()) {
        Some(a) if a == "off" => vec!["none".to_string()],
        Some(a) if a != "on" && !a.is_empty() => vec![a],
        _ => Vec::new(),
    };
    let outgoing = OutgoingSetting {
        host: host.clone(),
        port,
        security,
        username: s.get("user").cloned().unwrap_or_default(),
        auth,
    };
    let email = s.get("from").cloned().unwrap_or_default();
    Some(DetectedAccount::new(
        Client::Msmtp,
        file,
        name,
        &email,
        None,
        Some(outgoing),
    ))
}

/// The block a command line belongs to.
#[derive(Default)]
enum Block {
    /// Before any `defaults` or `account`, or in an account without a
    /// name: msmtp gives these commands to no account.
    #[default]
    Outside,
    Defaults,
    Account(String, Settings),
}

/// What has been read so far: the defaults, the finished accounts and the
/// block being read.
#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
    defaults: Settings,
    done: Vec<(String, Settings)>,
    block: Block,
}

impl Reader {
    fn read_line(&mut self, number: usize, line: &str) {
        let w = match words::split(line) {
            Ok(w) => w,
            Err(e) => {
                self.problems.push((Some(number), e));
                return;
            }
        };
        let Some(cmd) = w.first().map(|c| c.to_ascii_lowercase()) else {
            return;
        };
        let rest = w[1..].join(" ");
        match cmd.as_str() {
            "defaults" => {
                self.close_block();
                self.block = Block::Defaults;
            }
            "account" => self.start_account(number, &rest),
            c if KEPT.contains(&c) => self.set(number, c, rest),
            _ => {}
        }
    }

    /// `account NAME [: PARENT, …]`: the defaults, then each parent's
    /// settings, in order.
    fn start_account(&mut self, number: usize, rest: &str) {
        self.close_block();
        let (name, parents) = match rest.split_once(':') {
            Some((n, p)) => (n.trim().to_string(), p),
            None => (rest.trim().to_string(), ""),
        };
        if name.is_empty() {
            self.problems
                .push((Some(number), DetectProblem::AccountWithoutName));
            return;
        }
        let mut settings = self.defaults.clone();
        for parent in parents.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match self.done.iter().rev().find(|(n, _)| n == parent) {
                Some((_, s)) => settings.extend(s.clone()),
                None => self.problems.push((
                    Some(number),
                    DetectProblem::UnknownAccount {
                        name: parent.to_string(),
                    },
                )),
            }
        }
        self.block = Block::Account(name, settings);
    }

    /// An account ends where the next block starts, or at the end of the file.
    fn close_block(&mut self) {
        if let Block::Account(name, settings) = std::mem::take(&mut self.block) {
            self.done.push((name, settings));
        }
    }

    /// One kept command, in the block being read. A bad port is reported
    /// wherever it is.
    fn set(&mut self, number: usize, command: &str, value: String) {
        if command == "port" && value.parse::<u16>().map_or(true, |p| p == 0) {
            self.problems.push((Some(number), DetectProblem::BadPort));
            return;
        }
        let settings = match &mut self.block {
            Block::Account(_, s) => s,
            Block::Defaults => &mut self.defaults,
            Block::Outside => return,
        };
        settings.insert(command.to_string(), value);
    }

    /// Every account read, in file order.
    fn finish(mut self, file: &Path) -> Parsed {
        self.close_block();
        let mut accounts = Vec::new();
        for (name, settings) in &self.done {
            // `account default : work` only chooses the default account.
            if name == "default"
                && let Some(a) = account(name, settings, file)
                && accounts
                    .iter()
                    .any(|x: &DetectedAccount| x.outgoing == a.outgoing)
            {
                continue;
            }
            match account(name, settings, file) {
                Some(a) => accounts.push(a),
                None => self.problems.push((
                    None,
                    DetectProblem::AccountWithoutHost { name: name.clone() },
                )),
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
    for (i, line) in text.lines().enumerate() {
        reader.read_line(i + 1, line);
    }
    reader.finish(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(text: &str) -> (Vec<(String, String)>, Vec<Problem>) {
        let p = parse(text, Path::new("f"));
        let hosts = p.accounts.iter().map(|a| {
            let host = a.outgoing.as_ref().map(|o| o.host.clone());
            (a.name.clone(), host.unwrap_or_default())
        });
        (hosts.collect(), p.problems)
    }

    /// msmtp itself gives `work` no host here ("host not set"): a command
    /// before any block is no default.
    #[test]
    fn a_command_before_any_block_is_given_to_no_account() {
        let (accounts, problems) = hosts("host early.example\naccount work\nfrom a@b.example\n");
        assert_eq!(accounts, []);
        let without_host = DetectProblem::AccountWithoutHost {
            name: "work".into(),
        };
        assert_eq!(problems, [(None, without_host)]);
    }

    /// msmtp refuses an account without a name; its commands must not
    /// become defaults of the accounts after it. Its bad port still shows.
    #[test]
    fn the_commands_of_an_account_without_a_name_are_given_to_no_account() {
        let text = "defaults\nport 587\naccount\nhost evil.example\nport 0\n\
                    account work\nhost smtp.work.example\naccount home\nfrom a@b.example\n";
        let (accounts, problems) = hosts(text);
        assert_eq!(
            accounts,
            [("work".to_string(), "smtp.work.example".to_string())]
        );
        let without_host = DetectProblem::AccountWithoutHost {
            name: "home".into(),
        };
        assert_eq!(
            problems,
            [
                (Some(3), DetectProblem::AccountWithoutName),
                (Some(5), DetectProblem::BadPort),
                (None, without_host),
            ]
        );
        let work = &parse(text, Path::new("f")).accounts[0];
        assert_eq!(work.outgoing.as_ref().map(|o| o.port), Some(587));
    }
}
