//! The catalog is consistent: parsed, ids, variants, hosts, domains, notes.

use super::*;
use crate::account::{AuthMethod, Protocol, Security, validate_host};
use crate::i18n::Lang;
use std::collections::{BTreeMap, BTreeSet};

fn free() -> &'static Provider {
    by_id("free").expect("free preset")
}

#[test]
fn every_entry_parses() {
    let parsed = parse(PROVIDERS_TOML).expect("assets/providers.toml parses");
    assert!(parsed.len() >= 17, "only {} providers", parsed.len());
    assert_eq!(parsed.len(), all().len());
    for id in [
        "free", "orange", "sfr", "laposte", "bouygues", "gmail", "yahoo", "outlook", "icloud",
        "gmx", "gmx_com", "fastmail", "aol", "zoho", "zoho_eu", "posteo", "webde", "tonline",
    ] {
        assert!(by_id(id).is_some(), "missing provider {id}");
    }
    // Serialising and reading back gives the same data.
    for p in all() {
        let text = toml::to_string(p).expect("serialises");
        let back: Provider = toml::from_str(&text).expect("reads back");
        assert_eq!(&back, p);
    }
}

#[test]
fn ids_and_variants_are_consistent() {
    let mut ids = BTreeSet::new();
    for p in all() {
        assert!(ids.insert(p.id.as_str()), "duplicate id {}", p.id);
        assert!(!p.name.trim().is_empty(), "{}: empty name", p.id);
        assert!(!p.domains.is_empty(), "{}: no domains", p.id);
        assert!(!p.auth.is_empty(), "{}: no auth method", p.id);
        assert!(!p.variants.is_empty(), "{}: no variants", p.id);
        let mut vids = BTreeSet::new();
        for v in &p.variants {
            assert!(
                vids.insert(v.id.as_str()),
                "{}: duplicate variant {}",
                p.id,
                v.id
            );
            assert!(
                !v.incoming.is_empty(),
                "{}/{}: no incoming server",
                p.id,
                v.id
            );
            assert!(!v.smtp.is_empty(), "{}/{}: no SMTP server", p.id, v.id);
            if p.variants.len() > 1 {
                assert!(
                    v.label_en.is_some() && v.label_fr.is_some(),
                    "{}/{}: label",
                    p.id,
                    v.id
                );
            }
        }
        if let Some(d) = &p.default_variant {
            assert!(
                vids.contains(d.as_str()),
                "{}: unknown default variant {d}",
                p.id
            );
        }
        if p.oauth2_only {
            assert_eq!(p.auth, vec![ProviderAuth::Oauth2], "{}: oauth2_only", p.id);
        }
        // Every provider accepting OAuth2 has its endpoints, over https.
        assert_eq!(
            p.auth.contains(&ProviderAuth::Oauth2),
            p.oauth2.is_some(),
            "{}: oauth2 endpoints",
            p.id
        );
        if let Some(o) = &p.oauth2 {
            for url in [Some(&o.auth_url), Some(&o.token_url), o.device_url.as_ref()]
                .into_iter()
                .flatten()
            {
                assert!(url.starts_with("https://"), "{}: {url}", p.id);
            }
            assert!(!o.scope.trim().is_empty(), "{}: oauth2 scope", p.id);
        }
    }
}

/// Port and security agree: 993/143 IMAP, 995/110 POP3, 465/587/25 SMTP.
fn incoming_consistent(s: &IncomingPreset) -> bool {
    match (s.protocol, s.port) {
        (Protocol::Imap, 993) | (Protocol::Pop3, 995) => s.security == Security::Tls,
        (Protocol::Imap, 143) | (Protocol::Pop3, 110) => s.security != Security::Tls,
        _ => false,
    }
}

fn smtp_consistent(s: &SmtpPreset) -> bool {
    match s.port {
        465 => s.security == Security::Tls,
        587 | 25 => s.security != Security::Tls,
        _ => false,
    }
}

#[test]
fn hosts_and_ports_are_valid() {
    for p in all() {
        for v in &p.variants {
            for s in &v.incoming {
                assert_eq!(
                    validate_host(&s.host),
                    Ok(()),
                    "{}/{}: {}",
                    p.id,
                    v.id,
                    s.host
                );
                assert_ne!(s.port, 0, "{}/{}: {}", p.id, v.id, s.host);
                assert!(incoming_consistent(s), "{}/{}: {s:?}", p.id, v.id);
                // No preset sends a password in clear.
                assert_ne!(s.security, Security::None, "{}/{}: {s:?}", p.id, v.id);
            }
            for s in &v.smtp {
                assert_eq!(
                    validate_host(&s.host),
                    Ok(()),
                    "{}/{}: {}",
                    p.id,
                    v.id,
                    s.host
                );
                assert_ne!(s.port, 0, "{}/{}: {}", p.id, v.id, s.host);
                assert!(smtp_consistent(s), "{}/{}: {s:?}", p.id, v.id);
                assert_ne!(s.security, Security::None, "{}/{}: {s:?}", p.id, v.id);
            }
        }
    }
}

