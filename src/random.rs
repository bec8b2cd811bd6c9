//! One source of random bytes for the whole program: the system's CSPRNG
//! (through ring). Ids, PKCE verifiers, OAuth2 states, DNS query ids and
//! temporary file names all come from here.

use ring::rand::{SecureRandom, SystemRandom};

/// Fills `out` with random bytes.
pub fn fill(out: &mut [u8]) {
    SystemRandom::new()
        .fill(out)
        .expect("the system random source works");
}

/// `N` random bytes.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    fill(&mut out);
    out
}

/// `n` random bytes as lowercase hex (`2n` characters).
pub fn hex(n: usize) -> String {
    let mut out = vec![0u8; n];
    fill(&mut out);
    out.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_each_time() {
        assert_ne!(bytes::<16>(), bytes::<16>());
        let h = hex(6);
        assert_eq!(h.len(), 12);
        assert!(
            h.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }
}
