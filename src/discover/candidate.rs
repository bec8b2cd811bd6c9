//! A candidate: one complete set of settings from one source, with its
//! provenance, and how it becomes an [`Account`].

use super::clientconfig::{ClientConfig, ServerConfig, SkippedServer, fill_placeholders};
use super::{ServerSide, SkipReason, Source};
use crate::account::{
    Account, AuthMethod, IncomingServer, Protocol, SecretSource, Security, SmtpServer,
    validate_host, validate_text,
};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncomingSetting {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    /// clientConfig `authentication` values, verbatim (`password-cleartext`,
    /// `OAuth2`, …); empty when the source does not say.
    pub auth: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutgoingSetting {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub auth: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub source: Source,
    /// The URL or DNS name the settings came from (`preset:<id>` for presets).
    pub origin: String,
    /// The settings came over an authenticated channel (built in, https, or
    /// servers that proved their name with a certificate).
    pub secure: bool,
    /// In the order the source gave them.
    pub incoming: Vec<IncomingSetting>,
    pub outgoing: Vec<OutgoingSetting>,
    /// The built-in provider id, for presets (not in the JSON).
    #[serde(skip)]
    pub provider: Option<String>,
    /// Servers of the source's document that were left out, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedServer>,
}

impl Candidate {
    /// Lower is better: preset, ISPDB, https autoconfig; SRV; MX; guess;
    /// plain-http autoconfig.
    pub fn rank(&self) -> u8 {
        match (self.source, self.secure) {
            (Source::Preset, _) => 0,
            (Source::Ispdb, _) => 1,
            (Source::Autoconfig, true) => 2,
            (Source::Autodiscover, _) => 3,
            (Source::Srv, _) => 4,
            (Source::Mx, _) => 5,
            (Source::Guess, _) => 6,
            (Source::Autoconfig, false) => 7,
        }
    }

    /// A top-priority answer: nothing can outrank it, so the run may stop.
    pub fn is_top(&self) -> bool {
        self.rank() <= 2 && self.is_usable()
    }

    /// It has an incoming server and an outgoing one.
    pub fn is_usable(&self) -> bool {
        !self.incoming.is_empty() && !self.outgoing.is_empty()
    }

    /// The settings of a clientConfig for this address: imap/pop3 incoming
    /// servers and smtp outgoing ones, in file order, placeholders filled.
    pub fn from_client_config(
        cfg: &ClientConfig,
        email: &str,
        source: Source,
        origin: &str,
        secure: bool,
    ) -> Candidate {
        let mut c = Candidate {
            source,
            origin: origin.to_string(),
            secure,
            incoming: Vec::new(),
            outgoing: Vec::new(),
            provider: None,
            skipped: cfg.skipped.clone(),
        };
        for p in &cfg.providers {
            for s in &p.incoming {
                let protocol = match s.kind.as_str() {
                    "imap" => Protocol::Imap,
                    "pop3" => Protocol::Pop3,
                    _ => continue,
                };
                let username = username(s, email);
                if let Some(skip) = unacceptable(s, &username, ServerSide::Incoming) {
                    c.skipped.push(skip);
                    continue;
                }
                c.incoming.push(IncomingSetting {
                    protocol,
                    host: s.hostname.clone(),
                    port: s.port,
                    security: s.socket_type.security(),
                    username,
                    auth: s.authentication.clone(),
                });
            }
            for s in p
                .outgoing
                .iter()
                .filter(|s| s.kind == "smtp" || s.kind.is_empty())
            {
                let username = username(s, email);
                if let Some(skip) = unacceptable(s, &username, ServerSide::Outgoing) {
                    c.skipped.push(skip);
                    continue;
                }
                c.outgoing.push(OutgoingSetting {
                    host: s.hostname.clone(),
                    port: s.port,
                    security: s.socket_type.security(),
                    username,
                    auth: s.authentication.clone(),
                });
            }
        }
        c
    }

    /// An account for this address from these settings: the first
    /// incoming server and the first outgoing one, as the source ordered
    /// them. A candidate without one of them gives a blank there (the
    /// account then fails validation, which tells the user what to fill).
    pub fn to_account(&self, email: &str) -> Account {
        account_from_settings(
            email,
            self.incoming.first(),
            self.outgoing.first(),
            self.provider.clone(),
        )
    }
}

/// An account from one incoming and one outgoing setting (either may be
/// missing: its host is then empty, for the user to fill in).
pub fn account_from_settings(
    email: &str,
    incoming: Option<&IncomingSetting>,
    outgoing: Option<&OutgoingSetting>,
    provider: Option<String>,
) -> Account {
    {
        let email = email.trim();
        let in_user = incoming.map_or_else(|| email.to_string(), |s| s.username.clone());
        let out_user = outgoing.map_or_else(|| in_user.clone(), |s| s.username.clone());
        let out_auth = outgoing.map(|s| s.auth.as_slice()).unwrap_or_default();
        Account {
            name: email.to_string(),
            email: email.to_string(),
            display_name: String::new(),
            provider,
            incoming: IncomingServer {
                protocol: incoming.map_or(Protocol::Imap, |s| s.protocol),
                host: incoming.map(|s| s.host.clone()).unwrap_or_default(),
                port: incoming.map_or(0, |s| s.port),
                security: incoming.map_or(Security::Tls, |s| s.security),
                username: in_user.clone(),
                auth: auth_method(incoming.map(|s| s.auth.as_slice()).unwrap_or_default()),
                keep_on_server: true,
                pinned_sha256: None,
            },
            smtp: SmtpServer {
                host: outgoing.map(|s| s.host.clone()).unwrap_or_default(),
                port: outgoing.map_or(0, |s| s.port),
                security: outgoing.map_or(Security::Starttls, |s| s.security),
                auth_required: auth_method(out_auth) != AuthMethod::None,
                same_password: out_user == in_user,
                username: out_user,
                pinned_sha256: None,
            },
            ca_file: None,
            secrets: SecretSource::default(),
            oauth2: None,
        }
    }
}

/// A server from a document passes the same checks as typed settings: a
/// host name (or IP) and a login without control characters. A server
/// that fails is skipped like one of an unknown type (Thunderbird's
/// `readFromXML` does the same), so it can never reach an account or an
/// exported file; a document whose servers all fail gives no candidate.
fn unacceptable(s: &ServerConfig, username: &str, side: ServerSide) -> Option<SkippedServer> {
    let bad = if validate_host(&s.hostname).is_err() {
        &s.hostname
    } else if validate_text(username).is_err() {
        username
    } else {
        return None;
    };
    Some(SkippedServer {
        side,
        kind: s.kind.clone(),
        reason: SkipReason::UnsafeValue(bad.to_string()),
    })
}

fn username(s: &ServerConfig, email: &str) -> String {
    fill_placeholders(s.username.as_deref().unwrap_or("%EMAILADDRESS%"), email)
}

/// A password when one is accepted, else OAuth2, else no login at all.
pub(crate) fn auth_method(auth: &[String]) -> AuthMethod {
    let has = |p: &str| auth.iter().any(|a| a.to_ascii_lowercase().starts_with(p));
    if auth.is_empty() || has("password") {
        AuthMethod::Password
    } else if has("oauth2") {
        AuthMethod::Oauth2
    } else if auth.iter().all(|a| {
        let a = a.to_ascii_lowercase();
        a == "none" || a == "client-ip-address" || a == "smtp-after-pop"
    }) {
        AuthMethod::None
    } else {
        AuthMethod::Password
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_methods() {
        let v = |x: &[&str]| {
            x.iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            auth_method(&v(&["OAuth2", "password-cleartext"])),
            AuthMethod::Password
        );
        assert_eq!(auth_method(&v(&["OAuth2"])), AuthMethod::Oauth2);
        assert_eq!(auth_method(&v(&["none"])), AuthMethod::None);
        assert_eq!(auth_method(&v(&["client-IP-address"])), AuthMethod::None);
        assert_eq!(auth_method(&v(&[])), AuthMethod::Password);
        assert_eq!(auth_method(&v(&["GSSAPI"])), AuthMethod::Password);
    }

    #[test]
    fn servers_with_hostile_logins_or_hosts_are_skipped() {
        let doc = |user: &str, host: &str| {
            format!(
                "<clientConfig><emailProvider id='d'><incomingServer type='imap'>\
                <hostname>{host}</hostname><port>993</port><socketType>SSL</socketType>\
                <username>{user}</username></incomingServer><outgoingServer type='smtp'>\
                <hostname>{host}</hostname><port>465</port><socketType>SSL</socketType>\
                <username>{user}</username></outgoingServer></emailProvider></clientConfig>"
            )
        };
        let read = |xml: &str| {
            let cfg = super::super::clientconfig::parse(xml).unwrap();
            Candidate::from_client_config(&cfg, "bob@example.test", Source::Ispdb, "u", false)
        };
        for (user, host) in [
            ("bob&#10;eval touch /tmp/x #", "mail.example.test"),
            ("bob&#13;x", "mail.example.test"),
            ("bob&#27;[2J", "mail.example.test"),
            ("%EMAILADDRESS%", "mail.example.test&#10;eval x"),
            ("%EMAILADDRESS%", "mail example.test"),
        ] {
            let c = read(&doc(user, host));
            assert!(
                c.incoming.is_empty() && c.outgoing.is_empty(),
                "{user:?} {host:?}: {c:?}"
            );
            assert!(!c.is_usable());
        }
        // Printable oddities are a login like any other: the exports quote them.
        let c = read(&doc("`id` $(x) 'q'", "mail.example.test"));
        assert_eq!(c.incoming[0].username, "`id` $(x) 'q'");
        assert!(c.to_account("bob@example.test").validate().is_empty());
    }

    #[test]
    fn account_from_iij_sample() {
        let xml = "<clientConfig><emailProvider id='d'><incomingServer type='pop3'>\
            <hostname>mbox.iij4u.or.jp</hostname><port>110</port><socketType>STARTTLS</socketType>\
            <username>%EMAILLOCALPART%.%EMAILDOMAIN%</username><authentication>password-encrypted</authentication>\
            </incomingServer><outgoingServer type='smtp'><hostname>mbox.iij4u.or.jp</hostname><port>587</port>\
            <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer>\
            </emailProvider></clientConfig>";
        let cfg = super::super::clientconfig::parse(xml).unwrap();
        let c = Candidate::from_client_config(&cfg, "bob@dd.iij4u.or.jp", Source::Ispdb, "u", true);
        let a = c.to_account("bob@dd.iij4u.or.jp");
        assert_eq!(a.incoming.protocol, Protocol::Pop3);
        assert_eq!(a.incoming.username, "bob.dd.iij4u.or.jp");
        assert_eq!(a.incoming.security, Security::Starttls);
        assert_eq!(a.smtp.username, "bob@dd.iij4u.or.jp");
        assert!(!a.smtp.same_password);
        assert!(a.smtp.auth_required);
        assert!(a.validate().is_empty(), "{:?}", a.validate());
    }
}
