//! PKCE (RFC 7636) with S256, and the random `state` of a sign-in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// `n` random bytes, base64url without padding.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    crate::random::fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(&bytes)
}

/// A code verifier: 32 random bytes, i.e. 43 characters of `[A-Za-z0-9_-]`.
pub fn new_verifier() -> String {
    random_token(32)
}

/// The S256 challenge of a verifier: base64url(SHA-256(verifier)).
pub fn challenge_s256(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        // The example of RFC 7636, appendix B.
        assert_eq!(
            challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_long_random_and_url_safe() {
        let (a, b) = (new_verifier(), new_verifier());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }
}
