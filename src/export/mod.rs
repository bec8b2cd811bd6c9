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
mod error;
mod folders;
mod himalaya;
mod himalaya2;
mod mbsync;
mod msmtp;
mod neomutt;
pub(crate) mod quote;
mod server;
mod thunderbird;

use crate::account::{Account, Protocol};

pub use error::ExportError;
pub use folders::{FolderSource, Folders, PresetFolders, ServerFolders};
pub use quote::shell_word;
pub use server::{FolderLookup, look_up_folders};

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
    /// himalaya 2 (`imap.server`, `imap.sasl.*`).
    Himalaya,
    /// himalaya 1 (`backend.*`), on request.
    Himalaya1,
    /// The QR code Thunderbird for Android imports, drawn with half blocks
    /// (a PNG image with `--output FILE.png`); never holds a password.
    Qr,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Thunderbird,
        Format::Msmtp,
        Format::Mbsync,
        Format::Neomutt,
        Format::Aerc,
        Format::Himalaya,
        Format::Himalaya1,
        Format::Qr,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Thunderbird => "thunderbird",
            Format::Msmtp => "msmtp",
            Format::Mbsync => "mbsync",
            Format::Neomutt => "neomutt",
            Format::Aerc => "aerc",
            Format::Himalaya => "himalaya",
            Format::Himalaya1 => "himalaya1",
            Format::Qr => "qr",
        }
    }

    /// Whether the file names the special folders (Sent, Drafts, All).
    pub fn names_folders(self) -> bool {
        matches!(
            self,
            Format::Mbsync | Format::Neomutt | Format::Aerc | Format::Himalaya | Format::Himalaya1
        )
    }

    /// Whether the client reads mail with POP3 at all (mbsync, aerc and
    /// himalaya are IMAP-only).
    pub fn supports_pop3(self) -> bool {
        matches!(
            self,
            Format::Thunderbird | Format::Msmtp | Format::Neomutt | Format::Qr
        )
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
                    "unknown format '{s}' (expected thunderbird, msmtp, mbsync, neomutt, aerc, himalaya, himalaya1 or qr)"
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
    /// The special folders as the server names them (None: the preset's).
    pub folders: Option<Folders>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            mailwiz: "mailwiz".into(),
            maildir: None,
            folders: None,
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
    /// [`Self::mailwiz`] as arguments, for clients that run a command
    /// without a shell (it is made of [`shell_word`]s; a word that is not
    /// one is kept whole).
    pub fn mailwiz_argv(&self) -> Vec<String> {
        quote::shell_words(&self.mailwiz)
    }

    /// The special folders to name: the server's, else the preset's.
    pub fn folders_for(&self, account: &Account) -> Folders {
        self.folders
            .clone()
            .unwrap_or_else(|| Folders::for_preset(account.provider.as_deref()))
    }

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
    /// How to use the phone's QR code.
    QrScan,
}

impl Note {
    pub fn i18n_key(self) -> &'static str {
        match self {
            Note::CaNotCarried => "export.note.ca_not_carried",
            Note::PinNotCarried => "export.note.pin_not_carried",
            Note::PasswordAsked => "export.note.password_asked",
            Note::SaslXoauth2Plugin => "export.note.sasl_xoauth2_plugin",
            Note::OauthInClient => "export.note.oauth_in_client",
            Note::QrScan => "export.note.qr_scan",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub text: String,
    pub notes: Vec<Note>,
}

/// Every text an export writes, by the field name the error reports.
fn exported_texts<'a>(a: &'a Account, o: &'a ExportOptions) -> Vec<(&'static str, &'a str)> {
    let mut v = vec![
        ("name", a.name.as_str()),
        ("email", a.email.as_str()),
        ("display_name", a.display_name.as_str()),
        ("incoming.host", a.incoming.host.as_str()),
        ("incoming.username", a.incoming.username.as_str()),
        ("smtp.host", a.smtp.host.as_str()),
        ("smtp.username", a.smtp.username.as_str()),
        ("ca_file", a.ca_file.as_deref().unwrap_or_default()),
        ("provider", a.provider.as_deref().unwrap_or_default()),
        ("mailwiz", o.mailwiz.as_str()),
        ("maildir", o.maildir.as_deref().unwrap_or_default()),
    ];
    if let Some(s) = &a.oauth2 {
        v.push(("oauth2.client_id", s.client_id.as_str()));
        v.push(("oauth2.auth_url", s.auth_url.as_deref().unwrap_or_default()));
        v.push((
            "oauth2.token_url",
            s.token_url.as_deref().unwrap_or_default(),
        ));
    }
    v
}

