//! The SASL messages of logins: PLAIN (RFC 4616) for passwords, and for
//! OAuth2 XOAUTH2 (Google's, also Microsoft's and Dovecot's) and
//! OAUTHBEARER (RFC 7628). Each carries a credential; callers wipe the
//! returned strings after sending them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroize;

/// The two mechanisms, in mailwiz's order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OauthMechanism {
    Xoauth2,
    Oauthbearer,
}

impl OauthMechanism {
    pub fn name(self) -> &'static str {
        match self {
            OauthMechanism::Xoauth2 => "XOAUTH2",
            OauthMechanism::Oauthbearer => "OAUTHBEARER",
        }
    }

    /// What the client answers to the server's error challenge (a JSON
    /// status) so that the server ends the exchange with its failure reply:
    /// an empty line for XOAUTH2, `%x01` for OAUTHBEARER (RFC 7628 3.2.3).
    pub fn error_ack(self) -> &'static str {
        match self {
            OauthMechanism::Xoauth2 => "",
            OauthMechanism::Oauthbearer => "AQ==",
        }
    }

    /// The initial client response, base64-encoded.
    pub fn initial_response(self, user: &str, token: &str, host: &str, port: u16) -> String {
        match self {
            OauthMechanism::Xoauth2 => xoauth2(user, token),
            OauthMechanism::Oauthbearer => oauthbearer(user, token, host, port),
        }
    }

    /// The mechanism to use given the server's SASL mechanisms: XOAUTH2
    /// when offered (the most widely deployed), else OAUTHBEARER.
    pub fn pick<'a>(offered: impl IntoIterator<Item = &'a str>) -> Option<OauthMechanism> {
        let offered: Vec<String> = offered.into_iter().map(str::to_ascii_uppercase).collect();
        [OauthMechanism::Xoauth2, OauthMechanism::Oauthbearer]
            .into_iter()
            .find(|m| offered.iter().any(|o| o == m.name()))
    }
}

/// `base64(NUL user NUL password)`, the one PLAIN message IMAP, POP3 and
/// SMTP all send.
pub fn plain(user: &str, password: &str) -> String {
    let mut raw = format!("\0{user}\0{password}");
    let out = STANDARD.encode(raw.as_bytes());
    raw.zeroize();
    out
}

/// `base64("user=" user ^A "auth=Bearer " token ^A ^A)`.
pub fn xoauth2(user: &str, token: &str) -> String {
    let mut raw = format!("user={user}\x01auth=Bearer {token}\x01\x01");
    let out = STANDARD.encode(raw.as_bytes());
    raw.zeroize();
    out
}

/// RFC 7628: `n,a=USER,^Ahost=HOST^Aport=PORT^Aauth=Bearer TOKEN^A^A`, with
/// `,` and `=` in the user name escaped as `=2C` and `=3D` (RFC 5801).
pub fn oauthbearer(user: &str, token: &str, host: &str, port: u16) -> String {
    let user = user.replace('=', "=3D").replace(',', "=2C");
    let mut raw =
        format!("n,a={user},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01");
    let out = STANDARD.encode(raw.as_bytes());
    raw.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_is_nul_user_nul_password() {
        // RFC 4616 section 4's example, without an authorization identity.
        assert_eq!(
            STANDARD.decode(plain("tim", "tanstaaftanstaaf")).unwrap(),
            b"\0tim\0tanstaaftanstaaf"
        );
    }

    fn decode(b64: &str) -> String {
        String::from_utf8(STANDARD.decode(b64).unwrap()).unwrap()
    }

    #[test]
    fn xoauth2_matches_google_documentation() {
        // The example of Google's XOAUTH2 protocol page.
        let token = ["ya29", "vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"].join(".");
        assert_eq!(
            xoauth2("someuser@example.com", &token),
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
        );
    }

    #[test]
    fn oauthbearer_layout_and_escaping() {
        let msg = decode(&oauthbearer(
            "a,b=c@example.test",
            "tok",
            "imap.example.test",
            993,
        ));
        assert_eq!(
            msg,
            "n,a=a=2Cb=3Dc@example.test,\x01host=imap.example.test\x01port=993\x01auth=Bearer tok\x01\x01"
        );
    }

    #[test]
    fn mechanism_choice() {
        assert_eq!(
            OauthMechanism::pick(["PLAIN", "oauthbearer", "XOAUTH2"]),
            Some(OauthMechanism::Xoauth2)
        );
        assert_eq!(
            OauthMechanism::pick(["PLAIN", "OAUTHBEARER"]),
            Some(OauthMechanism::Oauthbearer)
        );
        assert_eq!(OauthMechanism::pick(["PLAIN", "LOGIN"]), None);
        assert_eq!(OauthMechanism::Oauthbearer.error_ack(), "AQ==");
    }
}
