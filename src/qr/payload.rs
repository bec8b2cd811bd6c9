//! The payload of Thunderbird for Android's account-import QR code, as its
//! specification describes it (thunderbird-android,
//! `feature/migration/qrcode/qr-code-format.md`, format version 1): a JSON
//! array `[FormatVersion, [SequenceNumber, SequenceEnd], IncomingServer,
//! OutgoingServerGroups]`, with the optional `Password` elements omitted.

use crate::account::{Account, AuthMethod, Protocol, Security};
use crate::i18n::{Lang, t, tf};
use serde_json::{Value, json};

/// Why the account cannot be put in the phone's QR code. The texts are
/// `export.qr.*` (English and French); `Display` is the English one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    /// The format allows ASCII host names and addresses only.
    NotAscii { field: QrField },
    /// More than a QR code can hold.
    TooLong { bytes: usize },
}

impl QrError {
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            QrError::NotAscii { field } => tf(
                lang,
                "export.qr.not_ascii",
                &[("field", t(lang, field.i18n_key()))],
            ),
            QrError::TooLong { bytes } => {
                tf(lang, "export.qr.too_long", &[("bytes", &bytes.to_string())])
            }
        }
    }
}

impl std::fmt::Display for QrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for QrError {}

/// The values the format wants in ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrField {
    IncomingHost,
    SmtpHost,
    Email,
}

impl QrField {
    pub fn i18n_key(self) -> &'static str {
        match self {
            QrField::IncomingHost => "export.qr.field.incoming_host",
            QrField::SmtpHost => "export.qr.field.smtp_host",
            QrField::Email => "export.qr.field.email",
        }
    }
}

const FORMAT_VERSION: u8 = 1;
const IMAP: u8 = 0;
const POP3: u8 = 1;
const SMTP: u8 = 0;

fn connection_security(s: Security) -> u8 {
    match s {
        Security::None => 0,
        Security::Starttls => 2,
        Security::Tls => 3,
    }
}

/// `PasswordCleartext` (1) is the spec's name for an ordinary password
/// sent inside the (TLS) connection, as Thunderbird desktop writes it.
fn authentication_type(a: AuthMethod) -> u8 {
    match a {
        AuthMethod::None => 0,
        AuthMethod::Password => 1,
        AuthMethod::Oauth2 => 6,
    }
}

fn ascii(value: &str, field: QrField) -> Result<(), QrError> {
    if value.is_ascii() {
        Ok(())
    } else {
        Err(QrError::NotAscii { field })
    }
}

/// The JSON text to put in the QR code: one account, sequence 1 of 1.
pub fn thunderbird_payload(acct: &Account) -> Result<String, QrError> {
    ascii(&acct.incoming.host, QrField::IncomingHost)?;
    ascii(&acct.smtp.host, QrField::SmtpHost)?;
    ascii(&acct.email, QrField::Email)?;
    let protocol = match acct.incoming.protocol {
        Protocol::Imap => IMAP,
        Protocol::Pop3 => POP3,
    };
    // The account name may be omitted when it is the address; it is kept
    // otherwise so the phone shows the same name.
    let mut incoming = vec![
        json!(protocol),
        json!(acct.incoming.host),
        json!(acct.incoming.port),
        json!(connection_security(acct.incoming.security)),
        json!(authentication_type(acct.incoming.auth)),
        json!(acct.incoming.username),
    ];
    if acct.name != acct.email {
        incoming.push(json!(acct.name));
    }
    let smtp_auth = if acct.smtp.auth_required {
        authentication_type(acct.incoming.auth)
    } else {
        authentication_type(AuthMethod::None)
    };
    let outgoing = json!([
        SMTP,
        acct.smtp.host,
        acct.smtp.port,
        connection_security(acct.smtp.security),
        smtp_auth,
        acct.smtp.username,
    ]);
    let identity = json!([acct.email, acct.display_name]);
    let root = Value::Array(vec![
        json!(FORMAT_VERSION),
        json!([1, 1]),
        Value::Array(incoming),
        json!([[outgoing, identity]]),
    ]);
    Ok(root.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::sample as account;

    #[test]
    fn the_spec_example_comes_out_for_the_same_account() {
        let mut a = account();
        a.name = "user@domain.example".into();
        a.email = "user@domain.example".into();
        a.display_name = "Jane Doe".into();
        a.incoming.protocol = Protocol::Imap;
        a.incoming.host = "imap.domain.example".into();
        a.incoming.port = 993;
        a.incoming.security = Security::Tls;
        a.incoming.auth = AuthMethod::Password;
        a.incoming.username = "user@domain.example".into();
        a.smtp.host = "smtp.domain.example".into();
        a.smtp.port = 465;
        a.smtp.security = Security::Tls;
        a.smtp.auth_required = true;
        a.smtp.username = "user@domain.example".into();
        let got: Value = serde_json::from_str(&thunderbird_payload(&a).unwrap()).unwrap();
        let spec: Value = serde_json::from_str(
            r#"[1,[1,1],[0,"imap.domain.example",993,3,1,"user@domain.example"],
                [[[0,"smtp.domain.example",465,3,1,"user@domain.example"],
                  ["user@domain.example","Jane Doe"]]]]"#,
        )
        .unwrap();
        assert_eq!(got, spec);
    }

    #[test]
    fn pop3_starttls_named_account_without_smtp_auth() {
        let mut a = account();
        a.name = "Free".into();
        a.incoming.protocol = Protocol::Pop3;
        a.incoming.security = Security::Starttls;
        a.smtp.auth_required = false;
        let got: Value = serde_json::from_str(&thunderbird_payload(&a).unwrap()).unwrap();
        assert_eq!(got[2][0], json!(1), "POP3");
        assert_eq!(got[2][3], json!(2), "AlwaysStartTls");
        assert_eq!(got[2][6], json!("Free"), "account name kept");
        assert_eq!(got[3][0][0][4], json!(0), "SMTP without authentication");
    }

    #[test]
    fn non_ascii_hosts_are_refused() {
        let mut a = account();
        a.incoming.host = "mél.example".into();
        assert_eq!(
            thunderbird_payload(&a),
            Err(QrError::NotAscii {
                field: QrField::IncomingHost
            })
        );
    }

    #[test]
    fn each_error_has_one_text_per_language() {
        use crate::i18n::fill;
        let cases = [
            (
                QrError::NotAscii {
                    field: QrField::SmtpHost,
                },
                fill(
                    t(Lang::En, "export.qr.not_ascii"),
                    &[("field", t(Lang::En, "export.qr.field.smtp_host"))],
                ),
            ),
            (
                QrError::TooLong { bytes: 4102 },
                fill(t(Lang::En, "export.qr.too_long"), &[("bytes", "4102")]),
            ),
        ];
        for (e, en) in cases {
            crate::test_texts::assert_one_text_per_language(
                &format!("{e:?}"),
                &e.to_string(),
                &en,
                &e.localized(Lang::Fr),
            );
        }
        for field in [QrField::IncomingHost, QrField::SmtpHost, QrField::Email] {
            let e = QrError::NotAscii { field };
            assert!(
                e.localized(Lang::Fr)
                    .contains(t(Lang::Fr, field.i18n_key())),
                "{field:?}"
            );
        }
    }
}
