//! himalaya (`~/.config/himalaya/config.toml`). Version 1:
//! `[accounts.NAME]` with `backend.{type,host,port,encryption,login}` and
//! `message.send.backend.*`; the 1.0 betas' `imap.*` / `smtp.*` tables and
//! the 0.x top-level tables with `imap-host`, `smtp-port`… are read too.
//! Version 2 (2026): `imap.server` / `smtp.server` (a bare authority takes
//! implicit TLS, `imap://`/`smtp://` is cleartext or STARTTLS with
//! `starttls = true`) and `imap.sasl.<mechanism>.username`.
//! `auth` and `sasl` secrets (raw passwords, commands, keyrings) are never read.

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

/// A himalaya 2 server string: `host`, `host:port`, `scheme://host:port`.
/// None for a scheme it does not use for IMAP or SMTP.
fn v2_server(
    text: &str,
    starttls: bool,
    implicit: &str,
    plain: &str,
) -> Option<(String, Option<u16>, Security)> {
    let (scheme, rest) = match text.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => (implicit.to_string(), text),
    };
    let security = if scheme == implicit {
        Security::Tls
    } else if scheme == plain {
        if starttls {
            Security::Starttls
        } else {
            Security::None
        }
    } else {
        return None;
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => {
            (h, p.parse::<u16>().ok().filter(|p| *p > 0))
        }
        _ => (authority, None),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (!host.is_empty()).then(|| (host.to_string(), port, security))
}

/// The login of a himalaya 2 `sasl` table, and whether it is OAuth2.
fn v2_login(side: &Value) -> (String, Vec<String>) {
    let Some(Value::Table(sasl)) = side.get("sasl") else {
        return (String::new(), Vec::new());
    };
    for (mechanism, t) in sasl {
        if let Some(user) = t.get("username").and_then(Value::as_str) {
            let oauth = matches!(mechanism.as_str(), "xoauth2" | "oauthbearer");
            let auth = if oauth {
                vec!["OAuth2".to_string()]
            } else {
                Vec::new()
            };
            return (user.to_string(), auth);
        }
    }
    (String::new(), Vec::new())
}

fn v2(name: &str, a: &Value, file: &Path) -> Option<DetectedAccount> {
    let email = str_at(a, &["email"]).unwrap_or("");
    let read = |key: &str, implicit: &str, plain: &str| {
        let side = a.get(key)?;
        let text = side.get("server")?.as_str()?;
        let starttls = side.get("starttls").and_then(Value::as_bool) == Some(true);
        let (host, port, security) = v2_server(text, starttls, implicit, plain)?;
        let (login, auth) = v2_login(side);
        Some((host, port, security, login, auth))
    };
    let incoming = read("imap", "imaps", "imap").map(|(host, port, security, username, auth)| {
        IncomingSetting {
            protocol: Protocol::Imap,
            host,
            port: port.unwrap_or(Protocol::Imap.default_port(security)),
            security,
            username,
            auth,
        }
    });
    let outgoing = read("smtp", "smtps", "smtp").map(|(host, port, security, username, auth)| {
        OutgoingSetting {
            host,
            port: port.unwrap_or(security.smtp_default_port()),
            security,
            username,
            auth,
        }
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
                problems: vec![(line, super::DetectProblem::NotValidToml)],
            };
        }
    };
    let mut accounts = Vec::new();
    if let Some(Value::Table(t)) = root.get("accounts") {
        accounts.extend(
            t.iter()
                .filter_map(|(n, a)| v2(n, a, file).or_else(|| v1(n, a, file))),
        );
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

#[cfg(test)]
mod v2_tests {
    use super::*;

    #[test]
    fn himalaya2_configs_are_detected() {
        let text = r#"
[accounts.work]
email = "bob@example.test"
imap.server = "imap.example.test"
imap.sasl.plain.username = "bob"
imap.sasl.plain.password.command = ["pass", "show", "x"]
smtp.server = "smtp://smtp.example.test:587"
smtp.starttls = true
smtp.sasl.xoauth2.username = "bob@example.test"

[accounts.plain]
email = "c@example.test"
imap.server = "imap://[::1]:1143"
"#;
        let parsed = parse(text, Path::new("config.toml"));
        assert_eq!(parsed.accounts.len(), 2, "{:?}", parsed.accounts);
        let work = &parsed.accounts[1];
        let i = work.incoming.as_ref().unwrap();
        assert_eq!(
            (i.host.as_str(), i.port, i.security),
            ("imap.example.test", 993, Security::Tls)
        );
        assert_eq!(i.username, "bob");
        let o = work.outgoing.as_ref().unwrap();
        assert_eq!(
            (o.host.as_str(), o.port, o.security),
            ("smtp.example.test", 587, Security::Starttls)
        );
        assert_eq!(o.auth, vec!["OAuth2".to_string()]);
        let plain = parsed.accounts[0].incoming.as_ref().unwrap();
        assert_eq!(
            (plain.host.as_str(), plain.port, plain.security),
            ("::1", 1143, Security::None)
        );
        assert!(
            !format!("{:?}", parsed.accounts).contains("pass"),
            "a secret command was read"
        );
    }
}
