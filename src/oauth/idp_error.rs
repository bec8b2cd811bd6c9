//! Why the identity provider refused a sign-in or a refresh, from its
//! `error`, its `error_description` and the Microsoft `AADSTS` codes in
//! it: a typed finding with a fix, in both languages (issue 15 §3). The
//! provider's own words stay as evidence; the matching never depends on
//! anything but the codes (and, for Microsoft's "personal account"
//! refusal without a code, that phrase).

use crate::i18n::{Lang, tf};
use serde::Serialize;

/// Google drops the refresh token of a client whose consent screen is in
/// "Testing" seven days after the sign-in.
pub const TESTING_REFRESH_LIFETIME_SECS: u64 = 7 * 24 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdpFinding {
    /// AADSTS50020 / AADSTS50194: single-tenant app, or registered
    /// without personal accounts.
    PersonalAccountRefused,
    /// AADSTS65001 / AADSTS90094: an administrator must consent.
    AdminConsentRequired,
    /// AADSTS700016: this client id does not exist in that tenant.
    UnknownClient,
    /// AADSTS7000218: "Allow public client flows" is off.
    PublicClientDisabled,
    InvalidClient,
    UnauthorizedClient,
    /// Google `invalid_grant` about 7 days after the sign-in.
    TestingConsentExpired,
    AccessDenied,
    RedirectMismatch,
}

impl IdpFinding {
    pub const ALL: [IdpFinding; 9] = [
        IdpFinding::PersonalAccountRefused,
        IdpFinding::AdminConsentRequired,
        IdpFinding::UnknownClient,
        IdpFinding::PublicClientDisabled,
        IdpFinding::InvalidClient,
        IdpFinding::UnauthorizedClient,
        IdpFinding::TestingConsentExpired,
        IdpFinding::AccessDenied,
        IdpFinding::RedirectMismatch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdpFinding::PersonalAccountRefused => "personal_account_refused",
            IdpFinding::AdminConsentRequired => "admin_consent_required",
            IdpFinding::UnknownClient => "unknown_client",
            IdpFinding::PublicClientDisabled => "public_client_disabled",
            IdpFinding::InvalidClient => "invalid_client",
            IdpFinding::UnauthorizedClient => "unauthorized_client",
            IdpFinding::TestingConsentExpired => "testing_consent_expired",
            IdpFinding::AccessDenied => "access_denied",
            IdpFinding::RedirectMismatch => "redirect_mismatch",
        }
    }

    /// The user must sign in again (after the fix) before anything works.
    pub fn needs_sign_in(self) -> bool {
        matches!(
            self,
            IdpFinding::TestingConsentExpired | IdpFinding::AccessDenied
        )
    }

    /// What went wrong, in plain words.
    pub fn title(self, lang: Lang) -> String {
        tf(
            lang,
            &format!("oauth_clients.finding.{}.title", self.as_str()),
            &[],
        )
    }

    /// What to do; `consent_url` is the admin-consent address (for
    /// AdminConsentRequired), `name` the account.
    pub fn fix(self, lang: Lang, name: &str, consent_url: Option<&str>) -> String {
        let url = consent_url.unwrap_or("-");
        tf(
            lang,
            &format!("oauth_clients.finding.{}.fix", self.as_str()),
            &[("name", name), ("url", url)],
        )
    }
}

