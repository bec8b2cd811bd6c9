//! A reader of Thunderbird's autoconfig format, `clientConfig` version 1.1
//! (what the ISPDB and providers' own autoconfig servers serve).
//!
//! Everything that can matter to a mail client is kept, in file order:
//! every usable `incomingServer` (imap, pop3) and `outgoingServer` (smtp),
//! the `<domain>` aliases, documentation, the `enable` instructions, the
//! webmail login page and the `oAuth2` endpoints. Unknown elements are
//! skipped whole.
//!
//! Like Thunderbird's `readFromXML`, each server is validated on its own:
//! one of a type mailwiz does not speak (`ews`, `owa`, `graph`, `exchange`,
//! which carry a `<url>` and no `<hostname>`), or without a host, or with a
//! bad port or socket type, is left out and listed in
//! [`ClientConfig::skipped`]; the rest of the document is kept. Of several
//! `socketType`s the first supported one wins. Only a document that is not
//! well-formed XML, not a clientConfig, has no provider, or is beyond the
//! size, depth or element-count bounds is an error; nothing here panics and
//! the work is linear in the input.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

#[path = "clientconfig_error.rs"]
mod error;
pub use error::ConfigError;
#[path = "clientconfig_server.rs"]
mod server;
use server::PartialServer;
pub use server::{ServerSide, SkipReason, SkippedServer};

/// Bigger documents are refused unread (real ones are a few kB).
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;
/// Deeper nesting is refused (the format needs 5 levels).
pub const MAX_DEPTH: usize = 32;
/// More elements are refused (the biggest ISPDB file has a few hundred).
pub const MAX_ELEMENTS: usize = 20_000;

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
    /// The servers left out, in file order, with why.
    pub skipped: Vec<SkippedServer>,
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
    pub(crate) fn parse(text: &str) -> Option<SocketType> {
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
    /// The `type` attribute, lower-cased: imap, pop3 or smtp.
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

/// What is being read: the open element names and the current objects.
#[derive(Default)]
struct State {
    /// Element names from the root down (at most [`MAX_DEPTH`]).
    path: Vec<String>,
    /// The text of the current leaf.
    text: String,
    provider: Option<EmailProvider>,
    server: Option<PartialServer>,
    doc: Option<Documentation>,
    descr_lang: String,
    instr_lang: String,
}

/// The path, when it is shallow enough to mean anything (the format is 5
/// levels deep): deeper elements are never looked at, so the work per event
/// stays constant.
fn known_path(path: &[String]) -> Option<Vec<&str>> {
    (path.len() <= 5).then(|| path.iter().map(String::as_str).collect())
}

/// Reads a clientConfig document.
pub fn parse(xml: &str) -> Result<ClientConfig, ConfigError> {
    if xml.len() > MAX_DOCUMENT_BYTES {
        return Err(ConfigError::TooLarge);
    }
    let mut reader = Reader::from_str(xml);
    let mut cfg = ClientConfig::default();
    let mut st = State::default();
    let mut elements = 0usize;
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
            start_element(&e, &mut st, &mut cfg, &mut elements)?;
            if !empty {
                continue;
            }
        }
        match event {
            Event::Text(t) => push_bounded(&mut st.text, &t.xml10_content()),
            Event::CData(t) => push_bounded(&mut st.text, &t.xml10_content()),
            Event::GeneralRef(r) => {
                push_reference(&r, &mut st.text).map_err(|e| xml_err(&reader, &e))?;
            }
            Event::Eof => break,
            Event::End(_) | Event::Empty(_) => {
                let value = std::mem::take(&mut st.text).trim().to_string();
                close(value, &mut st, &mut cfg);
                st.path.pop();
            }
            _ => {}
        }
    }
    if let Some(open) = st.path.last() {
        return Err(ConfigError::Truncated(open.clone()));
    }
    if cfg.providers.is_empty() {
        return Err(ConfigError::NoProvider);
    }
    Ok(cfg)
}

/// An element starts: within the bounds, under the right root.
fn start_element(
    e: &BytesStart,
    st: &mut State,
    cfg: &mut ClientConfig,
    elements: &mut usize,
) -> Result<(), ConfigError> {
    *elements += 1;
    if *elements > MAX_ELEMENTS {
        return Err(ConfigError::TooManyElements);
    }
    if st.path.len() >= MAX_DEPTH {
        return Err(ConfigError::TooDeep);
    }
    let name = e.local_name().as_ref().to_string();
    if st.path.is_empty() && name != "clientConfig" {
        return Err(ConfigError::NotClientConfig(name));
    }
    st.path.push(name);
    st.text.clear();
    open(e, st, cfg)
}

