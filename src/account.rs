//! The account model: what mailwiz knows about one mailbox. Pure data plus
//! validation; no I/O. This is the contract between the config file, the
//! CLI, the TUI and the network code.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Imap,
    Pop3,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Imap => "imap",
            Protocol::Pop3 => "pop3",
        }
    }

    /// The standard port for this protocol with this security.
    pub fn default_port(self, security: Security) -> u16 {
        match (self, security) {
            (Protocol::Imap, Security::Tls) => 993,
            (Protocol::Imap, _) => 143,
            (Protocol::Pop3, Security::Tls) => 995,
            (Protocol::Pop3, _) => 110,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Protocol {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "imap" => Ok(Protocol::Imap),
            "pop3" | "pop" => Ok(Protocol::Pop3),
            other => Err(format!(
                "unknown protocol '{other}' (expected imap or pop3)"
            )),
        }
    }
}

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Implicit TLS from the first byte (IMAPS 993, POP3S 995, SMTPS 465).
    Tls,
    /// Plain connection upgraded with STARTTLS/STLS; mandatory once chosen.
    Starttls,
    /// No encryption at all; only when the user explicitly chose it.
    None,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::Tls, Security::Starttls, Security::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
            Security::None => "none",
        }
    }

    pub fn smtp_default_port(self) -> u16 {
        match self {
            Security::Tls => 465,
            Security::Starttls => 587,
            Security::None => 25,
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Security {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "tls" | "ssl" => Ok(Security::Tls),
            "starttls" | "stls" => Ok(Security::Starttls),
            "none" | "plain" => Ok(Security::None),
            other => Err(format!(
                "unknown security '{other}' (expected tls, starttls or none)"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    #[default]
    Password,
    Oauth2,
    None,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Password => "password",
            AuthMethod::Oauth2 => "oauth2",
            AuthMethod::None => "none",
        }
    }
}

impl std::str::FromStr for AuthMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "password" => Ok(AuthMethod::Password),
            "oauth2" | "oauth" => Ok(AuthMethod::Oauth2),
            "none" => Ok(AuthMethod::None),
            other => Err(format!(
                "unknown auth method '{other}' (expected password, oauth2 or none)"
            )),
        }
    }
}

/// An OAuth2 account's sign-in settings: the user's own client
/// registration, and endpoints that override the provider preset's. The
/// tokens and the client secret live in the keyring, never here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuth2Settings {
    /// The client id of the user's own registration (empty with
    /// `token_command`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub client_id: String,
    /// Whether a client secret is stored in the keyring for this account.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub client_secret_in_keyring: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// A command whose stdout is a current access token (oama, pizauth,
    /// mailctl…), used instead of mailwiz's own sign-in when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_command: Option<String>,
}

/// Extra trust for one server, on top of the system roots.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trust {
    /// A PEM file with extra CA certificates (a company or test CA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// SHA-256 fingerprint of the server's certificate, pinned with the
    /// user's consent (hex, colons optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingServer {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    #[serde(default)]
    pub auth: AuthMethod,
    /// POP3 only: leave a copy of each message on the server.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub keep_on_server: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The "my server requires authentication" switch.
    pub auth_required: bool,
    pub username: String,
    /// The usual case: the SMTP login uses the incoming server's password.
    #[serde(default = "yes")]
    pub same_password: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_sha256: Option<String>,
}

/// Where the password comes from. The password itself is never here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretSource {
    /// A command whose stdout is the password (like msmtp's passwordeval),
    /// used instead of the keyring when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_command: Option<String>,
    /// Same, for the SMTP login when it does not share the incoming password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_password_command: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    /// The preset the settings came from, if any (e.g. "free").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub incoming: IncomingServer,
    pub smtp: SmtpServer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    #[serde(default, flatten)]
    pub secrets: SecretSource,
}

fn yes() -> bool {
    true
}
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if signature
fn is_true(b: &bool) -> bool {
    *b
}

/// The keyring roles of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Incoming,
    Smtp,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Incoming => "incoming",
            Role::Smtp => "smtp",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "incoming" | "imap" | "pop3" => Ok(Role::Incoming),
            "smtp" | "outgoing" => Ok(Role::Smtp),
            other => Err(format!(
                "unknown role '{other}' (expected incoming or smtp)"
            )),
        }
    }
}

impl Account {
    /// The keyring role that really holds the SMTP password.
    pub fn smtp_secret_role(&self) -> Role {
        if self.smtp.same_password {
            Role::Incoming
        } else {
            Role::Smtp
        }
    }

    pub fn trust_for(&self, role: Role) -> Trust {
        Trust {
            ca_file: self.ca_file.clone(),
            pinned_sha256: match role {
                Role::Incoming => self.incoming.pinned_sha256.clone(),
                Role::Smtp => self.smtp.pinned_sha256.clone(),
            },
        }
    }