/// The AADSTS numbers in a description (`AADSTS700016: …` → 700016).
fn aadsts_codes(description: &str) -> Vec<u64> {
    description
        .match_indices("AADSTS")
        .filter_map(|(i, m)| {
            let digits: String = description[i + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .take(9)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// The finding for an error answer, when there is one. `google` says the
/// token endpoint is Google's and `signed_in_secs_ago` how long ago the
/// refresh token was obtained (for the "Testing" 7-day expiry).
pub fn classify(
    error: &str,
    description: &str,
    google: bool,
    signed_in_secs_ago: Option<u64>,
) -> Option<IdpFinding> {
    for code in aadsts_codes(description) {
        let found = match code {
            50020 | 50194 => IdpFinding::PersonalAccountRefused,
            65001 | 90094 => IdpFinding::AdminConsentRequired,
            700_016 => IdpFinding::UnknownClient,
            7_000_218 => IdpFinding::PublicClientDisabled,
            _ => continue,
        };
        return Some(found);
    }
    let lower = description.to_ascii_lowercase();
    if lower.contains("personal account") || lower.contains("personal microsoft account") {
        return Some(IdpFinding::PersonalAccountRefused);
    }
    match error {
        "invalid_client" => Some(IdpFinding::InvalidClient),
        "unauthorized_client" => Some(IdpFinding::UnauthorizedClient),
        "access_denied" => Some(IdpFinding::AccessDenied),
        "redirect_uri_mismatch" => Some(IdpFinding::RedirectMismatch),
        "invalid_grant" if google && near_seven_days(signed_in_secs_ago) => {
            Some(IdpFinding::TestingConsentExpired)
        }
        _ => None,
    }
}

/// Between 7 days less a margin (clocks, the refresh's own delay) and two
/// days after: later, another cause (revocation, password change) is as
/// likely.
fn near_seven_days(age: Option<u64>) -> bool {
    age.is_some_and(|a| {
        (TESTING_REFRESH_LIFETIME_SECS - 3600..=TESTING_REFRESH_LIFETIME_SECS + 2 * 86400)
            .contains(&a)
    })
}

/// The admin-consent address of a Microsoft-style authority, from the
/// token endpoint (`…/{tenant}/oauth2/v2.0/token` →
/// `…/{tenant}/adminconsent?client_id=ID`).
pub fn admin_consent_url(token_url: &str, client_id: &str) -> Option<String> {
    let base = &token_url[..token_url.find("/oauth2/")?];
    Some(format!(
        "{base}/adminconsent?client_id={}",
        super::http::encode(client_id)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdpFinding::*;

    #[test]
    fn each_error_gives_its_finding() {
        let day = 86400;
        type Row<'a> = (&'a str, &'a str, bool, Option<u64>, Option<IdpFinding>);
        let table: [Row; 14] = [
            (
                "invalid_request",
                "AADSTS50020: User account from identity provider 'live.com' does not exist in tenant",
                false,
                None,
                Some(PersonalAccountRefused),
            ),
            (
                "invalid_request",
                "AADSTS50194: Application is not configured as a multi-tenant application.",
                false,
                None,
                Some(PersonalAccountRefused),
            ),
            (
                "invalid_request",
                "The app does not allow personal Microsoft accounts",
                false,
                None,
                Some(PersonalAccountRefused),
            ),
            (
                "invalid_grant",
                "AADSTS65001: The user or administrator has not consented",
                false,
                None,
                Some(AdminConsentRequired),
            ),
            (
                "access_denied",
                "AADSTS90094: The grant requires admin permission.",
                false,
                None,
                Some(AdminConsentRequired),
            ),
            (
                "unauthorized_client",
                "AADSTS700016: Application with identifier 'x' was not found",
                false,
                None,
                Some(UnknownClient),
            ),
            (
                "invalid_client",
                "AADSTS7000218: The request body must contain 'client_assertion' or 'client_secret'",
                false,
                None,
                Some(PublicClientDisabled),
            ),
            ("invalid_client", "", false, None, Some(InvalidClient)),
            (
                "unauthorized_client",
                "",
                false,
                None,
                Some(UnauthorizedClient),
            ),
            (
                "invalid_grant",
                "Token has been expired or revoked.",
                true,
                Some(7 * day + 60),
                Some(TestingConsentExpired),
            ),
            (
                "invalid_grant",
                "Token has been expired or revoked.",
                true,
                Some(2 * day),
                None,
            ),
            (
                "invalid_grant",
                "Token has been expired or revoked.",
                false,
                Some(7 * day),
                None,
            ),
            ("access_denied", "", false, None, Some(AccessDenied)),
            (
                "redirect_uri_mismatch",
                "",
                false,
                None,
                Some(RedirectMismatch),
            ),
        ];
        for (error, description, google, age, want) in table {
            assert_eq!(
                classify(error, description, google, age),
                want,
                "{error} {description}"
            );
        }
        // 7000218 is not 700021x: the whole number is read.
        assert_eq!(
            aadsts_codes("AADSTS7000218 and AADSTS50020x"),
            [7_000_218, 50020]
        );
    }

    #[test]
    fn every_finding_has_a_title_and_a_fix_in_both_languages() {
        for f in IdpFinding::ALL {
            for lang in Lang::ALL {
                let title = f.title(lang);
                let fix = f.fix(
                    lang,
                    "bob",
                    Some("https://login.example/adminconsent?client_id=x"),
                );
                assert!(!title.starts_with("oauth_clients."), "{f:?} {lang:?}");
                assert!(!fix.starts_with("oauth_clients."), "{f:?} {lang:?}");
                assert_ne!(title, fix);
            }
        }
        let fix =
            AdminConsentRequired.fix(Lang::Fr, "bob", Some("https://u/adminconsent?client_id=x"));
        assert!(fix.contains("https://u/adminconsent?client_id=x"), "{fix}");
    }

    #[test]
    fn the_admin_consent_url_is_the_authority_s() {
        assert_eq!(
            admin_consent_url(
                "https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
                "a b"
            )
            .as_deref(),
            Some("https://login.microsoftonline.com/organizations/adminconsent?client_id=a%20b")
        );
        assert_eq!(admin_consent_url("https://idp.test/token", "x"), None);
    }
}
