//! How an OAuth2 account's login refusals read (issue 14.9/14.10): after
//! XOAUTH2, Microsoft's `5.7.139` and `5.7.3` mean something else than for a
//! password, and a server without any OAuth2 mechanism is not a protocol
//! mismatch.

use super::{Code, Diag, Evidence};
use crate::doctor::ServerProbe;
use crate::net::{NetError, Phase, Reply};

/// Personal Microsoft accounts (outlook.com and its older names): no tenant
/// administrator to ask.
const PERSONAL_DOMAINS: [&str; 5] = ["outlook.", "hotmail.", "live.", "msn.com", "passport.com"];

/// A refusal of an access token, when the account signed in with OAuth2.
pub(in crate::doctor) fn refusal(r: &Reply, evidence: &Evidence, p: &ServerProbe) -> Option<Diag> {
    if !p.oauth2 {
        return None;
    }
    let enh = r.enhanced.as_deref().unwrap_or("");
    let user = p.login.as_ref().map_or("", |l| l.user.as_str());
    if enh == "5.7.139" {
        let d = Diag::new(Code::SmtpAuthDisabled, evidence.clone()).arg("user", user);
        return Some(if is_personal(user) {
            d.variant("personal")
        } else {
            d
        });
    }
    (enh == "5.7.3").then(|| Diag::new(Code::Oauth2ScopeMissing, evidence.clone()))
}

fn is_personal(user: &str) -> bool {
    let domain = user.rsplit_once('@').map_or("", |(_, d)| d);
    let domain = domain.to_ascii_lowercase();
    PERSONAL_DOMAINS.iter().any(|d| domain.starts_with(d))
}

/// An OAuth2 account on a server that offers neither XOAUTH2 nor
/// OAUTHBEARER: says what the server offers instead.
pub(super) fn not_offered(e: &NetError, evidence: &Evidence, p: &ServerProbe) -> Option<Diag> {
    let at_login = matches!(
        e,
        NetError::Unsupported { .. }
            | NetError::Protocol {
                phase: Phase::Login,
                ..
            }
    );
    if !(p.oauth2 && at_login) || offers_oauth(&p.capabilities) {
        return None;
    }
    let offered = mechanisms(&p.capabilities);
    let offered = if offered.is_empty() {
        "—".to_string()
    } else {
        offered.join(", ")
    };
    Some(Diag::new(Code::Oauth2NotOffered, evidence.clone()).arg("offered", offered))
}

/// The SASL mechanisms in IMAP (`AUTH=PLAIN`), POP3 (`SASL PLAIN`) or SMTP
/// (`AUTH PLAIN LOGIN`) capabilities.
pub(crate) fn mechanisms(caps: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for cap in caps {
        let upper = cap.trim().to_ascii_uppercase();
        let list: Vec<&str> = if let Some(m) = upper.strip_prefix("AUTH=") {
            vec![m]
        } else if let Some(rest) = upper
            .strip_prefix("AUTH ")
            .or_else(|| upper.strip_prefix("SASL "))
        {
            rest.split_whitespace().collect()
        } else {
            Vec::new()
        };
        for m in list {
            if !m.is_empty() && !out.iter().any(|x| x == m) {
                out.push(m.to_string());
            }
        }
    }
    out
}

fn offers_oauth(caps: &[String]) -> bool {
    mechanisms(caps)
        .iter()
        .any(|m| m == "XOAUTH2" || m == "OAUTHBEARER")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mechanisms_of_each_protocol() {
        let caps = |l: &[&str]| {
            l.iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            mechanisms(&caps(&["IMAP4rev1", "AUTH=PLAIN", "auth=login"])),
            ["PLAIN", "LOGIN"]
        );
        assert_eq!(
            mechanisms(&caps(&["PIPELINING", "AUTH PLAIN LOGIN"])),
            ["PLAIN", "LOGIN"]
        );
        assert_eq!(mechanisms(&caps(&["SASL XOAUTH2"])), ["XOAUTH2"]);
        assert!(offers_oauth(&caps(&["AUTH=OAUTHBEARER"])));
        assert!(!offers_oauth(&caps(&["AUTH PLAIN"])));
    }

    #[test]
    fn personal_microsoft_accounts() {
        assert!(is_personal("a@outlook.com"));
        assert!(is_personal("a@Hotmail.fr"));
        assert!(!is_personal("a@contoso.com"));
    }
}
