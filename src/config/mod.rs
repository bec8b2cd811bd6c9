//! The accounts file: TOML with a schema version, written atomically with
//! mode 0600 in a 0700 folder. A file that does not parse is reported with
//! its line and column and never overwritten. It never holds a password.
//!
//! `store` does the file work (bounded reads, the lock, the exclusive
//! temporary, writing through a symlink); `preserve` keeps the comments and
//! unknown keys of the file it replaces.

mod preserve;
mod store;

pub use store::{Locked, load, lock, save};

use crate::account::{Account, OAuth2Settings};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ConfigFile", into = "ConfigFile")]
pub struct Config {
    pub schema_version: u32,
    /// Each with its OAuth2 settings (`[account.oauth2]` in the file).
    pub accounts: Vec<Account>,
}

/// The file's shape. Files written before the OAuth2 settings moved into
/// each account have them in a side table `[oauth2."NAME"]`: read (the
/// account's own table wins), never written again, so an old file is in
/// the new shape from its next save on.
#[derive(Serialize, Deserialize)]
struct ConfigFile {
    schema_version: u32,
    #[serde(default, rename = "account")]
    accounts: Vec<Account>,
    #[serde(default, skip_serializing)]
    oauth2: BTreeMap<String, OAuth2Settings>,
}

impl From<ConfigFile> for Config {
    fn from(file: ConfigFile) -> Config {
        let mut side_table = file.oauth2;
        let accounts = file
            .accounts
            .into_iter()
            .map(|mut account| {
                let old = side_table.remove(&account.name);
                if account.oauth2.is_none() {
                    account.oauth2 = old;
                }
                account
            })
            .collect();
        Config {
            schema_version: file.schema_version,
            accounts,
        }
    }
}

impl From<Config> for ConfigFile {
    fn from(config: Config) -> ConfigFile {
        ConfigFile {
            schema_version: config.schema_version,
            accounts: config.accounts,
            oauth2: BTreeMap::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            schema_version: SCHEMA_VERSION,
            accounts: Vec::new(),
        }
    }
}

/// The texts are `config.error.*`; `Display` is the English one.
#[derive(Debug)]
pub enum ConfigError {
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    Version {
        path: PathBuf,
        found: u32,
    },
    NotUtf8 {
        path: PathBuf,
    },
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    NoConfigDir,
    NotRegular {
        path: PathBuf,
    },
    TooLarge {
        path: PathBuf,
        limit: u64,
    },
    UnsafeFolder {
        path: PathBuf,
    },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(crate::i18n::Lang::En))
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Read { source, .. } | ConfigError::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl ConfigError {
    /// Localized message for the faces.
    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::tf;
        let p = |p: &Path| p.display().to_string();
        match self {
            ConfigError::Read { path, source } => tf(
                lang,
                "config.error.read",
                &[("path", &p(path)), ("detail", &io_words(lang, source))],
            ),
            ConfigError::Parse {
                path,
                line,
                column,
                message,
            } => tf(
                lang,
                "config.error.parse",
                &[
                    ("path", &p(path)),
                    ("line", &line.to_string()),
                    ("column", &column.to_string()),
                    ("detail", message),
                ],
            ),
            ConfigError::Version { path, found } => tf(
                lang,
                "config.error.version",
                &[
                    ("path", &p(path)),
                    ("found", &found.to_string()),
                    ("known", &SCHEMA_VERSION.to_string()),
                ],
            ),
            ConfigError::NotUtf8 { path } => {
                tf(lang, "config.error.not_utf8", &[("path", &p(path))])
            }
            ConfigError::Write { path, source } => tf(
                lang,
                "config.error.write",
                &[("path", &p(path)), ("detail", &io_words(lang, source))],
            ),
            ConfigError::NoConfigDir => crate::i18n::t(lang, "config.error.no_dir").to_string(),
            ConfigError::NotRegular { path } => {
                tf(lang, "config.error.not_regular", &[("path", &p(path))])
            }
            ConfigError::TooLarge { path, limit } => tf(
                lang,
                "config.error.too_large",
                &[("path", &p(path)), ("limit", &limit.to_string())],
            ),
            ConfigError::UnsafeFolder { path } => {
                tf(lang, "config.error.unsafe_folder", &[("path", &p(path))])
            }
        }
    }
}

/// An I/O error in `lang`: its kind's words; the system's own words when
/// the kind has no name of its own.
fn io_words(lang: crate::i18n::Lang, e: &std::io::Error) -> String {
    crate::net::IoCause::of(e).localized(lang)
}

