//! A reader of Thunderbird's autoconfig format, `clientConfig` version 1.1
//! (what the ISPDB and providers' own autoconfig servers serve).
//!
//! Everything that can matter to a mail client is kept, in file order:
//! every `incomingServer` (imap, pop3, and other types such as `exchange`,
//! kept so a caller can see them), every `outgoingServer`, the `<domain>`
//! aliases, documentation, the `enable` instructions, the webmail login page
//! and the `oAuth2` endpoints. Unknown elements are skipped whole. Input that
//! is not well-formed XML, or a server without a host or with a bad port or
//! socket type, gives an error; nothing here panics.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The parsed document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientConfig {
    /// The `version` attribute of `<clientConfig>`, e.g. "1.1".
    pub version: Option<String>,
    /// Usually exactly one.
    pub providers: Vec<EmailProvider>,
    pub oauth2: Option<OAuth2>,
    pub enable: Option<Enable>,
    /// `webMail/loginPage@url`.
    pub webmail_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailProvider {
    pub id: String,
    pub domains: Vec<String>,
    pub display_name: Option<String>,
    pub display_short_name: Option<String>,
    pub incoming: Vec<ServerConfig>,
    pub outgoing: Vec<ServerConfig>,
    pub documentation: Vec<Documentation>,
}

/// `socketType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketType {
    /// `SSL`: implicit TLS.
    Ssl,
    /// `STARTTLS`.
    Starttls,
    /// `plain`: no encryption.
    Plain,
}

impl SocketType {
    fn parse(text: &str) -> Option<SocketType> {
        match text.to_ascii_lowercase().as_str() {
            "ssl" | "tls" => Some(SocketType::Ssl),
            "starttls" => Some(SocketType::Starttls),
            "plain" => Some(SocketType::Plain),
            _ => None,
        }
    }

    pub fn security(self) -> crate::account::Security {
        use crate::account::Security;
        match self {
            SocketType::Ssl => Security::Tls,
            SocketType::Starttls => Security::Starttls,
            SocketType::Plain => Security::None,
        }
    }
}

/// One `incomingServer` or `outgoingServer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The `type` attribute, lower-cased: imap, pop3, smtp, exchange, …
    pub kind: String,
    pub hostname: String,
    pub port: u16,
    pub socket_type: SocketType,
    /// The login template, placeholders not yet replaced (see [`fill_placeholders`]).
    pub username: Option<String>,
    /// Every `authentication` value, verbatim, in file order.
    pub authentication: Vec<String>,
    /// `pop3/leaveMessagesOnServer`, when given.
    pub leave_messages_on_server: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Documentation {
    pub url: String,
    /// `(lang, text)` of each `descr`; lang is empty when not given.
    pub descriptions: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuth2 {
    pub issuer: String,
    pub scope: String,
    pub auth_url: String,
    pub token_url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Enable {
    pub visit_url: String,
    pub instructions: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("not well-formed XML at byte {position}: {detail}")]
    Xml { position: u64, detail: String },
    #[error("not a clientConfig document (root element <{0}>)")]
    NotClientConfig(String),
    #[error("the document ends inside <{0}>")]
    Truncated(String),
    #[error("a server has no hostname")]
    NoHostname,
    #[error("bad port '{0}'")]
    BadPort(String),
    #[error("unknown socketType '{0}'")]
    BadSocketType(String),
    #[error("no emailProvider in the document")]
    NoProvider,
}

/// A server being read: fields are checked when its element closes.
#[derive(Default)]
struct PartialServer {
    kind: String,
    hostname: Option<String>,
    port: Option<String>,
    socket_type: Option<String>,
    username: Option<String>,
    authentication: Vec<String>,
    leave: Option<bool>,
}

impl PartialServer {
    fn finish(self) -> Result<ServerConfig, ConfigError> {
        let hostname = self
            .hostname
            .filter(|h| !h.is_empty())
            .ok_or(ConfigError::NoHostname)?;
        let port_text = self.port.unwrap_or_default();
        let port = match port_text.parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => return Err(ConfigError::BadPort(port_text)),
        };
        let st = self.socket_type.unwrap_or_else(|| "plain".into());
        let socket_type = SocketType::parse(&st).ok_or(ConfigError::BadSocketType(st))?;
        Ok(ServerConfig {
            kind: self.kind,
            hostname,
            port,
            socket_type,
            username: self.username,
            authentication: self.authentication,
            leave_messages_on_server: self.leave,
        })
    }
}

fn attr(e: &BytesStart, name: &str) -> Result<Option<String>, ConfigError> {
    let found = e.try_get_attribute(name).map_err(|err| ConfigError::Xml {
        position: 0,
        detail: err.to_string(),
    })?;
    match found {
        None => Ok(None),
        Some(a) => a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| Some(v.trim().to_string()))
            .map_err(|err| ConfigError::Xml {
                position: 0,
                detail: err.to_string(),
            }),
    }
}

