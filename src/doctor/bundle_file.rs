//! Writing a ticket (atomic, never over an existing file, readable by its
//! owner only) and reading one back: bounded in size, the schema checked
//! before anything else, schema 0 (findings as texts) still shown.

use super::{Bundle, SCHEMA};
use serde::Deserialize;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// A ticket larger than this is not one mailwiz wrote.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Why a ticket could not be written or read; each kind has its text in
/// `assets/i18n/*/bundle.toml` (`bundle.error.<kind>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    Exists,
    Io {
        detail: String,
    },
    TooLarge,
    NotJson {
        detail: String,
    },
    NotABundle,
    /// Written by a newer mailwiz: a schema this one does not know.
    Newer {
        found: u64,
    },
    Invalid {
        detail: String,
    },
}

impl BundleError {
    pub fn i18n_key(&self) -> &'static str {
        match self {
            BundleError::Exists => "bundle.error.exists",
            BundleError::Io { .. } => "bundle.error.io",
            BundleError::TooLarge => "bundle.error.too_large",
            BundleError::NotJson { .. } => "bundle.error.not_json",
            BundleError::NotABundle => "bundle.error.not_a_bundle",
            BundleError::Newer { .. } => "bundle.error.newer",
            BundleError::Invalid { .. } => "bundle.error.invalid",
        }
    }

    pub fn i18n_args(&self) -> Vec<(&'static str, String)> {
        match self {
            BundleError::Io { detail }
            | BundleError::NotJson { detail }
            | BundleError::Invalid { detail } => vec![("detail", detail.clone())],
            BundleError::Newer { found } => {
                vec![("found", found.to_string()), ("known", SCHEMA.to_string())]
            }
            BundleError::TooLarge => vec![("max", (MAX_BYTES / (1024 * 1024)).to_string())],
            BundleError::Exists | BundleError::NotABundle => vec![],
        }
    }
}

impl BundleError {
    /// An I/O failure around the ticket (its folder, its file).
    pub fn from_io(e: &std::io::Error) -> BundleError {
        io(e)
    }
}

fn io(e: &std::io::Error) -> BundleError {
    BundleError::Io {
        detail: e.to_string(),
    }
}

/// Writes the ticket to `path`: to a new hidden file beside it (mode 0600,
/// created exclusively), flushed, then linked to `path`, which must not
/// exist: nothing is ever overwritten and no reader sees half a file.
pub fn write(bundle: &Bundle, path: &Path) -> Result<(), BundleError> {
    if path.symlink_metadata().is_ok() {
        return Err(BundleError::Exists);
    }
    let json = serde_json::to_vec_pretty(bundle).map_err(|e| BundleError::Invalid {
        detail: e.to_string(),
    })?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().to_string());
    let tmp_name = format!(".{name}.{}.tmp", std::process::id());
    let tmp = dir.map_or_else(|| Path::new(&tmp_name).to_path_buf(), |d| d.join(&tmp_name));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| io(&e))?;
    let written = file
        .write_all(&json)
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_all());
    drop(file);
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(BundleError::Exists),
        Err(e) => Err(io(&e)),
    }
}

/// A ticket as read: the current shape, or schema 0's texts.
#[derive(Debug, Clone)]
pub enum Loaded {
    Current(Box<Bundle>),
    /// Schema 0 (before codes with parameters): findings are texts in the
    /// language they were written in, shown as they are.
    Texts(TextBundle),
}

#[derive(Debug, Clone, Deserialize)]
pub struct TextBundle {
    #[serde(default)]
    pub mailwiz_version: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub account: String,
    pub findings: Vec<TextFinding>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TextFinding {
    pub code: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub server: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub fix: String,
    #[serde(default)]
    pub evidence: String,
}

/// Reads a ticket: at most `MAX_BYTES`, JSON, a known schema.
pub fn read(path: &Path) -> Result<Loaded, BundleError> {
    let file = std::fs::File::open(path).map_err(|e| io(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(&e))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(BundleError::TooLarge);
    }
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| BundleError::NotJson {
            detail: e.to_string(),
        })?;
    let schema = value
        .get("schema")
        .and_then(serde_json::Value::as_u64)
        .ok_or(BundleError::NotABundle)?;
    let invalid = |e: serde_json::Error| BundleError::Invalid {
        detail: e.to_string(),
    };
    match schema {
        0 => Ok(Loaded::Texts(
            serde_json::from_value(value).map_err(invalid)?,
        )),
        s if s == u64::from(SCHEMA) => Ok(Loaded::Current(Box::new(
            serde_json::from_value(value).map_err(invalid)?,
        ))),
        found => Err(BundleError::Newer { found }),
    }
}