/// `--config PATH`, else `from_env` (the face's `$MAILWIZ_CONFIG`) when not
/// empty, else `accounts.toml` in the platform's configuration folder for
/// mailwiz (which the face finds: the core reads no environment).
pub fn resolve_path(
    explicit: Option<&Path>,
    from_env: Option<&std::ffi::OsStr>,
    platform_folder: Option<&Path>,
) -> Result<PathBuf, ConfigError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = from_env.filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    platform_folder
        .map(|d| d.join("accounts.toml"))
        .ok_or(ConfigError::NoConfigDir)
}

pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |span| line_column(text, span.start));
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().to_string(),
        }
    })?;
    if config.schema_version != SCHEMA_VERSION {
        return Err(ConfigError::Version {
            path: path.to_path_buf(),
            found: config.schema_version,
        });
    }
    Ok(config)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

pub fn to_toml(config: &Config) -> String {
    let header = "# mailwiz accounts. Passwords are never stored here: they live in the\n\
                  # OS keyring (or come from a password_command you set).\n";
    let body = toml::to_string_pretty(config).expect("the config model always serializes");
    format!("{header}{body}")
}

impl Config {
    pub fn find(&self, name: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.name == name)
    }

    pub fn find_mut(&mut self, name: &str) -> Option<&mut Account> {
        self.accounts.iter_mut().find(|a| a.name == name)
    }

    /// Adds or replaces the account with the same name.
    pub fn upsert(&mut self, account: Account) {
        match self.find_mut(&account.name) {
            Some(slot) => *slot = account,
            None => self.accounts.push(account),
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<Account> {
        let i = self.accounts.iter().position(|a| a.name == name)?;
        Some(self.accounts.remove(i))
    }
}

#[cfg(test)]
mod oauth2_migration_tests;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::account::*;

    /// The export tests' account, on one host with implicit TLS.
    pub(crate) fn sample() -> Account {
        let mut a = crate::export::tests::sample();
        a.incoming.host = "mail.example.test".into();
        a.smtp.host = "mail.example.test".into();
        a.smtp.port = 465;
        a.smtp.security = Security::Tls;
        a.ca_file = Some("/tmp/ca.pem".into());
        a.secrets = SecretSource::default();
        a
    }

    #[test]
    fn round_trip_keeps_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/accounts.toml");
        let mut cfg = Config::default();
        let mut a = sample();
        a.smtp.pinned_sha256 = Some("ab".repeat(32));
        a.secrets.password_command = Some("pass show mail".into());
        cfg.upsert(a);
        save(&path, &cfg).unwrap();
        assert_eq!(load(&path).unwrap(), cfg);
    }

    #[cfg(unix)]
    #[test]
    fn file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/accounts.toml");
        save(&path, &Config::default()).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let mut leftovers: Vec<_> = leftovers
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        leftovers.sort();
        // The lock file stays: removing it would let two writers hold
        // locks on two different files.
        assert_eq!(leftovers, [".accounts.toml.lock", "accounts.toml"]);
    }

    #[test]
    fn parse_error_has_line_and_column() {
        let text = "schema_version = 1\n\n[[account]]\nname = \"x\"\nemail = \n";
        match parse(Path::new("a.toml"), text) {
            Err(ConfigError::Parse { line, column, .. }) => {
                assert_eq!(line, 5);
                assert!(column >= 8, "column {column}");
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn unknown_schema_version_is_refused() {
        let r = parse(Path::new("a.toml"), "schema_version = 99\n");
        assert!(matches!(r, Err(ConfigError::Version { found: 99, .. })));
    }

    #[test]
    fn missing_file_is_empty_config() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load(&dir.path().join("none.toml")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn non_utf8_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, [0xff, 0xfe, b'a']).unwrap();
        assert!(matches!(load(&path), Err(ConfigError::NotUtf8 { .. })));
    }

    #[test]
    fn upsert_replaces_by_name() {
        let mut cfg = Config::default();
        cfg.upsert(sample());
        let mut b = sample();
        b.display_name = "Changed".into();
        cfg.upsert(b);
        assert_eq!(cfg.accounts.len(), 1);
        assert_eq!(cfg.accounts[0].display_name, "Changed");
        assert!(cfg.remove("alice@example.test").is_some());
        assert!(cfg.accounts.is_empty());
    }
}
