//! What a server's certificate says, read with a minimal DER walk (subject,
//! issuer, names, validity) plus its SHA-256 fingerprint. A certificate the
//! walk cannot read still gets its fingerprint; the other fields stay empty.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CertInfo {
    pub subject: String,
    pub sans: Vec<String>,
    pub issuer: String,
    /// `YYYY-MM-DD HH:MM:SS UTC`
    pub not_before: String,
    pub not_after: String,
    /// Lowercase hex, no separators (`account::normalize_fingerprint` form).
    pub sha256: String,
    /// The certificate itself, PEM (for the doctor's ticket file; left out
    /// of the JSON reports, where the fields above say what it holds).
    #[serde(skip)]
    pub pem: String,
}

pub fn sha256_hex(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

impl CertInfo {
    pub fn from_der(der: &[u8]) -> CertInfo {
        let mut info = parse(der).unwrap_or_default();
        info.sha256 = sha256_hex(der);
        info.pem = pem(der);
        info
    }

    /// The first DNS name, else the subject: "certificate for mail.example.test".
    pub fn main_name(&self) -> &str {
        self.sans
            .first()
            .map_or(self.subject.as_str(), String::as_str)
    }
}

/// One DER element: (tag, contents, what follows).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (t, body, rest) = tlv(input)?;
    (t == tag).then_some((body, rest))
}

const SEQ: u8 = 0x30;

fn parse(der: &[u8]) -> Option<CertInfo> {
    let (cert, _) = expect(der, SEQ)?;
    let (tbs, _) = expect(cert, SEQ)?;
    let mut rest = tbs;
    if rest.first() == Some(&0xa0) {
        rest = tlv(rest)?.2; // version
    }
    rest = tlv(rest)?.2; // serial
    rest = expect(rest, SEQ)?.1; // signature algorithm
    let (issuer, r) = expect(rest, SEQ)?;
    let (validity, r) = expect(r, SEQ)?;
    let (subject, r) = expect(r, SEQ)?;
    let (_spki, mut r) = expect(r, SEQ)?;
    let (nb_tag, nb, v) = tlv(validity)?;
    let (na_tag, na, _) = tlv(v)?;
    let mut sans = Vec::new();
    while let Some((tag, body, next)) = tlv(r) {
        if tag == 0xa3 {
            sans = subject_alt_names(body).unwrap_or_default();
        }
        r = next;
    }
    Some(CertInfo {
        subject: name(subject),
        issuer: name(issuer),
        sans,
        not_before: time(nb_tag, nb).unwrap_or_default(),
        not_after: time(na_tag, na).unwrap_or_default(),
        sha256: String::new(),
        pem: String::new(),
    })
}

/// `-----BEGIN CERTIFICATE-----`, base64 in lines of 64, the end line.
fn pem(der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// `CN=mail.example.test, O=Example`
fn name(mut rdns: &[u8]) -> String {
    let mut parts = Vec::new();
    while let Some((_, set, next)) = tlv(rdns) {
        let mut atvs = set;
        while let Some((_, atv, n2)) = tlv(atvs) {
            if let Some((oid, value_part)) = expect(atv, 0x06)
                && let Some((_, value, _)) = tlv(value_part)
            {
                let label = match oid {
                    [0x55, 0x04, 0x03] => "CN",
                    [0x55, 0x04, 0x0a] => "O",
                    [0x55, 0x04, 0x0b] => "OU",
                    [0x55, 0x04, 0x06] => "C",
                    [0x55, 0x04, 0x07] => "L",
                    [0x55, 0x04, 0x08] => "ST",
                    _ => "",
                };
                if !label.is_empty() {
                    parts.push(format!("{label}={}", super::clean_text(value)));
                }
            }
            atvs = n2;
        }
        rdns = next;
    }
    parts.join(", ")
}

fn subject_alt_names(explicit: &[u8]) -> Option<Vec<String>> {
    let (mut exts, _) = expect(explicit, SEQ)?;
    while let Some((_, ext, next)) = tlv(exts) {
        let (oid, mut r) = expect(ext, 0x06)?;
        if oid == [0x55, 0x1d, 0x11] {
            if r.first() == Some(&0x01) {
                r = tlv(r)?.2; // critical flag
            }
            let (octets, _) = expect(r, 0x04)?;
            let (mut names, _) = expect(octets, SEQ)?;
            let mut out = Vec::new();
            while let Some((tag, body, n2)) = tlv(names) {
                match (tag, body.len()) {
                    (0x82, _) => out.push(super::clean_text(body)),
                    (0x87, 4) => {
                        out.push(format!("{}.{}.{}.{}", body[0], body[1], body[2], body[3]));
                    }
                    (0x87, 16) => {
                        let mut a = [0u8; 16];
                        a.copy_from_slice(body);
                        out.push(std::net::Ipv6Addr::from(a).to_string());
                    }
                    _ => {}
                }
                names = n2;
            }
            return Some(out);
        }
        exts = next;
    }
    Some(Vec::new())
}

fn time(tag: u8, body: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(body).ok()?;
    let full = match tag {
        0x17 if s.len() >= 12 => {
            let yy: u32 = s[..2].parse().ok()?;
            format!("{}{}", if yy >= 50 { 19 } else { 20 }, s)
        }
        0x18 if s.len() >= 14 => s.to_string(),
        _ => return None,
    };
    if !full[..14].chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let f = &full;
    Some(format!(
        "{}-{}-{} {}:{}:{} UTC",
        &f[..4],
        &f[4..6],
        &f[6..8],
        &f[8..10],
        &f[10..12],
        &f[12..14]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate for mail.example.test (SAN: DNS name and
    /// 127.0.0.1), made with openssl for this test.
    const PEM: &str = include_str!("testdata/selfsigned.pem");

    fn der() -> Vec<u8> {
        let b64: String = PEM.lines().filter(|l| !l.starts_with("-----")).collect();
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap()
    }

    #[test]
    fn reads_the_fields() {
        let info = CertInfo::from_der(&der());
        assert_eq!(info.subject, "CN=mail.example.test, O=Mailwiz Test");
        assert_eq!(info.issuer, info.subject);
        assert_eq!(info.sans, vec!["mail.example.test", "127.0.0.1"]);
        assert_eq!(info.not_before, "2026-11-26 06:22:15 UTC");
        assert_eq!(info.not_after, "2036-11-23 06:22:15 UTC");
        assert_eq!(
            info.sha256,
            "c9260786f11bc140c182c91a336755def87ff6e7e9c8bc96ad4a95f1803d4f3d"
        );
        assert_eq!(info.main_name(), "mail.example.test");
    }

    #[test]
    fn garbage_still_has_a_fingerprint() {
        let info = CertInfo::from_der(b"not a certificate");
        assert_eq!(info.subject, "");
        assert_eq!(info.sha256, sha256_hex(b"not a certificate"));
        assert!(tlv(&[0x30, 0x85, 1, 2, 3, 4, 5]).is_none());
        assert!(tlv(&[0x30, 0x05, 1]).is_none());
    }

    #[test]
    fn known_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
