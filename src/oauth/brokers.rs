//! Token brokers: programs terminal users already run to hold OAuth2
//! tokens, so nobody needs a client id of mailwiz's own (issue 15 §2).
//! Two kinds: those that print a current access token (oama, pizauth),
//! used as the account's `token_command`; and local IMAP/SMTP proxies
//! that do the OAuth2 themselves (email-oauth2-proxy, DavMail), used as a
//! plain server on 127.0.0.1. Which are installed is looked up on the
//! `PATH` the face gives; each recipe is checked before it is saved (the
//! command must print a token, and the check signs in with it).

use crate::export::quote::shell_word;
use serde::Serialize;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum BrokerKind {
    Oama,
    Pizauth,
    EmailOauth2Proxy,
    Davmail,
}

/// How mailwiz uses a broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Recipe {
    /// The account's `token_command` (`--oauth-token-command`).
    TokenCommand { command: String },
    /// A password account on a local proxy: IMAP and SMTP on 127.0.0.1,
    /// without TLS (loopback only), with the proxy's own password.
    LocalProxy { imap_port: u16, smtp_port: u16 },
}

impl BrokerKind {
    pub const ALL: [BrokerKind; 4] = [
        BrokerKind::Oama,
        BrokerKind::Pizauth,
        BrokerKind::EmailOauth2Proxy,
        BrokerKind::Davmail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BrokerKind::Oama => "oama",
            BrokerKind::Pizauth => "pizauth",
            BrokerKind::EmailOauth2Proxy => "email-oauth2-proxy",
            BrokerKind::Davmail => "davmail",
        }
    }

    /// The executable's name on PATH.
    pub fn program(self) -> &'static str {
        match self {
            BrokerKind::EmailOauth2Proxy => "emailproxy",
            other => other.as_str(),
        }
    }

    /// What to use for the account of `email` (pizauth's account is named
    /// after the address, as its documentation's examples do).
    pub fn recipe(self, email: &str) -> Recipe {
        let word = shell_word(email);
        match self {
            BrokerKind::Oama => Recipe::TokenCommand {
                command: format!("oama access {word}"),
            },
            BrokerKind::Pizauth => Recipe::TokenCommand {
                command: format!("pizauth show {word}"),
            },
            // The ports of the proxies' sample configurations.
            BrokerKind::EmailOauth2Proxy => Recipe::LocalProxy {
                imap_port: 1993,
                smtp_port: 1587,
            },
            BrokerKind::Davmail => Recipe::LocalProxy {
                imap_port: 1143,
                smtp_port: 1025,
            },
        }
    }
}

/// An installed broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broker {
    pub kind: BrokerKind,
    pub path: PathBuf,
}

fn executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The brokers found in the folders of `path` (a `PATH` value), in the
/// order of [`BrokerKind::ALL`].
pub fn detect(path: &OsStr) -> Vec<Broker> {
    let dirs: Vec<PathBuf> = std::env::split_paths(path).take(256).collect();
    BrokerKind::ALL
        .iter()
        .filter_map(|kind| {
            let found = dirs
                .iter()
                .map(|d| d.join(kind.program()))
                .find(|p| executable(p))?;
            Some(Broker {
                kind: *kind,
                path: found,
            })
        })
        .collect()
}

static INSTALLED: OnceLock<Vec<Broker>> = OnceLock::new();

/// Records the brokers found on the face's PATH (once).
pub fn install(found: Vec<Broker>) {
    let _ = INSTALLED.set(found);
}

/// The brokers the face found (none when it looked for none).
pub fn installed() -> &'static [Broker] {
    INSTALLED.get_or_init(Vec::new)
}

/// Runs a token command once: it must print a token (bounded, as every
/// password command). The token is dropped here; only whether it worked.
pub fn try_command(command: &str) -> Result<(), super::OauthError> {
    crate::secrets::run_password_command(command)
        .map(drop)
        .map_err(super::OauthError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brokers_on_path_are_found_with_their_recipes() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["oama", "emailproxy", "pizauth"] {
            let p = dir.path().join(name);
            std::fs::write(&p, "#!/bin/sh\n").expect("write");
            let mode = if name == "pizauth" { 0o644 } else { 0o755 };
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        let path = std::env::join_paths([Path::new("/nonexistent"), dir.path()]).expect("join");
        let found: Vec<BrokerKind> = detect(&path).iter().map(|b| b.kind).collect();
        assert_eq!(found, [BrokerKind::Oama, BrokerKind::EmailOauth2Proxy]);
        assert_eq!(
            BrokerKind::Oama.recipe("bob@outlook.com"),
            Recipe::TokenCommand {
                command: "oama access bob@outlook.com".into()
            }
        );
        // An address is one shell word, whatever it holds.
        assert_eq!(
            BrokerKind::Pizauth.recipe("a'b;rm -rf ~@x.test"),
            Recipe::TokenCommand {
                command: r"pizauth show 'a'\''b;rm -rf ~@x.test'".into()
            }
        );
        assert!(matches!(
            BrokerKind::Davmail.recipe("x@y.test"),
            Recipe::LocalProxy {
                imap_port: 1143,
                ..
            }
        ));
    }
}