/// Reads a clientConfig document.
pub fn parse(xml: &str) -> Result<ClientConfig, ConfigError> {
    let mut reader = Reader::from_str(xml);
    let mut cfg = ClientConfig::default();
    // Element names from the root down, and the text of the current leaf.
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut provider: Option<EmailProvider> = None;
    let mut server: Option<PartialServer> = None;
    let mut doc: Option<Documentation> = None;
    let mut descr_lang = String::new();
    let mut instr_lang = String::new();
    let xml_err = |reader: &Reader<&[u8]>, e: &dyn std::fmt::Display| ConfigError::Xml {
        position: reader.buffer_position(),
        detail: e.to_string(),
    };
    loop {
        let event = reader.read_event().map_err(|e| xml_err(&reader, &e))?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = e.local_name().as_ref().to_string();
            if path.is_empty() && name != "clientConfig" {
                return Err(ConfigError::NotClientConfig(name));
            }
            path.push(name);
            text.clear();
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            match p.as_slice() {
                ["clientConfig"] => cfg.version = attr(&e, "version")?,
                ["clientConfig", "emailProvider"] => {
                    provider = Some(EmailProvider {
                        id: attr(&e, "id")?.unwrap_or_default(),
                        ..Default::default()
                    })
                }
                [
                    "clientConfig",
                    "emailProvider",
                    "incomingServer" | "outgoingServer",
                ] => {
                    server = Some(PartialServer {
                        kind: attr(&e, "type")?.unwrap_or_default().to_ascii_lowercase(),
                        ..Default::default()
                    })
                }
                ["clientConfig", "emailProvider", "documentation"] => {
                    doc = Some(Documentation {
                        url: attr(&e, "url")?.unwrap_or_default(),
                        descriptions: Vec::new(),
                    })
                }
                ["clientConfig", "emailProvider", "documentation", "descr"] => {
                    descr_lang = attr(&e, "lang")?.unwrap_or_default()
                }
                ["clientConfig", "enable"] => {
                    cfg.enable = Some(Enable {
                        visit_url: attr(&e, "visiturl")?.unwrap_or_default(),
                        instructions: Vec::new(),
                    })
                }
                ["clientConfig", "enable", "instruction"] => {
                    instr_lang = attr(&e, "lang")?.unwrap_or_default()
                }
                ["clientConfig", "webMail", "loginPage"] => cfg.webmail_url = attr(&e, "url")?,
                _ => {}
            }
            if !empty {
                continue;
            }
        }
        match event {
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| xml_err(&reader, &e))? {
                    text.push(c);
                } else {
                    let name = r.xml10_content();
                    let value = quick_xml::escape::resolve_xml_entity(&name)
                        .ok_or_else(|| xml_err(&reader, &format!("unknown entity &{name};")))?;
                    text.push_str(value);
                }
            }
            Event::Eof => break,
            Event::End(_) | Event::Empty(_) => {
                let value = std::mem::take(&mut text).trim().to_string();
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                close(
                    &p,
                    value,
                    &mut cfg,
                    &mut provider,
                    &mut server,
                    &mut doc,
                    &descr_lang,
                    &instr_lang,
                )?;
                path.pop();
            }
            _ => {}
        }
    }
    if let Some(open) = path.last() {
        return Err(ConfigError::Truncated(open.clone()));
    }
    if cfg.providers.is_empty() {
        return Err(ConfigError::NoProvider);
    }
    Ok(cfg)
}

#[allow(clippy::too_many_arguments)]
fn close(
    p: &[&str],
    value: String,
    cfg: &mut ClientConfig,
    provider: &mut Option<EmailProvider>,
    server: &mut Option<PartialServer>,
    doc: &mut Option<Documentation>,
    descr_lang: &str,
    instr_lang: &str,
) -> Result<(), ConfigError> {
    let Some(rest) = p.strip_prefix(&["clientConfig"]) else {
        return Ok(());
    };
    match rest {
        ["emailProvider"] => cfg.providers.extend(provider.take()),
        ["emailProvider", field] => {
            if let Some(pr) = provider.as_mut() {
                match *field {
                    "domain" if !value.is_empty() => pr.domains.push(value.to_ascii_lowercase()),
                    "displayName" => pr.display_name = Some(value),
                    "displayShortName" => pr.display_short_name = Some(value),
                    "incomingServer" => pr
                        .incoming
                        .extend(server.take().map(PartialServer::finish).transpose()?),
                    "outgoingServer" => pr
                        .outgoing
                        .extend(server.take().map(PartialServer::finish).transpose()?),
                    "documentation" => pr.documentation.extend(doc.take()),
                    _ => {}
                }
            }
        }
        ["emailProvider", "incomingServer" | "outgoingServer", field] => {
            if let Some(s) = server.as_mut() {
                match *field {
                    "hostname" => s.hostname = Some(value),
                    "port" => s.port = Some(value),
                    "socketType" => s.socket_type = Some(value),
                    "username" => s.username = Some(value),
                    "authentication" if !value.is_empty() => s.authentication.push(value),
                    _ => {}
                }
            }
        }
        [
            "emailProvider",
            "incomingServer",
            "pop3",
            "leaveMessagesOnServer",
        ] => {
            if let Some(s) = server.as_mut() {
                s.leave = Some(value.eq_ignore_ascii_case("true"));
            }
        }
        ["emailProvider", "documentation", "descr"] => {
            if let Some(d) = doc.as_mut() {
                d.descriptions.push((descr_lang.to_string(), value));
            }
        }
        ["oAuth2", field] => {
            let o = cfg.oauth2.get_or_insert_with(OAuth2::default);
            match *field {
                "issuer" => o.issuer = value,
                "scope" => o.scope = value,
                "authURL" => o.auth_url = value,
                "tokenURL" => o.token_url = value,
                _ => {}
            }
        }
        ["enable", "instruction"] => {
            if let Some(en) = cfg.enable.as_mut() {
                en.instructions.push((instr_lang.to_string(), value));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Replaces `%EMAILADDRESS%`, `%EMAILLOCALPART%` and `%EMAILDOMAIN%`
/// (alone or combined, e.g. `%EMAILLOCALPART%.%EMAILDOMAIN%`).
pub fn fill_placeholders(template: &str, email: &str) -> String {
    let email = email.trim();
    let (local, domain) = email.rsplit_once('@').unwrap_or((email, ""));
    template
        .replace("%EMAILADDRESS%", email)
        .replace("%EMAILLOCALPART%", local)
        .replace("%EMAILDOMAIN%", domain)
}

#[cfg(test)]
#[path = "clientconfig_tests.rs"]
mod tests;
