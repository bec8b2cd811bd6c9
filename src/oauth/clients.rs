//! OAuth2 client ids provided to the user, so nobody has to register an
//! app: per provider, the user's `oauth-clients.toml` (beside the
//! configuration), then the system's (`/etc/mailwiz/oauth-clients.toml`,
//! installed by an organisation or a distribution), then values compiled
//! in from `MAILWIZ_OAUTH_<PROVIDER>_CLIENT_ID` (and `_CLIENT_SECRET`,
//! `_TENANT`) by a packager. An account's own client id wins over all.
//!
//! The faces decide where the files are (`ClientFiles`) and install the
//! lookup once (`install`); the core only reads what was installed.

use super::clients_file::{self, ClientsFileError};
use crate::secret::Secret;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Where the client id in use comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientSource {
    UserFile,
    SystemFile,
    BuiltIn,
    /// The account's own settings (`client_id` in accounts.toml).
    Account,
}

impl ClientSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientSource::UserFile => "user-file",
            ClientSource::SystemFile => "system-file",
            ClientSource::BuiltIn => "built-in",
            ClientSource::Account => "account",
        }
    }
}

/// A provider's client registration from one of the sources.
#[derive(Clone)]
pub struct ProvidedClient {
    pub client_id: String,
    pub client_secret: Option<Secret>,
    /// Microsoft: consumers | organizations | common | a tenant id.
    pub tenant: Option<String>,
    /// An organisation's own endpoints, in place of the preset's.
    pub auth_url: Option<String>,
    pub token_url: Option<String>,
    pub device_url: Option<String>,
    pub source: ClientSource,
}

impl std::fmt::Debug for ProvidedClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProvidedClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.is_some())
            .field("tenant", &self.tenant)
            .field("source", &self.source)
            .finish()
    }
}

/// The two files, in the order they are looked at.
#[derive(Debug, Clone, Default)]
pub struct ClientFiles {
    pub user: Option<PathBuf>,
    pub system: Option<PathBuf>,
}

pub const FILE_NAME: &str = "oauth-clients.toml";
pub const SYSTEM_DIR: &str = "/etc/mailwiz";

impl ClientFiles {
    /// The user's file beside the configuration file; the system's in
    /// `system_dir` (the face's override) or [`SYSTEM_DIR`].
    pub fn new(config_path: &Path, system_dir: Option<PathBuf>) -> ClientFiles {
        ClientFiles {
            user: config_path.parent().map(|d| d.join(FILE_NAME)),
            system: Some(
                system_dir
                    .unwrap_or_else(|| PathBuf::from(SYSTEM_DIR))
                    .join(FILE_NAME),
            ),
        }
    }
}

/// The values a packager compiled in. `option_env!` makes cargo rebuild
/// when one of these variables changes; a build without them has none.
macro_rules! built_in {
    ($($id:literal => $var:literal),* $(,)?) => {
        [$((
            $id,
            option_env!(concat!("MAILWIZ_OAUTH_", $var, "_CLIENT_ID")),
            option_env!(concat!("MAILWIZ_OAUTH_", $var, "_CLIENT_SECRET")),
            option_env!(concat!("MAILWIZ_OAUTH_", $var, "_TENANT")),
        )),*]
    };
}

/// The providers of `assets/providers.toml` that sign in with OAuth2.
/// (provider id, client id, client secret, tenant) as compiled in.
type BuiltIn = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

const BUILT_IN: [BuiltIn; 4] = built_in!(
    "outlook" => "OUTLOOK",
    "gmail" => "GMAIL",
    "yahoo" => "YAHOO",
    "aol" => "AOL",
);

fn built_in_clients() -> Vec<(String, ProvidedClient)> {
    BUILT_IN
        .iter()
        .filter_map(|(id, client_id, secret, tenant)| {
            let client_id = client_id.filter(|v| !v.trim().is_empty())?;
            Some((
                id.to_string(),
                ProvidedClient {
                    client_id: client_id.trim().to_string(),
                    client_secret: secret.filter(|s| !s.is_empty()).map(Secret::new),
                    tenant: tenant.filter(|t| !t.is_empty()).map(str::to_string),
                    auth_url: None,
                    token_url: None,
                    device_url: None,
                    source: ClientSource::BuiltIn,
                },
            ))
        })
        .collect()
}

/// Every source read once: the entries in lookup order, and why a file
/// (or an entry of it) was not used.
#[derive(Debug, Clone, Default)]
pub struct Clients {
    entries: Vec<(String, ProvidedClient)>,
    pub errors: Vec<ClientsFileError>,
    pub files: ClientFiles,
}