    /// Checks every field; returns the problems, each as (field, error).
    /// The one validator for typed, discovered, detected and imported
    /// accounts: every text that other clients' files will hold is free of
    /// control characters and of a sane length.
    pub fn validate(&self) -> Vec<(&'static str, FieldError)> {
        let mut errs = Vec::new();
        if self.name.trim().is_empty() {
            errs.push(("name", FieldError::Empty));
        }
        for (field, text) in [
            ("name", self.name.as_str()),
            ("display_name", self.display_name.as_str()),
            ("incoming.username", self.incoming.username.as_str()),
            ("smtp.username", self.smtp.username.as_str()),
            ("ca_file", self.ca_file.as_deref().unwrap_or_default()),
        ] {
            if let Err(e) = validate_text(text) {
                errs.push((field, e));
            }
        }
        if let Err(e) = validate_email(&self.email) {
            errs.push(("email", e));
        }
        if let Err(e) = validate_host(&self.incoming.host) {
            errs.push(("incoming.host", e));
        }
        if self.incoming.port == 0 {
            errs.push(("incoming.port", FieldError::BadPort));
        }
        if self.incoming.auth != AuthMethod::None && self.incoming.username.trim().is_empty() {
            errs.push(("incoming.username", FieldError::Empty));
        }
        if let Err(e) = validate_host(&self.smtp.host) {
            errs.push(("smtp.host", e));
        }
        if self.smtp.port == 0 {
            errs.push(("smtp.port", FieldError::BadPort));
        }
        if self.smtp.auth_required && self.smtp.username.trim().is_empty() {
            errs.push(("smtp.username", FieldError::Empty));
        }
        for (field, pin) in [
            ("incoming.pinned_sha256", &self.incoming.pinned_sha256),
            ("smtp.pinned_sha256", &self.smtp.pinned_sha256),
        ] {
            if let Some(p) = pin
                && normalize_fingerprint(p).is_none()
            {
                errs.push((field, FieldError::BadFingerprint));
            }
        }
        errs
    }
}

/// Why a field is not acceptable. Each kind has an i18n key
/// (`field_error.<kind>`), so faces can explain it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("must not be empty")]
    Empty,
    #[error("an email address looks like name@example.com")]
    NoAt,
    #[error("the part before @ is not valid")]
    BadLocalPart,
    #[error("the domain is not valid")]
    BadDomain,
    #[error("not a valid host name")]
    BadHost,
    #[error("a port is a number from 1 to 65535")]
    BadPort,
    #[error("a SHA-256 fingerprint has 64 hexadecimal digits")]
    BadFingerprint,
    #[error("must not contain control characters (line breaks, tabs, NUL, escape sequences)")]
    ControlChar,
    #[error("is too long")]
    TooLong,
}

impl FieldError {
    pub fn i18n_key(self) -> &'static str {
        match self {
            FieldError::Empty => "field_error.empty",
            FieldError::NoAt => "field_error.no_at",
            FieldError::BadLocalPart => "field_error.bad_local_part",
            FieldError::BadDomain => "field_error.bad_domain",
            FieldError::BadHost => "field_error.bad_host",
            FieldError::BadPort => "field_error.bad_port",
            FieldError::BadFingerprint => "field_error.bad_fingerprint",
            FieldError::ControlChar => "field_error.control_char",
            FieldError::TooLong => "field_error.too_long",
        }
    }
}

/// The longest name, display name or login mailwiz accepts, in characters.
pub const MAX_TEXT_CHARS: usize = 256;

/// A character no account text may hold: C0/C1 controls and DEL (a
/// newline or NUL ends a line in every client's file, ESC drives the
/// terminal) and the Unicode line and paragraph separators.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// A free text field (account name, display name, login): printable, at
/// most [`MAX_TEXT_CHARS`] characters. Quotes, backticks, `$`, `#`, `;`,
/// spaces and non-ASCII letters are all allowed: the exporters quote them.
pub fn validate_text(text: &str) -> Result<(), FieldError> {
    if text.chars().any(is_forbidden_char) {
        Err(FieldError::ControlChar)
    } else if text.chars().count() > MAX_TEXT_CHARS {
        Err(FieldError::TooLong)
    } else {
        Ok(())
    }
}

/// A practical address check: one @, a sane local part, a domain with a dot.
pub fn validate_email(email: &str) -> Result<(), FieldError> {
    if email.chars().any(is_forbidden_char) {
        return Err(FieldError::ControlChar);
    }
    let email = email.trim();
    if email.is_empty() {
        return Err(FieldError::Empty);
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err(FieldError::NoAt);
    };
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
    {
        return Err(FieldError::BadLocalPart);
    }
    if !domain.contains('.') || validate_host(domain).is_err() {
        return Err(FieldError::BadDomain);
    }
    Ok(())
}

