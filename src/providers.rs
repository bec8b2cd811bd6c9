//! Built-in provider presets: the servers, login form and caveats of the
//! common mailbox providers, from `assets/providers.toml` (embedded).
//!
//! A provider owns its domains (each domain belongs to one provider only).
//! Its settings come in one or more *variants* (Free documents two: implicit
//! TLS with the local part as login, and STARTTLS with the full address);
//! most providers have a single variant called `default`. Within a variant,
//! servers are listed in order of preference; the first of a protocol is the
//! one an [`Account`] gets, the others are fallbacks a wizard may try.
//!
//! Pure data; no I/O.

use crate::account::{
    Account, AuthMethod, IncomingServer, Protocol, SecretSource, Security, SmtpServer, domain_of,
    local_part,
};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What the user types as login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginForm {
    /// The full address, `alice@example.com`.
    Address,
    /// The part before the @, `alice`.
    LocalPart,
}

impl LoginForm {
    /// The login for this address in this form.
    pub fn username(self, email: &str) -> String {
        let email = email.trim();
        match self {
            LoginForm::Address => email.to_string(),
            LoginForm::LocalPart => local_part(email).to_string(),
        }
    }
}

/// A way of signing in that the provider accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderAuth {
    /// The account's own password.
    Password,
    /// A separate password generated for mail apps (sent like a password).
    AppPassword,
    /// OAuth2 (XOAUTH2 / OAUTHBEARER).
    Oauth2,
}

/// A provider's OAuth2 endpoints (from the ISPDB's `oAuth2` element, or
/// the provider's documentation). mailwiz ships no client id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderOAuth2 {
    pub issuer: String,
    pub auth_url: String,
    pub token_url: String,
    /// The device authorization endpoint (RFC 8628), where supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_url: Option<String>,
    pub scope: String,
}

/// An incoming (IMAP or POP3) server of a preset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomingPreset {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// An outgoing (SMTP submission) server of a preset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpPreset {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// One complete set of settings of a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    /// Short description to offer the choice (only when there are several).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_fr: Option<String>,
    pub login: LoginForm,
    /// In order of preference; the first of each protocol is the main one.
    pub incoming: Vec<IncomingPreset>,
    /// In order of preference; the first is the main one.
    pub smtp: Vec<SmtpPreset>,
}

impl Variant {
    /// The preferred server of this protocol, if the variant offers it.
    pub fn incoming_for(&self, protocol: Protocol) -> Option<&IncomingPreset> {
        self.incoming.iter().find(|s| s.protocol == protocol)
    }

    /// Every server of this protocol, preferred first.
    pub fn incoming_all(&self, protocol: Protocol) -> impl Iterator<Item = &IncomingPreset> {
        self.incoming.iter().filter(move |s| s.protocol == protocol)
    }

    /// Whether this variant has a server of this protocol.
    pub fn offers(&self, protocol: Protocol) -> bool {
        self.incoming_for(protocol).is_some()
    }

    /// The protocol used when none is asked for: IMAP if offered, else POP3.
    pub fn default_protocol(&self) -> Protocol {
        if self.offers(Protocol::Imap) {
            Protocol::Imap
        } else {
            Protocol::Pop3
        }
    }

    /// The preferred SMTP server.
    pub fn main_smtp(&self) -> Option<&SmtpPreset> {
        self.smtp.first()
    }

    /// The label in this language, if the variant has one.
    pub fn label(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.label_en.as_deref(),
            Lang::Fr => self.label_fr.as_deref().or(self.label_en.as_deref()),
        }
    }
}

