//! The presets against the Thunderbird ISPDB sample, and MX hosts.

use super::*;
use crate::account::{Protocol, Security};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
struct IspdbServer {
    kind: String,
    host: String,
    port: u16,
    security: Security,
    login: Option<LoginForm>,
}

fn tag<'a>(block: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = block.find(&open)? + open.len();
    let len = block[start..].find(&close)?;
    Some(block[start..start + len].trim())
}

/// The servers of an ISPDB file, in file order, by simple string search.
fn ispdb_servers(xml: &str) -> Vec<IspdbServer> {
    let mut out = Vec::new();
    for (open, close) in [
        ("<incomingServer type=\"", "</incomingServer>"),
        ("<outgoingServer type=\"", "</outgoingServer>"),
    ] {
        let mut rest = xml;
        while let Some(i) = rest.find(open) {
            rest = &rest[i + open.len()..];
            let kind = rest[..rest.find('"').unwrap()].to_string();
            let end = rest.find(close).expect("closed server element");
            let block = &rest[..end];
            let security = match tag(block, "socketType").unwrap_or("plain") {
                "SSL" => Security::Tls,
                "STARTTLS" => Security::Starttls,
                _ => Security::None,
            };
            let login = match tag(block, "username") {
                Some("%EMAILADDRESS%") => Some(LoginForm::Address),
                Some("%EMAILLOCALPART%") => Some(LoginForm::LocalPart),
                _ => None,
            };
            out.push(IspdbServer {
                kind,
                host: tag(block, "hostname")
                    .expect("hostname")
                    .to_ascii_lowercase(),
                port: tag(block, "port")
                    .expect("port")
                    .parse()
                    .expect("numeric port"),
                security,
                login,
            });
            rest = &rest[end..];
        }
    }
    out
}

fn ispdb_domains(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<domain>") {
        rest = &rest[i + "<domain>".len()..];
        let end = rest.find("</domain>").expect("closed domain");
        out.push(rest[..end].trim().to_ascii_lowercase());
        rest = &rest[end..];
    }
    out
}

/// Every provider with well-known mail exchangers: real MX host names
/// of hosted domains map to it, offline; look-alikes do not.
#[test]
fn mx_hosts_map_to_their_provider() {
    let cases = [
        ("aspmx.l.google.com", "gmail"),
        ("ALT1.ASPMX.L.GOOGLE.COM.", "gmail"),
        ("smtp.google.com", "gmail"),
        ("aspmx2.googlemail.com", "gmail"),
        ("example-com.mail.protection.outlook.com", "outlook"),
        ("hotmail-com.olc.protection.outlook.com", "outlook"),
        ("mx01.mail.icloud.com", "icloud"),
        ("in1-smtp.messagingengine.com", "fastmail"),
        ("mx.zoho.com", "zoho"),
        ("mx2.zoho.eu", "zoho_eu"),
    ];
    for (host, id) in cases {
        let got = for_mx_host(host).map(|p| p.id.as_str());
        assert_eq!(got, Some(id), "MX {host}");
    }
    for host in [
        "notgoogle.com",
        "google.com.evil.test",
        "mx.example.com",
        "",
        ".",
    ] {
        assert_eq!(for_mx_host(host).map(|p| &p.id), None, "MX {host}");
    }
    // Each provider that lists MX hosts has a case above, and no MX
    // host belongs to two providers.
    let mut seen = std::collections::BTreeMap::new();
    for p in all().iter().filter(|p| !p.mx_hosts.is_empty()) {
        assert!(cases.iter().any(|(_, id)| *id == p.id), "{}: no case", p.id);
        for m in &p.mx_hosts {
            assert_eq!(m, &m.to_ascii_lowercase(), "{}: {m}", p.id);
            assert!(seen.insert(m.clone(), p.id.clone()).is_none(), "{m} twice");
        }
    }
}

