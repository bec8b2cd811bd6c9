//! Plain words for a detected account, in the user's language: a heading
//! ("Thunderbird, alice@free.fr (prefs.js):") and "you use IMAP on
//! imap.free.fr:993 (TLS)" lines. Shared by `mailwiz detect` and the
//! wizard's welcome screen and POP/IMAP help.

use super::{DetectedAccount, DetectedProtocol};
use crate::account::{Account, Security};
use crate::discover::account_from_settings;
use crate::i18n::{Lang, t, tf};
use crate::providers;

fn security(lang: Lang, s: Security) -> &'static str {
    t(lang, &format!("discover.security.{}", s.as_str()))
}

impl DetectedAccount {
    /// Who the account is: its address, else its name in the file.
    pub fn who(&self) -> &str {
        if self.email.is_empty() {
            &self.name
        } else {
            &self.email
        }
    }

    /// The account to import into mailwiz: the client's servers; a side the
    /// file does not give comes from the address's preset when there is one,
    /// else stays empty for the user to fill in.
    pub fn to_account(&self) -> Account {
        let email = if self.email.is_empty() && self.name.contains('@') {
            self.name.as_str()
        } else {
            self.email.as_str()
        };
        let preset = providers::for_email(email).map(|p| p.account_for(email, None, None));
        let mut acct =
            account_from_settings(email, self.incoming.as_ref(), self.outgoing.as_ref(), None);
        if let Some(p) = preset {
            if self.incoming.is_none() {
                acct.incoming = p.incoming;
            }
            if self.outgoing.is_none() {
                acct.smtp = p.smtp;
            }
            acct.provider = p.provider;
        }
        acct
    }

    /// "Thunderbird, alice@free.fr (/home/alice/.thunderbird/x/prefs.js):"
    pub fn heading(&self, lang: Lang) -> String {
        let file = self.file.display().to_string();
        let client = t(lang, self.client.i18n_key());
        let who = self.who();
        let key = if who.is_empty() {
            "detect.account"
        } else {
            "detect.account_named"
        };
        tf(
            lang,
            key,
            &[("client", client), ("file", &file), ("who", who)],
        )
    }

    /// "you use IMAP on …" (or "only sends mail"), then "you send with SMTP
    /// on …" (or "no outgoing server").
    pub fn describe(&self, lang: Lang) -> Vec<String> {
        let mut lines = Vec::new();
        match &self.incoming {
            Some(i) => {
                let key = if i.username.is_empty() {
                    "detect.uses_no_login"
                } else {
                    "detect.uses"
                };
                lines.push(tf(
                    lang,
                    key,
                    &[
                        ("protocol", &i.protocol.as_str().to_uppercase()),
                        ("host", &i.host),
                        ("port", &i.port.to_string()),
                        ("security", security(lang, i.security)),
                        ("username", &i.username),
                    ],
                ));
            }
            None if self.protocol == DetectedProtocol::SmtpOnly => {
                lines.push(t(lang, "detect.smtp_only").to_string());
            }
            None => {}
        }
        match &self.outgoing {
            Some(o) => {
                let key = if o.username.is_empty() {
                    "detect.sends_no_login"
                } else {
                    "detect.sends"
                };
                lines.push(tf(
                    lang,
                    key,
                    &[
                        ("host", &o.host),
                        ("port", &o.port.to_string()),
                        ("security", security(lang, o.security)),
                        ("username", &o.username),
                    ],
                ));
            }
            None => lines.push(t(lang, "detect.no_outgoing").to_string()),
        }
        lines
    }
}
