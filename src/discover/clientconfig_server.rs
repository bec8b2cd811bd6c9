//! One `incomingServer` / `outgoingServer` being read, and why one is left
//! out. Each server is checked on its own when its element closes, so one
//! unusable server never rejects the document.

use super::{ServerConfig, SocketType};
use serde::Serialize;

/// Which list a server was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerSide {
    Incoming,
    Outgoing,
}

/// Why a server of the document was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", content = "value", rename_all = "snake_case")]
pub enum SkipReason {
    /// A type mailwiz does not speak (`exchange`, `ews`, `owa`, `graph`, …).
    UnsupportedType,
    NoHostname,
    /// The port as written (empty when missing).
    BadPort(String),
    /// The first `socketType` as written, when none is known.
    BadSocketType(String),
    /// A host name or login that no account may hold (a control character
    /// could become a command in an exported file): the value as written.
    UnsafeValue(String),
}

impl SkipReason {
    /// The text for people: `discover.skipped.<reason>`.
    pub fn i18n_key(&self) -> &'static str {
        match self {
            SkipReason::UnsupportedType => "discover.skipped.unsupported_type",
            SkipReason::NoHostname => "discover.skipped.no_hostname",
            SkipReason::BadPort(_) => "discover.skipped.bad_port",
            SkipReason::BadSocketType(_) => "discover.skipped.bad_socket_type",
            SkipReason::UnsafeValue(_) => "discover.skipped.unsafe_value",
        }
    }

    /// The value the document gave, for the `{value}` placeholder.
    pub fn value(&self) -> &str {
        match self {
            SkipReason::BadPort(v) | SkipReason::BadSocketType(v) | SkipReason::UnsafeValue(v) => v,
            SkipReason::UnsupportedType | SkipReason::NoHostname => "",
        }
    }
}

/// A server left out of the document, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedServer {
    pub side: ServerSide,
    /// The `type` attribute, lower-cased, as written.
    pub kind: String,
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// A server being read: fields are checked when its element closes.
pub(super) struct PartialServer {
    pub side: ServerSide,
    pub kind: String,
    pub hostname: Option<String>,
    pub port: Option<String>,
    /// Every `socketType` in file order; the first known one wins.
    pub socket_types: Vec<String>,
    pub username: Option<String>,
    pub authentication: Vec<String>,
    pub leave: Option<bool>,
}

impl PartialServer {
    pub fn new(side: ServerSide, kind: String) -> PartialServer {
        PartialServer {
            side,
            kind,
            hostname: None,
            port: None,
            socket_types: Vec::new(),
            username: None,
            authentication: Vec::new(),
            leave: None,
        }
    }

    fn supported(&self) -> bool {
        match self.side {
            ServerSide::Incoming => matches!(self.kind.as_str(), "imap" | "pop3"),
            ServerSide::Outgoing => matches!(self.kind.as_str(), "smtp" | ""),
        }
    }

    /// The server, or why it is left out.
    pub fn finish(self) -> Result<ServerConfig, SkippedServer> {
        let skip = |reason| SkippedServer {
            side: self.side,
            kind: self.kind.clone(),
            reason,
        };
        if !self.supported() {
            return Err(skip(SkipReason::UnsupportedType));
        }
        let Some(hostname) = self.hostname.clone().filter(|h| !h.is_empty()) else {
            return Err(skip(SkipReason::NoHostname));
        };
        let port_text = self.port.clone().unwrap_or_default();
        let port = match port_text.parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => return Err(skip(SkipReason::BadPort(port_text))),
        };
        let socket_type = if self.socket_types.is_empty() {
            SocketType::Plain
        } else {
            let known = self.socket_types.iter().find_map(|s| SocketType::parse(s));
            let first = self.socket_types[0].clone();
            known.ok_or_else(|| skip(SkipReason::BadSocketType(first)))?
        };
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

    /// A field of the server closed with `value`.
    pub fn set(&mut self, field: &str, value: String) {
        match field {
            "hostname" if self.hostname.is_none() => self.hostname = Some(value),
            "port" if self.port.is_none() => self.port = Some(value),
            "socketType" if !value.is_empty() => self.socket_types.push(value),
            "username" if self.username.is_none() => self.username = Some(value),
            "authentication" if !value.is_empty() => self.authentication.push(value),
            _ => {}
        }
    }
}
