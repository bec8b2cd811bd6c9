//! The account model: what mailwiz knows about one mailbox. Pure data plus
//! validation; no I/O. This is the contract between the config file, the
//! CLI, the TUI and the network code.

mod kinds;
mod model;
mod validate;

pub use kinds::{AuthMethod, Protocol, Role, Security};
pub use model::{Account, IncomingServer, OAuth2Settings, SecretSource, SmtpServer, Trust};
pub use validate::{
    FieldError, MAX_TEXT_CHARS, display_fingerprint, domain_of, is_forbidden_char, local_part,
    normalize_fingerprint, parse_port, validate_email, validate_host, validate_text,
};

#[cfg(test)]
mod tests;
