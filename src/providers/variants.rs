//! What a variant and a provider make of an address: the preferred
//! servers, the login, the account.

use super::{IncomingPreset, Provider, ProviderAuth, SmtpPreset, Variant};
use crate::account::{Account, AuthMethod, IncomingServer, Protocol, SecretSource, SmtpServer};
use crate::i18n::Lang;

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
            oauth2: None,
        }
    }
}