/// A mailbox provider and what it takes to use it from a mail app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Stable id, stored in the account (`provider = "free"`).
    pub id: String,
    pub name: String,
    /// Lower-case mail domains served by this provider.
    pub domains: Vec<String>,
    /// Sign-in methods the provider accepts for IMAP/POP3/SMTP.
    pub auth: Vec<ProviderAuth>,
    /// Password sign-in is refused: only OAuth2 works.
    #[serde(default)]
    pub oauth2_only: bool,
    /// Host names (or parent domains) of the provider's mail exchangers:
    /// a domain whose MX is one of them is hosted here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx_hosts: Vec<String>,
    /// The provider's page with the official settings (https).
    pub help_url: String,
    /// Where app passwords are explained or created, when they are needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_password_url: Option<String>,
    pub notes_en: String,
    pub notes_fr: String,
    /// OAuth2 endpoints, for providers that accept OAuth2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<ProviderOAuth2>,
    /// Id of the variant used when none is asked for (else the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_variant: Option<String>,
    /// Special folder names, and whether the server files sent mail itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folders: Option<crate::export::PresetFolders>,
    pub variants: Vec<Variant>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    providers: Vec<Provider>,
}

const PROVIDERS_TOML: &str = include_str!("../assets/providers.toml");

fn parse(text: &str) -> Result<Vec<Provider>, toml::de::Error> {
    toml::from_str::<Catalog>(text).map(|c| c.providers)
}

/// Every built-in provider, in file order.
pub fn all() -> &'static [Provider] {
    static ALL: OnceLock<Vec<Provider>> = OnceLock::new();
    ALL.get_or_init(|| {
        // The file is embedded and checked by the tests below.
        parse(PROVIDERS_TOML).unwrap_or_else(|e| panic!("assets/providers.toml is invalid: {e}"))
    })
}

/// The provider with this id.
pub fn by_id(id: &str) -> Option<&'static Provider> {
    all().iter().find(|p| p.id == id)
}

/// The provider serving this address's domain (case-insensitive).
pub fn for_email(email: &str) -> Option<&'static Provider> {
    let domain = domain_of(email.trim()).trim_end_matches('.');
    if domain.is_empty() {
        return None;
    }
    all().iter().find(|p| p.serves(domain))
}

/// The provider whose mail exchangers include this MX host: the host is one
/// of its `mx_hosts`, or under one (`alt1.aspmx.l.google.com` under
/// `google.com`). Case-insensitive; a trailing dot is ignored.
pub fn for_mx_host(host: &str) -> Option<&'static Provider> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    all().iter().find(|p| {
        p.mx_hosts.iter().any(|m| {
            host == *m
                || host
                    .strip_suffix(m.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    })
}

impl Provider {
    /// Whether this provider serves this domain (case-insensitive).
    pub fn serves(&self, domain: &str) -> bool {
        let domain = domain.trim().trim_end_matches('.');
        self.domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
    }

