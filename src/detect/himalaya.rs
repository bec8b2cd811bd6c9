//! himalaya (`~/.config/himalaya/config.toml`). Version 1:
//! `[accounts.NAME]` with `backend.{type,host,port,encryption,login}` and
//! `message.send.backend.*`; the 1.0 betas' `imap.*` / `smtp.*` tables and
//! the 0.x top-level tables with `imap-host`, `smtp-port`… are read too.
//! `auth` settings (raw passwords, commands, keyrings) are never read.

use super::{Client, DetectedAccount, IncomingSetting, OutgoingSetting, Parsed};
use crate::account::{Protocol, Security};
use std::path::Path;
use toml::Value;

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path)?.as_str()
}

fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn port(v: Option<&Value>) -> Option<u16> {
    v?.as_integer()
        .and_then(|p| u16::try_from(p).ok())
        .filter(|p| *p > 0)
}

/// `encryption = "tls"`, `encryption.type = "start-tls"`, or a boolean.
fn encryption(v: Option<&Value>) -> Option<Security> {
    let v = v?;
    let text = match v {
        Value::Boolean(true) => "tls",
        Value::Boolean(false) => "none",
        Value::Table(t) => t.get("type")?.as_str()?,
        other => other.as_str()?,
    };
    Some(
        match text.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "tls" | "ssl" => Security::Tls,
            "starttls" => Security::Starttls,
            _ => Security::None,
        },
    )
}

/// A server table (`host`, `port`, `encryption`, `login`).
fn server(t: &Value) -> Option<(String, Option<u16>, Security, String)> {
    let host = t.get("host")?.as_str()?.to_string();
    let security = encryption(t.get("encryption")).unwrap_or(Security::Tls);
    let login = t
        .get("login")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Some((host, port(t.get("port")), security, login))
}

fn v1(name: &str, a: &Value, file: &Path) -> Option<DetectedAccount> {
    let email = str_at(a, &["email"]).unwrap_or("");
    let backend = a.get("backend");
    let imap = match backend {
        Some(b @ Value::Table(_)) if str_at(b, &["type"]) == Some("imap") => Some(b),
        Some(Value::String(s)) if s == "imap" => a.get("imap"),
        _ => None,
    };
    let sender = at(a, &["message", "send", "backend"]);
    let smtp = match sender {
        Some(b @ Value::Table(_)) if str_at(b, &["type"]) == Some("smtp") => Some(b),
        Some(Value::String(s)) if s == "smtp" => a.get("smtp"),
        _ => None,
    };
    let incoming = imap
        .and_then(server)
        .map(|(host, port, security, login)| IncomingSetting {
            protocol: Protocol::Imap,
            host,
            port: port.unwrap_or(Protocol::Imap.default_port(security)),
            security,
            username: login,
            auth: Vec::new(),
        });
    let outgoing = smtp
        .and_then(server)
        .map(|(host, port, security, login)| OutgoingSetting {
            host,
            port: port.unwrap_or(security.smtp_default_port()),
            security,
            username: login,
            auth: Vec::new(),
        });
    (incoming.is_some() || outgoing.is_some())
        .then(|| DetectedAccount::new(Client::Himalaya, file, name, email, incoming, outgoing))
}

/// 0.x: `imap-host`, `imap-port`, `imap-ssl`, `imap-starttls`, `imap-login`, same for smtp.
fn v0(name: &str, a: &Value, file: &Path) -> Option<DetectedAccount> {
    let email = str_at(a, &["email"]).unwrap_or("");
    let side = |p: &str| {
        let host = a.get(format!("{p}-host"))?.as_str()?.to_string();
        let flag = |k: &str| a.get(format!("{p}-{k}")).and_then(Value::as_bool);
        let security = match (flag("starttls"), flag("ssl")) {
            (Some(true), _) => Security::Starttls,
            (_, Some(false)) => Security::None,
            _ => Security::Tls,
        };
        let login = str_at(a, &[&format!("{p}-login")])
            .unwrap_or("")
            .to_string();
        Some((host, port(a.get(format!("{p}-port"))), security, login))
    };
    let incoming = side("imap").map(|(host, port, security, login)| IncomingSetting {
        protocol: Protocol::Imap,
        host,
        port: port.unwrap_or(Protocol::Imap.default_port(security)),
        security,
        username: login,
        auth: Vec::new(),
    });
    let outgoing = side("smtp").map(|(host, port, security, login)| OutgoingSetting {
        host,
        port: port.unwrap_or(security.smtp_default_port()),
        security,
        username: login,
        auth: Vec::new(),
    });
    (incoming.is_some() || outgoing.is_some())
        .then(|| DetectedAccount::new(Client::Himalaya, file, name, email, incoming, outgoing))
}

pub fn parse(text: &str, file: &Path) -> Parsed {
    let root: Value = match toml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            return Parsed {
                accounts: Vec::new(),
                problems: vec![(line, "not valid TOML".into())],
            };
        }
    };
    let mut accounts = Vec::new();
    if let Some(Value::Table(t)) = root.get("accounts") {
        accounts.extend(t.iter().filter_map(|(n, a)| v1(n, a, file)));
    }
    if let Value::Table(t) = &root {
        accounts.extend(
            t.iter()
                .filter(|(n, a)| *n != "accounts" && a.is_table())
                .filter_map(|(n, a)| v0(n, a, file)),
        );
    }
    Parsed {
        accounts,
        problems: Vec::new(),
    }
}
