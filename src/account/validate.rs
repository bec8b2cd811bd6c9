//! Field validation shared by every face: text, address, host, port,
//! certificate fingerprint. Each refusal is a kind with an i18n key.

use crate::i18n::Lang;

/// Why a field is not acceptable. Each kind has an i18n key
/// (`field_error.<kind>`), so faces can explain it in the user's language;
/// `Display` is the English text of the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    Empty,
    NoAt,
    BadLocalPart,
    BadDomain,
    BadHost,
    BadPort,
    BadFingerprint,
    /// Line breaks, tabs, NUL, escape sequences.
    ControlChar,
    TooLong,
}

impl FieldError {
    pub const ALL: [FieldError; 9] = [
        FieldError::Empty,
        FieldError::NoAt,
        FieldError::BadLocalPart,
        FieldError::BadDomain,
        FieldError::BadHost,
        FieldError::BadPort,
        FieldError::BadFingerprint,
        FieldError::ControlChar,
        FieldError::TooLong,
    ];

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

    pub fn localized(self, lang: Lang) -> String {
        crate::i18n::t(lang, self.i18n_key()).to_string()
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for FieldError {}

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
