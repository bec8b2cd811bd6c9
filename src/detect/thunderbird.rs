//! Thunderbird's `prefs.js`: `user_pref("key", value);` lines. Accounts
//! (`mail.account.*`) tie an incoming server (`mail.server.*`, imap or
//! pop3) to identities (`mail.identity.*`: the address and the SMTP
//! server, `mail.smtpserver.*`). Passwords are not in this file at all.

use super::{Client, DetectedAccount, IncomingSetting, OutgoingSetting, Parsed};
use crate::account::{Protocol, Security};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => b.to_string(),
        }
    }
}

/// A JavaScript string literal at the start of `s`, and the rest.
fn js_string(s: &str) -> Option<(String, &str)> {
    let quote = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut out = String::new();
    let mut chars = s[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = (0..4).filter_map(|_| chars.next().map(|x| x.1)).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c if c == quote => return Some((out, &s[1 + i + 1..])),
            c => out.push(c),
        }
    }
    None
}

/// `user_pref("key", value);` → (key, value).
fn pref_line(line: &str) -> Option<(String, Value)> {
    let rest = line
        .strip_prefix("user_pref")
        .or_else(|| line.strip_prefix("pref"))?
        .trim_start()
        .strip_prefix('(')?
        .trim_start();
    let (key, rest) = js_string(rest)?;
    let rest = rest.trim_start().strip_prefix(',')?.trim_start();
    let (value, rest) = if rest.starts_with(['"', '\'']) {
        let (s, rest) = js_string(rest)?;
        (Value::Str(s), rest)
    } else {
        let end = rest.find([')', ' ', '\t']).unwrap_or(rest.len());
        let (word, rest) = rest.split_at(end);
        let v = match word {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            n => Value::Int(n.parse().ok()?),
        };
        (v, rest)
    };
    let rest = rest.trim_start().strip_prefix(')')?.trim_start();
    let rest = rest.strip_prefix(';').unwrap_or(rest).trim();
    (rest.is_empty() || rest.starts_with("//")).then_some((key, value))
}

/// Every preference, and the lines that are not preferences.
fn prefs(text: &str) -> (BTreeMap<String, Value>, Vec<super::Problem>) {
    let mut map = BTreeMap::new();
    let mut problems = Vec::new();
    let mut in_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if in_comment {
            in_comment = !line.contains("*/");
            continue;
        }
        if line.is_empty() || line.starts_with("//") || line.starts_with('#') {
            continue;
        }
        if line.starts_with("/*") {
            in_comment = !line.contains("*/");
            continue;
        }
        match pref_line(line) {
            Some((k, v)) => {
                map.insert(k, v);
            }
            None => problems.push((Some(i + 1), super::DetectProblem::NotUserPref)),
        }
    }
    (map, problems)
}

/// socketType / try_ssl: 0 plain, 1 and 2 STARTTLS, 3 SSL/TLS.
fn security(v: Option<&Value>) -> Security {
    match v {
        Some(Value::Int(3)) => Security::Tls,
        Some(Value::Int(1 | 2)) => Security::Starttls,
        _ => Security::None,
    }
}

/// authMethod numbers (nsMsgAuthMethod) as clientConfig names.
fn auth(v: Option<&Value>) -> Vec<String> {
    let name = match v {
        Some(Value::Int(1)) => "none",
        Some(Value::Int(3)) => "password-cleartext",
        Some(Value::Int(4)) => "password-encrypted",
        Some(Value::Int(5)) => "GSSAPI",
        Some(Value::Int(6)) => "NTLM",
        Some(Value::Int(7)) => "TLS-client-cert",
        Some(Value::Int(10)) => "OAuth2",
        _ => return Vec::new(),
    };
    vec![name.to_string()]
}

fn list(v: Option<&Value>) -> Vec<String> {
    v.map(Value::text)
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

struct Prefs(BTreeMap<String, Value>);

impl Prefs {
    fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }
    fn text(&self, key: &str) -> String {
        self.get(key).map(Value::text).unwrap_or_default()
    }
    /// `real<field>` wins over `<field>`: Thunderbird keeps both after an edit.
    fn real(&self, prefix: &str, field: &str, real: &str) -> String {
        let r = self.text(&format!("{prefix}.{real}"));
        if r.is_empty() {
            self.text(&format!("{prefix}.{field}"))
        } else {
            r
        }
    }
    fn port(&self, key: &str) -> Option<u16> {
        match self.get(key) {
            Some(Value::Int(p)) => u16::try_from(*p).ok().filter(|p| *p > 0),
            Some(Value::Str(s)) => s.parse().ok().filter(|p| *p > 0),
            _ => None,
        }
    }

    fn incoming(&self, server: &str) -> Option<IncomingSetting> {
        let p = format!("mail.server.{server}");
        let protocol = match self.text(&format!("{p}.type")).as_str() {
            "imap" => Protocol::Imap,
            "pop3" => Protocol::Pop3,
            _ => return None,
        };
        let security = security(self.get(&format!("{p}.socketType")));
        Some(IncomingSetting {
            protocol,
            host: self.real(&p, "hostname", "realhostname"),
            port: self
                .port(&format!("{p}.port"))
                .unwrap_or(protocol.default_port(security)),
            security,
            username: self.real(&p, "userName", "realuserName"),
            auth: auth(self.get(&format!("{p}.authMethod"))),
        })
    }

    fn outgoing(&self, smtp: &str) -> Option<OutgoingSetting> {
        let p = format!("mail.smtpserver.{smtp}");
        let host = self.text(&format!("{p}.hostname"));
        if host.is_empty() {
            return None;
        }
        let security = security(self.get(&format!("{p}.try_ssl")));
        Some(OutgoingSetting {
            host,
            port: self
                .port(&format!("{p}.port"))
                .unwrap_or(security.smtp_default_port()),
            security,
            username: self.text(&format!("{p}.username")),
            auth: auth(self.get(&format!("{p}.authMethod"))),
        })
    }
}