/// A DNS name (letters, digits, hyphens, dots) or an IPv4/IPv6 literal.
pub fn validate_host(host: &str) -> Result<(), FieldError> {
    if host.chars().any(is_forbidden_char) {
        return Err(FieldError::ControlChar);
    }
    let host = host.trim();
    if host.is_empty() {
        return Err(FieldError::Empty);
    }
    if host.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.len() > 253 {
        return Err(FieldError::BadHost);
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if host.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(FieldError::BadHost)
    }
}

pub fn parse_port(text: &str) -> Result<u16, FieldError> {
    match text.trim().parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(FieldError::BadPort),
    }
}

/// Lower-case hex without separators, or None when it is not 32 bytes.
pub fn normalize_fingerprint(text: &str) -> Option<String> {
    let hex: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .collect::<String>()
        .to_ascii_lowercase();
    let hex = hex.strip_prefix("sha256").unwrap_or(&hex).to_string();
    (hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some(hex)
}

/// `AA:BB:...` form for display.
pub fn display_fingerprint(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

pub fn local_part(email: &str) -> &str {
    email.rsplit_once('@').map_or(email, |(l, _)| l)
}

pub fn domain_of(email: &str) -> &str {
    email.rsplit_once('@').map_or("", |(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(validate_email("alice@free.fr"), Ok(()));
        assert_eq!(validate_email("a.b+tag@sub.example.test"), Ok(()));
        assert_eq!(validate_email(""), Err(FieldError::Empty));
        assert_eq!(validate_email("alice"), Err(FieldError::NoAt));
        assert_eq!(validate_email("@free.fr"), Err(FieldError::BadLocalPart));
        assert_eq!(
            validate_email("a..b@free.fr"),
            Err(FieldError::BadLocalPart)
        );
        assert_eq!(
            validate_email("al ice@free.fr"),
            Err(FieldError::BadLocalPart)
        );
        assert_eq!(validate_email("alice@free"), Err(FieldError::BadDomain));
        assert_eq!(validate_email("alice@-free.fr"), Err(FieldError::BadDomain));
    }

    #[test]
    fn hosts_and_ports() {
        assert!(validate_host("imap.free.fr").is_ok());
        assert!(validate_host("127.0.0.2").is_ok());
        assert!(validate_host("::1").is_ok());
        assert_eq!(validate_host("imap free.fr"), Err(FieldError::BadHost));
        assert_eq!(validate_host("imap..fr"), Err(FieldError::BadHost));
        assert_eq!(parse_port("993"), Ok(993));
        assert_eq!(parse_port("0"), Err(FieldError::BadPort));
        assert_eq!(parse_port("70000"), Err(FieldError::BadPort));
        assert_eq!(parse_port("x"), Err(FieldError::BadPort));
    }

    #[test]
    fn control_characters_are_refused_everywhere() {
        for bad in [
            "a\nb",
            "a\rb",
            "a\0b",
            "a\x1b[2Jb",
            "a\tb",
            "a\u{7f}b",
            "a\u{85}b",
            "a\u{2028}b",
        ] {
            assert_eq!(validate_text(bad), Err(FieldError::ControlChar), "{bad:?}");
            let host = bad.replace('a', "imap.example.test");
            assert_eq!(
                validate_host(&host),
                Err(FieldError::ControlChar),
                "{bad:?}"
            );
            let email = format!("{bad}@example.test");
            assert_eq!(
                validate_email(&email),
                Err(FieldError::ControlChar),
                "{bad:?}"
            );
        }
        for good in [
            "Bob's mail",
            "`id` $(touch x) $HOME ; # % \\ \"",
            "é 中",
            "",
        ] {
            assert_eq!(validate_text(good), Ok(()), "{good:?}");
        }
        assert_eq!(validate_text(&"x".repeat(MAX_TEXT_CHARS)), Ok(()));
        assert_eq!(
            validate_text(&"x".repeat(MAX_TEXT_CHARS + 1)),
            Err(FieldError::TooLong)
        );
    }

    #[test]
    fn fingerprints() {
        let hex = "ab".repeat(32);
        let colons = display_fingerprint(&hex);
        assert_eq!(colons.len(), 95);
        assert_eq!(normalize_fingerprint(&colons), Some(hex.clone()));
        assert_eq!(normalize_fingerprint("abcd"), None);
    }

    #[test]
    fn default_ports() {
        assert_eq!(Protocol::Imap.default_port(Security::Tls), 993);
        assert_eq!(Protocol::Imap.default_port(Security::Starttls), 143);
        assert_eq!(Protocol::Pop3.default_port(Security::Tls), 995);
        assert_eq!(Protocol::Pop3.default_port(Security::None), 110);
        assert_eq!(Security::Starttls.smtp_default_port(), 587);
    }
}