/// The second line of defence behind [`Account::validate`]: an account
/// from a hand-edited file or an older version is checked again, and a
/// value with a control character is refused rather than written.
fn refuse_unsafe(a: &Account, o: &ExportOptions) -> Result<(), ExportError> {
    match exported_texts(a, o)
        .into_iter()
        .find(|(_, text)| text.chars().any(crate::account::is_forbidden_char))
    {
        Some((field, _)) => Err(ExportError::UnsafeValue {
            field,
            account: a.name.clone(),
        }),
        None => Ok(()),
    }
}

/// The account in the client's format.
pub fn export(
    account: &Account,
    format: Format,
    options: &ExportOptions,
) -> Result<Exported, ExportError> {
    if account.incoming.protocol == Protocol::Pop3 && !format.supports_pop3() {
        return Err(ExportError::NeedsImap {
            format,
            account: account.name.clone(),
        });
    }
    refuse_unsafe(account, options)?;
    let mut out = match format {
        Format::Thunderbird => thunderbird::export(account),
        Format::Msmtp => msmtp::export(account, options),
        Format::Mbsync => mbsync::export(account, options),
        Format::Neomutt => neomutt::export(account, options),
        Format::Aerc => aerc::export(account, options),
        Format::Himalaya => himalaya2::export(account, options),
        Format::Himalaya1 => himalaya::export(account, options),
        Format::Qr => phone_qr(account)?,
    };
    if is_oauth(account) && format != Format::Thunderbird {
        out.notes.push(Note::OauthInClient);
    }
    Ok(out)
}

/// The phone's QR code as half blocks; the phone asks for the password.
fn phone_qr(account: &Account) -> Result<Exported, ExportError> {
    let code = crate::qr::encode(&crate::qr::thunderbird_payload(account)?)?;
    let mut notes = vec![Note::QrScan, Note::PasswordAsked];
    if account.ca_file.is_some() {
        notes.push(Note::CaNotCarried);
    }
    if account.incoming.pinned_sha256.is_some() || account.smtp.pinned_sha256.is_some() {
        notes.push(Note::PinNotCarried);
    }
    Ok(Exported {
        text: crate::qr::to_half_blocks(&code),
        notes,
    })
}

/// Local folders the client needs before its first run and does not
/// create itself (mbsync's Maildir root), as written in the file.
pub fn local_folders(account: &Account, format: Format, options: &ExportOptions) -> Vec<String> {
    match format {
        Format::Mbsync => vec![mbsync::maildir(account, options)],
        _ => Vec::new(),
    }
}

/// `path` with a leading `~/` replaced by `home`, as the clients expand it.
pub fn expand_home(path: &str, home: &std::path::Path) -> std::path::PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => home.join(rest),
        None if path == "~" => home.to_path_buf(),
        None => std::path::PathBuf::from(path),
    }
}

/// A name made of letters, digits, `-` and `_` only, starting with a
/// letter or digit, for clients whose section or store names cannot hold
/// `@`, `.` or spaces.
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
    // A leading `-` would read as an option where the client takes the
    // name on its command line (`mbsync NAME`, `msmtp -a NAME`).
    if s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        s
    } else {
        format!("mailwiz{s}")
    }
}

/// The account name itself when it is one plain word (an address is),
/// else its [`slug`].
pub(crate) fn plain_name(name: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@.+_-".contains(c);
    if name.starts_with(|c: char| c.is_ascii_alphanumeric()) && name.chars().all(plain) {
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
#[cfg(test)]
mod tests_hostile;