/// A character reference or one of XML's five entities, into the text.
fn push_reference(r: &BytesRef, text: &mut String) -> Result<(), String> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
        text.push(c);
        return Ok(());
    }
    let name = r.xml10_content();
    let value = quick_xml::escape::resolve_xml_entity(&name)
        .ok_or_else(|| format!("unknown entity &{name};"))?;
    text.push_str(value);
    Ok(())
}

/// Text of one element is kept up to 4 kB (no real value is longer).
fn push_bounded(text: &mut String, more: &str) {
    const MAX_TEXT: usize = 4096;
    for c in more.chars() {
        if text.len() + c.len_utf8() > MAX_TEXT {
            break;
        }
        text.push(c);
    }
}

/// An element opened: start the object it begins, read its attributes.
fn open(e: &BytesStart, st: &mut State, cfg: &mut ClientConfig) -> Result<(), ConfigError> {
    let Some(p) = known_path(&st.path) else {
        return Ok(());
    };
    match p.as_slice() {
        ["clientConfig"] => cfg.version = attr(e, "version")?,
        ["clientConfig", "emailProvider"] => {
            st.provider = Some(EmailProvider {
                id: attr(e, "id")?.unwrap_or_default(),
                ..Default::default()
            });
        }
        [
            "clientConfig",
            "emailProvider",
            side @ ("incomingServer" | "outgoingServer"),
        ] => {
            let side = if *side == "incomingServer" {
                ServerSide::Incoming
            } else {
                ServerSide::Outgoing
            };
            let kind = attr(e, "type")?.unwrap_or_default().to_ascii_lowercase();
            st.server = Some(PartialServer::new(side, kind));
        }
        ["clientConfig", "emailProvider", "documentation"] => {
            st.doc = Some(Documentation {
                url: attr(e, "url")?.unwrap_or_default(),
                descriptions: Vec::new(),
            });
        }
        ["clientConfig", "emailProvider", "documentation", "descr"] => {
            st.descr_lang = attr(e, "lang")?.unwrap_or_default();
        }
        ["clientConfig", "enable"] => {
            cfg.enable = Some(Enable {
                visit_url: attr(e, "visiturl")?.unwrap_or_default(),
                instructions: Vec::new(),
            });
        }
        ["clientConfig", "enable", "instruction"] => {
            st.instr_lang = attr(e, "lang")?.unwrap_or_default();
        }
        ["clientConfig", "webMail", "loginPage"] => cfg.webmail_url = attr(e, "url")?,
        _ => {}
    }
    Ok(())
}

/// An element closed with `value` as its text.
fn close(value: String, st: &mut State, cfg: &mut ClientConfig) {
    let Some(p) = known_path(&st.path) else {
        return;
    };
    let Some(rest) = p.strip_prefix(&["clientConfig"]) else {
        return;
    };
    match rest {
        ["emailProvider"] => cfg.providers.extend(st.provider.take()),
        ["emailProvider", "incomingServer" | "outgoingServer"] => {
            let Some(server) = st.server.take() else {
                return;
            };
            let side = server.side;
            match (server.finish(), st.provider.as_mut()) {
                (Ok(s), Some(pr)) if side == ServerSide::Outgoing => pr.outgoing.push(s),
                (Ok(s), Some(pr)) => pr.incoming.push(s),
                (Err(skipped), _) => cfg.skipped.push(skipped),
                (Ok(_), None) => {}
            }
        }
        ["emailProvider", field] => {
            if let Some(pr) = st.provider.as_mut() {
                match *field {
                    "domain" if !value.is_empty() => pr.domains.push(value.to_ascii_lowercase()),
                    "displayName" => pr.display_name = Some(value),
                    "displayShortName" => pr.display_short_name = Some(value),
                    "documentation" => pr.documentation.extend(st.doc.take()),
                    _ => {}
                }
            }
        }
        ["emailProvider", "incomingServer" | "outgoingServer", field] => {
            if let Some(s) = st.server.as_mut() {
                s.set(field, value);
            }
        }
        [
            "emailProvider",
            "incomingServer",
            "pop3",
            "leaveMessagesOnServer",
        ] => {
            if let Some(s) = st.server.as_mut() {
                s.leave = Some(value.eq_ignore_ascii_case("true"));
            }
        }
        ["emailProvider", "documentation", "descr"] => {
            if let Some(d) = st.doc.as_mut() {
                d.descriptions.push((st.descr_lang.clone(), value));
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
                en.instructions.push((st.instr_lang.clone(), value));
            }
        }
        _ => {}
    }
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

#[cfg(test)]
#[path = "clientconfig_lenient_tests.rs"]
mod lenient_tests;
