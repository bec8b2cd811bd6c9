//! Export: one account's settings in a mail client's own configuration
//! format. Pure functions from an [`Account`] to text; the caller writes it.
//!
//! No exported text contains a password: every client gets a password
//! *command* (`mailwiz password NAME incoming|smtp`), which reads the
//! keyring or the account's own password command at the time of use. The
//! An OAuth2 account gets the client's own token settings instead (XOAUTH2,
//! which Gmail, Outlook.com and Yahoo all take), with `mailwiz token NAME`
//! as the command that prints a current access token. The
//! account's `ca_file` and pinned fingerprints are carried over in the
//! client's own terms where it has them; where it has none, the export says
//! so in a [`Note`] the face shows next to the file.

mod aerc;
mod himalaya;
mod mbsync;
mod msmtp;
mod neomutt;
mod quote;
mod thunderbird;

use crate::account::{Account, Protocol};

pub use quote::shell_word;

/// The client configurations mailwiz can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Thunderbird's autoconfig `clientConfig` 1.1 XML (also read by K-9,
    /// Evolution and KMail).
    Thunderbird,
    Msmtp,
    Mbsync,
    Neomutt,
    Aerc,
    Himalaya,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Thunderbird,
        Format::Msmtp,
        Format::Mbsync,
        Format::Neomutt,
        Format::Aerc,
        Format::Himalaya,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Thunderbird => "thunderbird",
            Format::Msmtp => "msmtp",
            Format::Mbsync => "mbsync",
            Format::Neomutt => "neomutt",
            Format::Aerc => "aerc",
            Format::Himalaya => "himalaya",
        }
    }

    /// Whether the client reads mail with POP3 at all (mbsync, aerc and
    /// himalaya are IMAP-only).
    pub fn supports_pop3(self) -> bool {
        matches!(self, Format::Thunderbird | Format::Msmtp | Format::Neomutt)
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown format '{s}' (expected thunderbird, msmtp, mbsync, neomutt, aerc or himalaya)"
                )
            })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the exported text depends on besides the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// How the client runs mailwiz for passwords (a shell word or command
    /// line), e.g. `mailwiz` or `/usr/local/bin/mailwiz --config X`.
    pub mailwiz: String,
    /// mbsync's local Maildir folder (default `~/Mail/<account>/`).
    pub maildir: Option<String>,
    /// The account's OAuth2 settings (himalaya names the endpoints).
    pub oauth2: Option<crate::account::OAuth2Settings>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            mailwiz: "mailwiz".into(),
            maildir: None,
            oauth2: None,
        }
    }
}

impl ExportOptions {
    /// The password command for one role, as a shell command line.
    pub fn password_command(&self, account: &Account, role: crate::account::Role) -> String {
        format!(
            "{} password {} {}",
            self.mailwiz,
            shell_word(&account.name),
            role.as_str()
        )
    }
}

impl ExportOptions {
    /// The command that prints a current OAuth2 access token.
    pub fn token_command(&self, account: &Account) -> String {
        format!("{} token {}", self.mailwiz, shell_word(&account.name))
    }
}

/// The account signs in with OAuth2: the exports use token commands.
pub(crate) fn is_oauth(account: &Account) -> bool {
    account.incoming.auth == crate::account::AuthMethod::Oauth2
}

/// Something the client's format cannot express, for the face to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Note {
    /// The client has no per-account CA setting: the CA must be trusted
    /// system-wide (or through the client's environment).
    CaNotCarried,
    /// The client cannot pin a certificate fingerprint.
    PinNotCarried,
    /// The format has no password command: the client asks for it.
    PasswordAsked,
    /// XOAUTH2 in this client needs a SASL plugin (cyrus-sasl-xoauth2).
    SaslXoauth2Plugin,
    /// The client signs in with OAuth2 itself: sign in once there.
    OauthInClient,
}

impl Note {
    pub fn i18n_key(self) -> &'static str {
        match self {
            Note::CaNotCarried => "export.note.ca_not_carried",
            Note::PinNotCarried => "export.note.pin_not_carried",
            Note::PasswordAsked => "export.note.password_asked",
            Note::SaslXoauth2Plugin => "export.note.sasl_xoauth2_plugin",
            Note::OauthInClient => "export.note.oauth_in_client",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub text: String,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The client only reads mail over IMAP and the account uses POP3.
    #[error("{format} reads mail over IMAP only; this account uses POP3")]
    NeedsImap { format: Format },
}

/// The account in the client's format.
pub fn export(
    account: &Account,
    format: Format,
    options: &ExportOptions,
) -> Result<Exported, ExportError> {
    if account.incoming.protocol == Protocol::Pop3 && !format.supports_pop3() {
        return Err(ExportError::NeedsImap { format });
    }
    let mut out = match format {
        Format::Thunderbird => thunderbird::export(account),
        Format::Msmtp => msmtp::export(account, options),
        Format::Mbsync => mbsync::export(account, options),
        Format::Neomutt => neomutt::export(account, options),
        Format::Aerc => aerc::export(account, options),
        Format::Himalaya => himalaya::export(account, options),
    };
    if is_oauth(account) && format != Format::Thunderbird {
        out.notes.push(Note::OauthInClient);
    }
    Ok(out)
}

/// A name made of letters, digits, `-` and `_` only, for clients whose
/// section or store names cannot hold `@`, `.` or spaces.
pub(crate) fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "mailwiz".into() } else { s }
}

/// The account name itself when it is one plain word (an address is),
/// else its [`slug`].
pub(crate) fn plain_name(name: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@.+_-".contains(c);
    if !name.is_empty() && name.chars().all(plain) {
        name.to_string()
    } else {
        slug(name)
    }
}

/// Which pinned fingerprints and CA the account has, for notes.
pub(crate) fn has_pin(account: &Account) -> bool {
    account.incoming.pinned_sha256.is_some() || account.smtp.pinned_sha256.is_some()
}

#[cfg(test)]
pub(crate) mod tests;
