//! One percent-encoder and decoder (RFC 3986) for every URL mailwiz builds
//! or reads: OAuth2 forms and redirects, autoconfig and Autodiscover
//! queries, mail-client URLs found by `detect`.

/// Encodes every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`):
/// safe as a query value, a form value and a path segment.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as
/// it is. Invalid UTF-8 becomes U+FFFD.
pub fn decode(value: &str) -> String {
    decode_bytes(value, false)
}

/// Decodes a form or query value: as [`decode`], and `+` is a space.
pub fn decode_form(value: &str) -> String {
    decode_bytes(value, true)
}

fn decode_bytes(value: &str, plus_is_space: bool) -> String {
    let b = value.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: Option<&u8>| c.and_then(|c| (*c as char).to_digit(16));
        match b[i] {
            b'%' => {
                if let (Some(hi), Some(lo)) = (hex(b.get(i + 1)), hex(b.get(i + 2))) {
                    out.push((hi * 16 + lo) as u8);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' if plus_is_space => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_leniency() {
        let v = "https://outlook.office.com/IMAP.AccessAsUser.All offline_access é+&=";
        assert_eq!(decode(&encode(v)), v);
        assert_eq!(decode_form(&encode(v)), v);
        assert_eq!(encode("dan@auto.test"), "dan%40auto.test");
        assert_eq!(decode("alice%40free.fr"), "alice@free.fr");
        assert_eq!(decode("a+b"), "a+b");
        assert_eq!(decode_form("a+b"), "a b");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%zz%41"), "%zzA");
        assert_eq!(decode("%41"), "A");
    }
}
