//! Filling the form: from a built-in preset (and its variant), from a
//! discovered candidate, or with guesses from the address; and again when
//! the protocol changes.

use super::{Form, Source, input};
use crate::account::{self, Protocol, Security};
use crate::discover::Candidate;
use crate::providers::{self, Provider};

impl Form {
    /// Fills the servers from the preset for the address, or with guesses
    /// (`imap.<domain>`, `smtp.<domain>`) when no preset is known.
    pub fn apply_preset(&mut self) {
        let email = self.email().to_string();
        self.discovered = None;
        self.auth = None;
        self.source = providers::for_email(&email).map_or(Source::Manual, Source::Preset);
        if let Source::Preset(p) = self.source {
            let default = p.default_variant().id.as_str();
            self.variant = p.variants.iter().position(|v| v.id == default).unwrap_or(0);
        }
        self.refill(None);
    }

    /// Uses a built-in provider's variant (`None`: its default one).
    pub fn apply_provider(&mut self, p: &'static Provider, variant: Option<&str>) {
        let id = variant.unwrap_or(p.default_variant().id.as_str());
        self.discovered = None;
        self.auth = None;
        self.source = Source::Preset(p);
        self.variant = p.variants.iter().position(|v| v.id == id).unwrap_or(0);
        self.refill(None);
    }

    /// Uses a discovered candidate: its first incoming and first outgoing
    /// server; a part it does not give is guessed from the address.
    pub fn apply_discovered(&mut self, c: &Candidate) {
        let a = c.to_account(self.email());
        let domain = account::domain_of(self.email()).to_string();
        self.source = Source::Manual;
        self.variant = 0;
        self.auth = None;
        if c.incoming.is_empty() {
            self.protocol = Protocol::Imap;
            self.in_host = input(&format!("imap.{domain}"));
            self.in_port_typed = false;
            self.in_user = input(self.email.value().trim());
            self.set_in_security(Security::Tls);
        }
        if c.outgoing.is_empty() {
            self.out_host = input(&format!("smtp.{domain}"));
            self.out_port_typed = false;
            self.auth_required = true;
            self.same_login = true;
            self.out_user = input("");
            self.set_out_security(Security::Tls);
        }
        if !c.incoming.is_empty() {
            self.protocol = a.incoming.protocol;
            self.in_host = input(&a.incoming.host);
            self.in_port = input(&a.incoming.port.to_string());
            self.in_port_typed = false;
            self.in_security = a.incoming.security;
            self.in_user = input(&a.incoming.username);
        }
        if !c.outgoing.is_empty() {
            self.out_host = input(&a.smtp.host);
            self.out_port = input(&a.smtp.port.to_string());
            self.out_port_typed = false;
            self.out_security = a.smtp.security;
            self.auth_required = a.smtp.auth_required;
            self.same_login = a.smtp.same_password;
            self.out_user = input(&a.smtp.username);
        }
        self.discovered = Some(Box::new(c.clone()));
    }

    /// The discovered candidate's server for this protocol, when the
    /// incoming host is still one of the candidate's (not typed over).
    fn discovered_for(&self, proto: Protocol) -> Option<crate::discover::IncomingSetting> {
        let c = self.discovered.as_ref()?;
        let host = self.in_host.value().trim();
        if !c.incoming.iter().any(|s| s.host == host) {
            return None;
        }
        c.incoming.iter().find(|s| s.protocol == proto).cloned()
    }

    /// Re-applies the preset for a protocol (and the chosen variant), or,
    /// for settings entered by hand, only what depends on the protocol.
    pub fn refill(&mut self, protocol: Option<Protocol>) {
        let email = self.email().to_string();
        match self.source {
            Source::Preset(p) => {
                let a = p.account_for(&email, protocol, self.variant_id());
                self.set_servers(&a);
            }
            Source::Manual => {
                let domain = account::domain_of(&email).to_string();
                let proto = protocol.unwrap_or(self.protocol);
                self.protocol = proto;
                self.servers_for = proto;
                if let Some(s) = self.discovered_for(proto) {
                    self.in_host = input(&s.host);
                    self.in_security = s.security;
                    self.in_user = input(&s.username);
                    if !self.in_port_typed {
                        self.in_port = input(&s.port.to_string());
                    }
                    return;
                }
                let guesses = [format!("imap.{domain}"), format!("pop.{domain}")];
                let host = self.in_host.value();
                if host.is_empty() || guesses.iter().any(|g| g == host) {
                    let guess = &guesses[usize::from(proto == Protocol::Pop3)];
                    self.in_host = input(guess);
                }
                if self.out_host.value().is_empty() {
                    self.out_host = input(&format!("smtp.{domain}"));
                }
                if self.in_user.value().is_empty() {
                    self.in_user = input(&email);
                }
                if !self.in_port_typed {
                    self.in_port = input(&proto.default_port(self.in_security).to_string());
                }
            }
        }
    }
}
