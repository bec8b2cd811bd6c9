//! Why an account was not exported: typed, with one text per language.

use super::Format;
use crate::i18n::{Lang, tf_outside};

/// Why an account was not exported. The texts are `export.needs_imap`,
/// `export.refused.*` and the QR code's (English and French); `Display` is
/// the English one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// The client only reads mail over IMAP and the account (named
    /// `account`) uses POP3.
    NeedsImap { format: Format, account: String },
    /// A value holds a character no client file can carry safely (a line
    /// break would start a new directive): the export is refused.
    UnsafeValue {
        field: &'static str,
        account: String,
    },
    /// The account cannot be put in the phone's QR format.
    Qr(crate::qr::QrError),
}

impl From<crate::qr::QrError> for ExportError {
    fn from(e: crate::qr::QrError) -> Self {
        ExportError::Qr(e)
    }
}

impl ExportError {
    /// The refusal in `lang`; the account's name is cleaned of control
    /// characters (it may be the very value that was refused).
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            ExportError::NeedsImap { format, account } => tf_outside(
                lang,
                "export.needs_imap",
                vec![("format", format.to_string()), ("name", account.clone())],
            ),
            ExportError::UnsafeValue { field, account } => tf_outside(
                lang,
                "export.refused.unsafe_value",
                vec![("field", (*field).to_string()), ("name", account.clone())],
            ),
            ExportError::Qr(e) => e.localized(lang),
        }
    }
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for ExportError {}