#[test]
fn presets_match_the_ispdb_sample() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ispdb"));
    assert!(dir.is_dir(), "{} is part of the repository", dir.display());
    // ISPDB file -> (provider id, the variant that mirrors the file).
    let cases = [
        ("free.fr", "free", "ssl"),
        ("gmx.net", "gmx", "default"),
        ("laposte.net", "laposte", "default"),
        ("orange.fr", "orange", "default"),
        ("sfr.fr", "sfr", "default"),
        ("t-online.de", "tonline", "default"),
        ("web.de", "webde", "default"),
        ("posteo.de", "posteo", "default"),
        ("yahoo.com", "yahoo", "default"),
        ("aol.com", "aol", "default"),
        ("zoho.eu", "zoho_eu", "default"),
        ("googlemail.com", "gmail", "default"),
        ("hotmail.com", "outlook", "default"),
    ];
    let mut checked = 0;
    for (file, id, vid) in cases {
        let path = dir.join(format!("{file}.xml"));
        let xml =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let p = by_id(id).unwrap_or_else(|| panic!("no provider {id}"));
        let v = p
            .variant(Some(vid))
            .unwrap_or_else(|| panic!("{id}: no variant {vid}"));
        let servers = ispdb_servers(&xml);
        assert!(!servers.is_empty(), "{file}: no servers found");

        // The file's own domain is ours, and every domain we claim from
        // the file's list maps to this provider.
        assert_eq!(
            for_email(&format!("x@{file}")).map(|p| p.id.as_str()),
            Some(id),
            "{file}"
        );
        for d in ispdb_domains(&xml) {
            if p.domains.contains(&d) {
                assert_eq!(
                    for_email(&format!("x@{d}")).map(|p| p.id.as_str()),
                    Some(id)
                );
            }
        }

        let has = |kind: &str, host: &str, port: u16, sec: Security| {
            servers
                .iter()
                .any(|s| s.kind == kind && s.host == host && s.port == port && s.security == sec)
        };
        // Every server of the mirroring variant is in the file...
        for s in &v.incoming {
            assert!(
                has(s.protocol.as_str(), &s.host, s.port, s.security),
                "{file}: {s:?} is not in the ISPDB file"
            );
        }
        let smtp_in_file: Vec<&SmtpPreset> = v
            .smtp
            .iter()
            .filter(|s| has("smtp", &s.host, s.port, s.security))
            .collect();
        assert_eq!(
            v.main_smtp(),
            smtp_in_file.first().copied(),
            "{file}: main SMTP server not in the ISPDB file"
        );
        // ...and the file's preferred server of each kind is ours.
        for kind in ["imap", "pop3", "smtp"] {
            let Some(first) = servers.iter().find(|s| s.kind == kind) else {
                continue;
            };
            let ours = if kind == "smtp" {
                v.main_smtp().map(|s| (s.host.as_str(), s.port, s.security))
            } else {
                let proto: Protocol = kind.parse().unwrap();
                v.incoming_for(proto)
                    .map(|s| (s.host.as_str(), s.port, s.security))
            };
            assert_eq!(
                ours,
                Some((first.host.as_str(), first.port, first.security)),
                "{file}: preferred {kind} server differs"
            );
            assert_eq!(
                first.login,
                Some(v.login),
                "{file}: {kind} login form differs"
            );
        }
        // Same login form on every server of the file.
        for s in &servers {
            assert_eq!(s.login, Some(v.login), "{file}: {s:?}");
        }
        // Password vs OAuth2 agrees with the file.
        let oauth_only = !xml.contains("password-cleartext") && xml.contains("OAuth2");
        assert_eq!(p.oauth2_only, oauth_only, "{file}: oauth2_only");
        if xml.contains("<authentication>OAuth2</authentication>") {
            assert!(
                p.auth.contains(&ProviderAuth::Oauth2),
                "{file}: OAuth2 missing"
            );
        }
        checked += 1;
    }
    eprintln!("compared {checked} presets with {}", dir.display());
}
