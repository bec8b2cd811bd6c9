//! The accounts file on disk. Reads are bounded: only a regular file, at
//! most `MAX_CONFIG_BYTES`, so `/dev/zero` or a FIFO is an error, not a
//! hang. A write is a read-modify-write under an advisory lock on
//! `.NAME.lock` beside the file, through an exclusive temporary with a
//! random name (never following a symlink planted there), renamed over the
//! file; a symlinked file is written through to its target, keeping the
//! link. A folder other users can write to is refused.

use super::{Config, ConfigError, parse, preserve};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Far above any real accounts file (a few kB per account).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Reads the file; a missing file is an empty configuration.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    match read_bounded(path)? {
        Some(text) => parse(path, &text),
        None => Ok(Config::default()),
    }
}

/// The text of a regular file of at most `MAX_CONFIG_BYTES`, or None when
/// there is no file. Opened non-blocking so a FIFO swapped in after the
/// check cannot hang the open.
fn read_bounded(path: &Path) -> Result<Option<String>, ConfigError> {
    let rerr = |source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(rerr(e)),
        Ok(m) if !m.is_file() => return Err(not_regular(path)),
        Ok(_) => {}
    }
    let file = open_for_reading(path).map_err(rerr)?;
    let meta = file.metadata().map_err(rerr)?;
    if !meta.is_file() {
        return Err(not_regular(path));
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(rerr)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(ConfigError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| ConfigError::NotUtf8 {
            path: path.to_path_buf(),
        })
}

fn not_regular(path: &Path) -> ConfigError {
    ConfigError::NotRegular {
        path: path.to_path_buf(),
    }
}

/// The configuration held for a read-modify-write: while this lives, no
/// other mailwiz process can change the file.
pub struct Locked {
    /// The path as given (a symlink stays one).
    path: PathBuf,
    /// Where the bytes go: the file itself, or a symlink's target.
    target: PathBuf,
    original: Option<String>,
    pub config: Config,
    _lock: File,
}

impl std::fmt::Debug for Locked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locked").field("path", &self.path).finish()
    }
}

/// Takes the lock (waiting for another writer to finish), then reads the
/// file under it.
pub fn lock(path: &Path) -> Result<Locked, ConfigError> {
    let werr = |source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = write_target(path).map_err(werr)?;
    let dir = parent_of(&target);
    if !dir.exists() {
        create_private_dir(dir).map_err(werr)?;
    }
    refuse_shared_folder(dir)?;
    if let Some(link_dir) = Some(parent_of(path)).filter(|d| *d != dir) {
        refuse_shared_folder(link_dir)?;
    }
    let lock_path = dir.join(format!(".{}.lock", file_name(&target)));
    let lock = open_exclusive(&lock_path, false).map_err(werr)?;
    lock.lock().map_err(werr)?;
    let original = read_bounded(&target)?;
    let config = match &original {
        Some(text) => parse(path, text)?,
        None => Config::default(),
    };
    Ok(Locked {
        path: path.to_path_buf(),
        target,
        original,
        config,
        _lock: lock,
    })
}

impl Locked {
    /// Writes `self.config`, keeping the comments and unknown keys of the
    /// file it replaces. The lock is still held afterwards.
    pub fn commit(&mut self) -> Result<(), ConfigError> {
        let text = preserve::render(self.original.as_deref(), &self.config);
        write_atomically(&self.target, &text).map_err(|source| ConfigError::Write {
            path: self.path.clone(),
            source,
        })?;
        self.original = Some(text);
        Ok(())
    }
}

/// Replaces the accounts with `config` under the lock (the file's comments
/// and unknown keys are kept).
pub fn save(path: &Path, config: &Config) -> Result<(), ConfigError> {
    let mut locked = lock(path)?;
    locked.config = config.clone();
    locked.commit()
}

/// The path itself, or the file its symlink chain ends at (a dangling
/// link: the place it names).
fn write_target(path: &Path) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(p) => Ok(p),
            Err(_) => Ok(parent_of(path).join(std::fs::read_link(path)?)),
        },
        _ => Ok(path.to_path_buf()),
    }
}

fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || "accounts.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A folder others can write to lets them swap files under us.
fn refuse_shared_folder(dir: &Path) -> Result<(), ConfigError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir).map_err(|source| ConfigError::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        if meta.permissions().mode() & 0o022 != 0 {
            return Err(ConfigError::UnsafeFolder {
                path: dir.to_path_buf(),
            });
        }
    }
    Ok(())
}

fn write_atomically(target: &Path, text: &str) -> std::io::Result<()> {
    let dir = parent_of(target);
    let name = file_name(target);
    remove_stale_temporaries(dir, &name);
    let tmp = dir.join(format!(".{name}.tmp-{:016x}", random_u64()));
    let result = (|| {
        let mut f = open_exclusive(&tmp, true)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, target)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Temporaries left by a crashed writer (or an old version's `.NAME.tmp-PID`).
/// Called under the lock, so none belongs to a live mailwiz.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let prefix = format!(".{name}.tmp");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            // remove_file never follows a symlink: only the name goes.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn random_u64() -> u64 {
    u64::from_be_bytes(crate::random::bytes::<8>())
}

/// Opens without following a symlink, mode 0600; `new` also refuses an
/// existing file (O_EXCL).
#[cfg(unix)]
fn open_exclusive(path: &Path, new: bool) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut o = OpenOptions::new();
    o.read(true)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    if new {
        o.create_new(true);
    } else {
        o.create(true);
    }
    o.open(path)
}

#[cfg(not(unix))]
fn open_exclusive(path: &Path, new: bool) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true);
    if new {
        o.create_new(true);
    } else {
        o.create(true);
    }
    o.open(path)
}

#[cfg(unix)]
fn open_for_reading(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
}

#[cfg(not(unix))]
fn open_for_reading(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}
