//! msmtp (`~/.msmtprc`, `~/.config/msmtp/config`): `defaults` then
//! `account NAME [: PARENT, …]` blocks of `command value` lines. SMTP only;
//! `password` and `passwordeval` are never read.

use super::words;
use super::{Client, DetectedAccount, OutgoingSetting, Parsed};
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

pub fn parse(text: &str, file: &Path) -> Parsed {
    let mut problems = Vec::new();
    let mut defaults = Settings::new();
    let mut done: Vec<(String, Settings)> = Vec::new();
    // The block being read: None for `defaults`.
    let mut current: Option<(String, Settings)> = None;
    let mut in_defaults = false;
    for (i, line) in text.lines().enumerate() {
        let w = match words::split(line) {
            Ok(w) => w,
            Err(e) => {
                problems.push((Some(i + 1), e));
                continue;
            }
        };
        let Some(cmd) = w.first().map(|c| c.to_ascii_lowercase()) else {
            continue;
        };
        match cmd.as_str() {
            "defaults" => {
                done.extend(current.take());
                in_defaults = true;
            }
            "account" => {
                done.extend(current.take());
                in_defaults = false;
                let rest = w[1..].join(" ");
                let (name, parents) = match rest.split_once(':') {
                    Some((n, p)) => (n.trim().to_string(), p),
                    None => (rest.trim().to_string(), ""),
                };
                if name.is_empty() {
                    problems.push((Some(i + 1), super::DetectProblem::AccountWithoutName));
                    continue;
                }
                let mut settings = defaults.clone();
                for parent in parents.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    match done.iter().rev().find(|(n, _)| n == parent) {
                        Some((_, s)) => settings.extend(s.clone()),
                        None => problems.push((
                            Some(i + 1),
                            super::DetectProblem::UnknownAccount {
                                name: parent.to_string(),
                            },
                        )),
                    }
                }
                current = Some((name, settings));
            }
            c if KEPT.contains(&c) => {
                let value = w[1..].join(" ");
                if c == "port" && value.parse::<u16>().map_or(true, |p| p == 0) {
                    problems.push((Some(i + 1), super::DetectProblem::BadPort));
                    continue;
                }
                match (&mut current, in_defaults) {
                    (Some((_, s)), false) => {
                        s.insert(c.to_string(), value);
                    }
                    _ => {
                        defaults.insert(c.to_string(), value);
                    }
                }
            }
            _ => {}
        }
    }
    done.extend(current.take());
    let mut accounts = Vec::new();
    for (name, settings) in &done {
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
            None => problems.push((
                None,
                super::DetectProblem::AccountWithoutHost { name: name.clone() },
            )),
        }
    }
    Parsed { accounts, problems }
}