impl Clients {
    pub fn load(files: &ClientFiles) -> Clients {
        let mut clients = Clients {
            files: files.clone(),
            ..Clients::default()
        };
        let sources = [
            (&files.user, ClientSource::UserFile),
            (&files.system, ClientSource::SystemFile),
        ];
        for (path, source) in sources {
            let Some(path) = path else { continue };
            match clients_file::read(path) {
                Ok(Some(text)) => {
                    let (entries, errors) = clients_file::parse(&text, path, source);
                    clients.entries.extend(entries);
                    clients.errors.extend(errors);
                }
                Ok(None) => {}
                Err(e) => clients.errors.push(e),
            }
        }
        clients.entries.extend(built_in_clients());
        clients
    }

    /// The first source's client for the provider.
    pub fn for_provider(&self, provider: &str) -> Option<&ProvidedClient> {
        self.entries
            .iter()
            .find(|(id, _)| id == provider)
            .map(|(_, c)| c)
    }

    /// Every source's client for the provider, the one in use first.
    pub fn all_for(&self, provider: &str) -> Vec<&ProvidedClient> {
        self.entries
            .iter()
            .filter(|(id, _)| id == provider)
            .map(|(_, c)| c)
            .collect()
    }

    /// Provider ids named in a file that mailwiz has no preset for.
    pub fn unknown_providers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .entries
            .iter()
            .map(|(id, _)| id.as_str())
            .filter(|id| crate::providers::by_id(id).is_none())
            .collect();
        out.dedup();
        out
    }
}

static INSTALLED: OnceLock<Clients> = OnceLock::new();

/// Reads the sources once for this process (the faces call it at start;
/// a second call is ignored).
pub fn install(files: &ClientFiles) {
    let _ = INSTALLED.set(Clients::load(files));
}

/// The sources installed by the face; without one, the built-in values.
pub fn installed() -> &'static Clients {
    INSTALLED.get_or_init(|| Clients::load(&ClientFiles::default()))
}

/// The client provided for the provider, if any.
pub fn provided(provider: Option<&str>) -> Option<&'static ProvidedClient> {
    installed().for_provider(provider?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::create_dir_all(&p).expect("mkdir");
        let f = p.join(FILE_NAME);
        std::fs::write(&f, text).expect("write");
        p
    }

    #[test]
    fn the_user_file_wins_then_the_system_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let user = write(dir.path(), "user", "[outlook]\nclient_id = \"from-user\"\n");
        let system = write(
            dir.path(),
            "system",
            "[outlook]\nclient_id = \"from-system\"\n[gmail]\nclient_id = \"g-system\"\n",
        );
        let files = ClientFiles::new(&user.join("accounts.toml"), Some(system.clone()));
        let c = Clients::load(&files);
        let outlook = c.for_provider("outlook").expect("outlook");
        assert_eq!(
            (outlook.client_id.as_str(), outlook.source),
            ("from-user", ClientSource::UserFile)
        );
        let gmail = c.for_provider("gmail").expect("gmail");
        assert_eq!(gmail.source, ClientSource::SystemFile);
        assert_eq!(c.all_for("outlook").len(), 2);
        assert!(
            c.for_provider("yahoo").is_none()
                || option_env!("MAILWIZ_OAUTH_YAHOO_CLIENT_ID").is_some()
        );
        // Without the user file, the system file's.
        let files = ClientFiles::new(&dir.path().join("none/accounts.toml"), Some(system));
        let outlook = Clients::load(&files);
        let outlook = outlook.for_provider("outlook").expect("outlook");
        assert_eq!(outlook.source, ClientSource::SystemFile);
        assert!(format!("{outlook:?}").contains("from-system"));
    }

    #[test]
    fn a_broken_file_is_reported_and_the_next_source_used() {
        let dir = tempfile::tempdir().expect("tempdir");
        let user = write(dir.path(), "user", "[outlook\nclient_id = \"x\"\n");
        let system = write(dir.path(), "system", "[outlook]\nclient_id = \"s\"\n");
        let c = Clients::load(&ClientFiles::new(&user.join("a.toml"), Some(system)));
        assert!(matches!(
            &c.errors[..],
            [ClientsFileError::Syntax { line: 1, .. }]
        ));
        assert_eq!(
            c.for_provider("outlook").map(|c| c.source),
            Some(ClientSource::SystemFile)
        );
    }

    #[test]
    fn every_oauth2_provider_can_have_a_built_in_client() {
        for p in crate::providers::all()
            .iter()
            .filter(|p| p.oauth2.is_some())
        {
            assert!(
                BUILT_IN.iter().any(|(id, ..)| *id == p.id),
                "{} is missing from BUILT_IN",
                p.id
            );
        }
    }

    #[test]
    fn sources_have_their_json_names() {
        let names: Vec<String> = [
            ClientSource::UserFile,
            ClientSource::SystemFile,
            ClientSource::BuiltIn,
            ClientSource::Account,
        ]
        .iter()
        .map(|s| serde_json::to_string(s).expect("json"))
        .collect();
        assert_eq!(
            names,
            [
                "\"user-file\"",
                "\"system-file\"",
                "\"built-in\"",
                "\"account\""
            ]
        );
    }
}