    /// The notes in this language.
    pub fn notes(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.notes_en,
            Lang::Fr => &self.notes_fr,
        }
    }

    /// The variant used when none is asked for.
    pub fn default_variant(&self) -> &Variant {
        self.default_variant
            .as_deref()
            .and_then(|id| self.variants.iter().find(|v| v.id == id))
            .or_else(|| self.variants.first())
            .expect("every provider has at least one variant (checked by tests)")
    }

    /// A variant by id; `None` asks for the default one. An unknown id gives
    /// `None`.
    pub fn variant(&self, id: Option<&str>) -> Option<&Variant> {
        match id {
            None => Some(self.default_variant()),
            Some(id) => self.variants.iter().find(|v| v.id == id),
        }
    }

    /// Password sign-in does not work, but an app password does.
    pub fn needs_app_password(&self) -> bool {
        !self.oauth2_only
            && self.auth.contains(&ProviderAuth::AppPassword)
            && !self.auth.contains(&ProviderAuth::Password)
    }

    /// The account-level auth method for this provider: OAuth2 when it is
    /// the only way in, else a password (possibly an app password).
    pub fn auth_method(&self) -> AuthMethod {
        if self.oauth2_only {
            AuthMethod::Oauth2
        } else {
            AuthMethod::Password
        }
    }

    /// A complete account for this address with this provider's settings.
    ///
    /// `variant`: a variant id, `None` for the default variant; an unknown id
    /// also falls back to the default variant. `protocol`: `None` for IMAP if
    /// offered, else POP3; a protocol the variant does not offer also falls
    /// back to that default (check [`Variant::offers`] first to tell the
    /// user). The SMTP login is the incoming login, with the same password.
    pub fn account_for(
        &self,
        email: &str,
        protocol: Option<Protocol>,
        variant: Option<&str>,
    ) -> Account {
        let email = email.trim();
        let v = self
            .variant(variant)
            .unwrap_or_else(|| self.default_variant());
        let incoming = protocol
            .and_then(|p| v.incoming_for(p))
            .or_else(|| v.incoming_for(v.default_protocol()))
            .expect("every variant has an incoming server (checked by tests)");
        let smtp = v
            .main_smtp()
            .expect("every variant has an SMTP server (checked by tests)");
        let username = v.login.username(email);
        let auth = self.auth_method();
        Account {
            name: email.to_string(),
            email: email.to_string(),
            display_name: String::new(),
            provider: Some(self.id.clone()),
            incoming: IncomingServer {
                protocol: incoming.protocol,
                host: incoming.host.clone(),
                port: incoming.port,
                security: incoming.security,
                username: username.clone(),
                auth,
                keep_on_server: true,
                pinned_sha256: None,
            },
            smtp: SmtpServer {
                host: smtp.host.clone(),
                port: smtp.port,
                security: smtp.security,
                auth_required: true,
                username,
                same_password: true,
                pinned_sha256: None,
            },
            ca_file: None,
            secrets: SecretSource::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::validate_host;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

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
            if p.auth.contains(&ProviderAuth::AppPassword)
                && !p.auth.contains(&ProviderAuth::Password)
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

    #[test]
    fn lookup_by_email() {
        assert_eq!(
            for_email("Alice@FREE.fr").map(|p| p.id.as_str()),
            Some("free")
        );
        assert_eq!(
            for_email("  bob@Wanadoo.FR ").map(|p| p.id.as_str()),
            Some("orange")
        );
        assert_eq!(for_email("c@neuf.fr").map(|p| p.id.as_str()), Some("sfr"));
        assert_eq!(
            for_email("c@cegetel.net").map(|p| p.id.as_str()),
            Some("sfr")
        );
        assert_eq!(
            for_email("c@club-internet.fr").map(|p| p.id.as_str()),
            Some("sfr")
        );
        assert_eq!(
            for_email("d@googlemail.com").map(|p| p.id.as_str()),
            Some("gmail")
        );
        assert_eq!(
            for_email("e@ymail.com").map(|p| p.id.as_str()),
            Some("yahoo")
        );
        assert_eq!(for_email("f@me.com").map(|p| p.id.as_str()), Some("icloud"));
        assert_eq!(for_email("g@gmx.de").map(|p| p.id.as_str()), Some("gmx"));
        assert_eq!(
            for_email("g@gmx.fr").map(|p| p.id.as_str()),
            Some("gmx_com")
        );
        assert_eq!(
            for_email("h@zohomail.eu").map(|p| p.id.as_str()),
            Some("zoho_eu")
        );
        assert_eq!(
            for_email("i@magenta.de").map(|p| p.id.as_str()),
            Some("tonline")
        );
        assert!(for_email("someone@example.com").is_none());
        assert!(for_email("free.fr").is_none());
        assert!(for_email("").is_none());
        // Only exact domains: no sub-domain or look-alike matches.
        assert!(for_email("a@mail.free.fr").is_none());
        assert!(for_email("a@notfree.fr").is_none());
        assert_eq!(by_id("free").map(|p| p.name.as_str()), Some("Free"));
        assert!(by_id("Free").is_none());
    }

    #[test]
    fn account_for_uses_the_login_form() {
        let p = free();
        let a = p.account_for("alice@free.fr", None, None);
        assert_eq!(a.name, "alice@free.fr");
        assert_eq!(a.email, "alice@free.fr");
        assert_eq!(a.display_name, "");
        assert_eq!(a.provider.as_deref(), Some("free"));
        assert_eq!(a.incoming.protocol, Protocol::Imap);
        assert_eq!(
            (a.incoming.host.as_str(), a.incoming.port),
            ("imap.free.fr", 993)
        );
        assert_eq!(a.incoming.security, Security::Tls);
        assert_eq!(a.incoming.username, "alice");
        assert_eq!(a.incoming.auth, AuthMethod::Password);
        assert_eq!((a.smtp.host.as_str(), a.smtp.port), ("smtp.free.fr", 465));
        assert!(a.smtp.auth_required && a.smtp.same_password);
        assert_eq!(a.smtp.username, "alice");

        let a = p.account_for("alice@free.fr", Some(Protocol::Imap), Some("starttls"));
        assert_eq!(
            (a.incoming.port, a.incoming.security),
            (143, Security::Starttls)
        );
        assert_eq!(a.incoming.username, "alice@free.fr");
        assert_eq!((a.smtp.port, a.smtp.security), (587, Security::Starttls));
        assert_eq!(a.smtp.username, "alice@free.fr");

        let a = p.account_for("alice@free.fr", Some(Protocol::Pop3), Some("ssl"));
        assert_eq!(a.incoming.protocol, Protocol::Pop3);
        assert_eq!(
            (a.incoming.host.as_str(), a.incoming.port),
            ("pop.free.fr", 995)
        );
        assert!(a.incoming.keep_on_server);

        // POP3 with the STARTTLS variant: Free's POP server, full address.
        let v = p.variant(Some("starttls")).unwrap();
        assert!(v.offers(Protocol::Pop3));
        let a = p.account_for("alice@free.fr", Some(Protocol::Pop3), Some("starttls"));
        assert_eq!(
            (
                a.incoming.protocol,
                a.incoming.host.as_str(),
                a.incoming.port
            ),
            (Protocol::Pop3, "pop.free.fr", 995)
        );
        assert_eq!(a.incoming.username, "alice@free.fr");
        // An unknown variant falls back to the default one.
        let a = p.account_for("alice@free.fr", None, Some("nope"));
        assert_eq!(a.incoming.port, 993);

        let a = by_id("gmail")
            .unwrap()
            .account_for(" bob@gmail.com ", None, None);
        assert_eq!(a.email, "bob@gmail.com");
        assert_eq!(a.incoming.username, "bob@gmail.com");
        assert_eq!(a.smtp.username, "bob@gmail.com");
        let a = by_id("webde")
            .unwrap()
            .account_for("carl@web.de", None, None);
        assert_eq!(a.incoming.username, "carl");
        // iCloud has no POP3.
        let a = by_id("icloud")
            .unwrap()
            .account_for("d@icloud.com", Some(Protocol::Pop3), None);
        assert_eq!(a.incoming.protocol, Protocol::Imap);
    }

    #[test]
    fn every_preset_gives_a_valid_account() {
        for p in all() {
            let email = format!("user.name@{}", p.domains[0]);
            for v in &p.variants {
                for proto in [None, Some(Protocol::Imap), Some(Protocol::Pop3)] {
                    let a = p.account_for(&email, proto, Some(&v.id));
                    assert_eq!(a.validate(), vec![], "{}/{}/{proto:?}", p.id, v.id);
                    if let Some(proto) = proto
                        && v.offers(proto)
                    {
                        assert_eq!(a.incoming.protocol, proto);
                    }
                    assert_eq!(a.incoming.username, v.login.username(&email));
                    assert_eq!(a.smtp.username, a.incoming.username);
                }
            }
        }
    }

    // ---- comparison with the Thunderbird ISPDB sample ------------------

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
            let xml = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
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
                servers.iter().any(|s| {
                    s.kind == kind && s.host == host && s.port == port && s.security == sec
                })
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
}
