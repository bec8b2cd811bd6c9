//! msmtp (`~/.msmtprc`, `~/.config/msmtp/config`): `defaults` then
//! `account NAME [: PARENT, …]` blocks of `command value` lines. SMTP only;
//! `password` and `passwordeval` are never read.

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

/// What has been read so far: the `defaults` block, the finished accounts
/// and the one being read (None while in `defaults` or before any block).
#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
    defaults: Settings,
    done: Vec<(String, Settings)>,
    current: Option<(String, Settings)>,
    in_defaults: bool,
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
                self.done.extend(self.current.take());
                self.in_defaults = true;
            }
            "account" => self.start_account(number, &rest),
            c if KEPT.contains(&c) => self.set(number, c, rest),
            _ => {}
        }
    }

    /// `account NAME [: PARENT, …]`: the defaults, then each parent's
    /// settings, in order.
    fn start_account(&mut self, number: usize, rest: &str) {
        self.done.extend(self.current.take());
        self.in_defaults = false;
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
        self.current = Some((name, settings));
    }

    /// One kept command, in the account being read or else in the defaults.
    fn set(&mut self, number: usize, command: &str, value: String) {
        if command == "port" && value.parse::<u16>().map_or(true, |p| p == 0) {
            self.problems.push((Some(number), DetectProblem::BadPort));
            return;
        }
        match (&mut self.current, self.in_defaults) {
            (Some((_, s)), false) => s.insert(command.to_string(), value),
            _ => self.defaults.insert(command.to_string(), value),
        };
    }

    /// Every account read, in file order.
    fn finish(mut self, file: &Path) -> Parsed {
        self.done.extend(self.current.take());
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
