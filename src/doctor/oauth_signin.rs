//! The OAuth2 side of the doctor: the last sign-in or refresh refusal of
//! the account, kept by `oauth::last_error`, as a finding with its fix
//! (issue 15 §3). Never a token: only the provider's error and words.

use super::{Code, Finding, Severity};
use crate::account::Account;
use crate::check::Side;
use crate::i18n::{Lang, t};
use crate::oauth::last_error;
use crate::secrets::Keyring;

/// The finding of the account's last OAuth2 refusal, if one is kept.
pub fn oauth_sign_in_finding(acct: &Account, lang: Lang) -> Option<Finding> {
    if !acct.signs_in_with_oauth2() {
        return None;
    }
    let keyring = Keyring::open().ok()?;
    let last = last_error::load(&keyring, &acct.name)?;
    let e = last.to_error(&acct.name);
    let title = match last.finding {
        Some(f) => f.title(lang),
        None => t(lang, "oauth_clients.last.title").to_string(),
    };
    let code = last.finding.map_or("provider_error", |f| f.as_str());
    Some(Finding {
        code: Code::AuthFailed,
        severity: Severity::Error,
        server: Side::Incoming,
        title,
        explanation: e.localized(lang),
        fix: e.advice(lang, &acct.name),
        evidence: format!("{code}: {} {}", last.error, last.description)
            .trim()
            .to_string(),
    })
}