#[test]
fn domains_are_unique_and_lower_case() {
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    for p in all() {
        for d in &p.domains {
            assert_eq!(d, &d.to_ascii_lowercase(), "{}: {d} not lower-case", p.id);
            assert!(
                d.contains('.') && validate_host(d).is_ok(),
                "{}: bad domain {d}",
                p.id
            );
            if let Some(other) = owner.insert(d, &p.id) {
                panic!("domain {d} is in both {other} and {}", p.id);
            }
        }
    }
}

#[test]
fn notes_and_urls() {
    for p in all() {
        for lang in [Lang::En, Lang::Fr] {
            assert!(
                !p.notes(lang).trim().is_empty(),
                "{}: notes in {lang:?}",
                p.id
            );
        }
        assert_ne!(p.notes_en, p.notes_fr, "{}: notes not translated", p.id);
        assert!(
            p.help_url.starts_with("https://"),
            "{}: {}",
            p.id,
            p.help_url
        );
        if let Some(u) = &p.app_password_url {
            assert!(u.starts_with("https://"), "{}: {u}", p.id);
        }
        if p.auth.contains(&ProviderAuth::AppPassword) && !p.auth.contains(&ProviderAuth::Password)
        {
            assert!(p.needs_app_password() || p.oauth2_only);
        }
    }
}

#[test]
fn outlook_is_oauth2_only() {
    let p = for_email("someone@hotmail.com").expect("hotmail");
    assert_eq!(p.id, "outlook");
    assert!(p.oauth2_only);
    assert!(!p.needs_app_password());
    let a = p.account_for("someone@hotmail.com", None, None);
    assert_eq!(a.incoming.auth, AuthMethod::Oauth2);
    for email in ["a@outlook.fr", "a@live.com", "a@msn.com"] {
        assert_eq!(
            for_email(email).map(|p| p.id.as_str()),
            Some("outlook"),
            "{email}"
        );
    }
    // Everyone else takes a password (or an app password).
    for p in all().iter().filter(|p| p.id != "outlook") {
        assert!(!p.oauth2_only, "{}", p.id);
        assert_eq!(p.auth_method(), AuthMethod::Password, "{}", p.id);
    }
    assert!(by_id("gmail").unwrap().needs_app_password());
    assert!(by_id("icloud").unwrap().needs_app_password());
    assert!(!by_id("free").unwrap().needs_app_password());
}

#[test]
fn free_variants_are_exactly_these() {
    let p = free();
    let ids: Vec<&str> = p.variants.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["ssl", "starttls"]);
    assert_eq!(p.default_variant().id, "ssl");

    let ssl = p.variant(Some("ssl")).unwrap();
    assert_eq!(ssl.login, LoginForm::LocalPart);
    assert_eq!(
        ssl.incoming,
        vec![
            IncomingPreset {
                protocol: Protocol::Imap,
                host: "imap.free.fr".into(),
                port: 993,
                security: Security::Tls,
            },
            IncomingPreset {
                protocol: Protocol::Pop3,
                host: "pop.free.fr".into(),
                port: 995,
                security: Security::Tls,
            },
        ]
    );
    assert_eq!(
        ssl.smtp,
        vec![SmtpPreset {
            host: "smtp.free.fr".into(),
            port: 465,
            security: Security::Tls
        }]
    );

    let st = p.variant(Some("starttls")).unwrap();
    assert_eq!(st.login, LoginForm::Address);
    // POP is Free's POP server whichever variant (issue 13 item 14).
    assert_eq!(
        st.incoming,
        vec![
            IncomingPreset {
                protocol: Protocol::Imap,
                host: "imap.free.fr".into(),
                port: 143,
                security: Security::Starttls,
            },
            IncomingPreset {
                protocol: Protocol::Pop3,
                host: "pop.free.fr".into(),
                port: 995,
                security: Security::Tls,
            },
        ]
    );
    assert_eq!(
        st.smtp,
        vec![SmtpPreset {
            host: "smtp.free.fr".into(),
            port: 587,
            security: Security::Starttls,
        }]
    );
    assert!(p.variant(Some("nope")).is_none());
    for lang in [Lang::En, Lang::Fr] {
        assert!(ssl.label(lang).is_some() && st.label(lang).is_some());
    }
}