/// The accounts of a profile, as Thunderbird ties them together.
impl Prefs {
    /// The account manager's list, then the accounts it forgot
    /// (hand-written or partial files still count).
    fn account_ids(&self) -> Vec<String> {
        let mut ids = list(self.get("mail.accountmanager.accounts"));
        for key in self.0.keys() {
            if let Some(rest) = key.strip_prefix("mail.account.")
                && let Some((id, "server")) = rest.split_once('.')
                && !ids.iter().any(|a| a == id)
            {
                ids.push(id.to_string());
            }
        }
        ids
    }

    /// One account, with the id of its incoming server: the address and
    /// SMTP server come from its first identity.
    fn account(
        &self,
        acct: &str,
        default_smtp: &str,
        file: &Path,
    ) -> Option<(String, DetectedAccount)> {
        let server = self.text(&format!("mail.account.{acct}.server"));
        let incoming = self.incoming(&server)?;
        let identity = list(self.get(&format!("mail.account.{acct}.identities")))
            .into_iter()
            .next()
            .unwrap_or_default();
        let idp = format!("mail.identity.{identity}");
        let mut email = self.text(&format!("{idp}.useremail"));
        if email.is_empty() && incoming.username.contains('@') {
            email = incoming.username.clone();
        }
        let smtp = match self.text(&format!("{idp}.smtpServer")) {
            s if s.is_empty() => default_smtp.to_string(),
            s => s,
        };
        let name = self.text(&format!("mail.server.{server}.name"));
        let outgoing = self.outgoing(&smtp);
        let detected = DetectedAccount::new(
            Client::Thunderbird,
            file,
            &name,
            &email,
            Some(incoming),
            outgoing,
        );
        Some((server, detected))
    }

    /// Servers that no account names, in Thunderbird's order (`server1`,
    /// `server2`, …; other ids last).
    fn unlisted_servers(&self, seen: &[String]) -> Vec<&str> {
        let mut servers: Vec<&str> = self
            .0
            .keys()
            .filter_map(|k| k.strip_prefix("mail.server.")?.strip_suffix(".type"))
            .collect();
        servers.sort_by_key(|s| {
            s.trim_start_matches("server")
                .parse::<u32>()
                .unwrap_or(u32::MAX)
        });
        servers.retain(|server| !seen.iter().any(|s| s == server));
        servers
    }

    /// An incoming server on its own: the address is its user name when
    /// that is one, the SMTP server the default.
    fn server_alone(
        &self,
        server: &str,
        default_smtp: &str,
        file: &Path,
    ) -> Option<DetectedAccount> {
        let incoming = self.incoming(server)?;
        let email = if incoming.username.contains('@') {
            incoming.username.clone()
        } else {
            String::new()
        };
        let name = self.text(&format!("mail.server.{server}.name"));
        let outgoing = self.outgoing(default_smtp);
        Some(DetectedAccount::new(
            Client::Thunderbird,
            file,
            &name,
            &email,
            Some(incoming),
            outgoing,
        ))
    }
}

/// The mail accounts of one profile's `prefs.js`.
pub fn parse(text: &str, file: &Path) -> Parsed {
    let (map, problems) = prefs(text);
    let prefs = Prefs(map);
    let default_smtp = prefs.text("mail.smtp.defaultserver");
    let mut accounts = Vec::new();
    let mut seen_servers = Vec::new();
    for acct in prefs.account_ids() {
        if let Some((server, account)) = prefs.account(&acct, &default_smtp, file) {
            seen_servers.push(server);
            accounts.push(account);
        }
    }
    for server in prefs.unlisted_servers(&seen_servers) {
        accounts.extend(prefs.server_alone(server, &default_smtp, file));
    }
    Parsed { accounts, problems }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pref_lines() {
        assert_eq!(
            pref_line(r#"user_pref("a.b", "x\"y");"#),
            Some(("a.b".into(), Value::Str("x\"y".into())))
        );
        assert_eq!(
            pref_line("user_pref( \"p\" ,  993 ) ;"),
            Some(("p".into(), Value::Int(993)))
        );
        assert_eq!(
            pref_line(r#"user_pref("b", true);"#),
            Some(("b".into(), Value::Bool(true)))
        );
        assert_eq!(pref_line(r#"user_pref("b", tru"#), None);
        assert_eq!(pref_line(r#"user_pref("b" 3);"#), None);
    }
}
