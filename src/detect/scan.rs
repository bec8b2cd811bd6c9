//! The scanner: the usual places of each client's configuration under one
//! HOME, read and handed to the parsers. A missing file is simply not
//! there; a file that cannot be read or parsed gives a [`Warning`] and the
//! other files are still reported.

use super::{Client, DetectProblem, DetectReport, Parsed, Warning, WarningKind};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where to look: HOME, and the XDG configuration folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRoots {
    pub home: PathBuf,
    /// `$XDG_CONFIG_HOME`, else `HOME/.config`.
    pub config_home: PathBuf,
}

impl ScanRoots {
    pub fn for_home(home: &Path) -> ScanRoots {
        ScanRoots {
            home: home.to_path_buf(),
            config_home: home.join(".config"),
        }
    }

    /// From `HOME` and `XDG_CONFIG_HOME` as a face read them (`get` is
    /// e.g. `std::env::var_os`; the core reads no environment); None when
    /// there is no HOME.
    pub fn from_vars(get: impl Fn(&str) -> Option<OsString>) -> Option<ScanRoots> {
        let home = get("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)?;
        let config_home = get("XDG_CONFIG_HOME")
            .filter(|h| !h.is_empty())
            .map_or_else(|| home.join(".config"), PathBuf::from);
        Some(ScanRoots { home, config_home })
    }

    /// `~/x` and `$HOME/x` as paths under HOME.
    fn expand(&self, path: &str) -> PathBuf {
        if let Some(rest) = path.strip_prefix("~/") {
            self.home.join(rest)
        } else if let Some(rest) = path.strip_prefix("$HOME/") {
            self.home.join(rest)
        } else {
            PathBuf::from(path)
        }
    }
}

/// The largest configuration file read (the real ones are a few KiB).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// The most lines read from one file.
pub const MAX_FILE_LINES: usize = 20_000;
/// The most Thunderbird profiles or Evolution sources looked at.
const MAX_ENTRIES: usize = 256;

/// The text of a file; Ok(None) when there is no such file. Only regular
/// files (after symlinks) are read, up to [`MAX_FILE_BYTES`] and
/// [`MAX_FILE_LINES`]: a FIFO would block forever, `/dev/zero` never ends,
/// and a huge file would fill the memory. Those are refused with a reason.
pub(crate) fn read(path: &Path) -> Result<Option<String>, DetectProblem> {
    use std::io::Read;
    let io = |e: std::io::Error| DetectProblem::Io(e.kind());
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    check_kind(&meta)?;
    let file = std::fs::File::open(path).map_err(io)?;
    // It may have been replaced between the two looks.
    check_kind(&file.metadata().map_err(io)?)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    if bytes.iter().filter(|b| **b == b'\n').count() > MAX_FILE_LINES {
        return Err(DetectProblem::TooManyLines {
            max: MAX_FILE_LINES,
        });
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

fn check_kind(meta: &std::fs::Metadata) -> Result<(), DetectProblem> {
    if !meta.is_file() {
        return Err(DetectProblem::NotRegularFile);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(())
}

fn too_large() -> DetectProblem {
    DetectProblem::TooLarge {
        kib: MAX_FILE_BYTES / 1024,
    }
}

/// Sub-folders of `dir`, sorted; none when it does not exist.
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .take(MAX_ENTRIES)
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

struct Scan {
    report: DetectReport,
}

impl Scan {
    fn unreadable(&mut self, client: Client, file: &Path, e: &DetectProblem) {
        self.report.warnings.push(Warning {
            client,
            file: file.to_path_buf(),
            kind: WarningKind::Unreadable,
            line: None,
            detail: e.clone(),
        });
    }

    fn take(&mut self, client: Client, file: &Path, parsed: Parsed) {
        self.report.accounts.extend(parsed.accounts);
        for (line, detail) in parsed.problems {
            self.report.warnings.push(Warning {
                client,
                file: file.to_path_buf(),
                kind: WarningKind::Malformed,
                line,
                detail,
            });
        }
    }

    /// Reads each existing file of `files` and parses it.
    fn files(&mut self, client: Client, files: &[PathBuf], parse: impl Fn(&str, &Path) -> Parsed) {
        for file in files {
            match read(file) {
                Ok(Some(text)) => {
                    let parsed = parse(&text, file);
                    self.take(client, file, parsed);
                }
                Ok(None) => {}
                Err(e) => self.unreadable(client, file, &e),
            }
        }
    }
}

/// Every account the clients' files under these roots describe.
pub fn scan(roots: &ScanRoots) -> DetectReport {
    let home = &roots.home;
    let cfg = &roots.config_home;
    let mut s = Scan {
        report: DetectReport::default(),
    };
    let tb_roots = [
        home.join(".thunderbird"),
        home.join(".var/app/org.mozilla.Thunderbird/.thunderbird"),
        home.join("snap/thunderbird/common/.thunderbird"),
    ];
    let profiles: Vec<PathBuf> = tb_roots
        .iter()
        .flat_map(|r| subdirs(r))
        .map(|p| p.join("prefs.js"))
        .collect();
    s.files(Client::Thunderbird, &profiles, super::thunderbird::parse);
    s.evolution(&cfg.join("evolution/sources"));
    s.files(
        Client::Msmtp,
        &[home.join(".msmtprc"), cfg.join("msmtp/config")],
        super::msmtp::parse,
    );
    s.files(
        Client::Mbsync,
        &[home.join(".mbsyncrc"), cfg.join("isyncrc")],
        super::mbsync::parse,
    );
    s.mutt(roots);
    s.files(
        Client::Aerc,
        &[cfg.join("aerc/accounts.conf")],
        super::aerc::parse,
    );
    s.files(
        Client::Himalaya,
        &[cfg.join("himalaya/config.toml")],
        super::himalaya::parse,
    );
    s.files(
        Client::Fetchmail,
        &[home.join(".fetchmailrc")],
        super::fetchmail::parse,
    );
    s.report
}

impl Scan {
    /// Evolution's `*.source` files, read together (an account is spread
    /// over several).
    fn evolution(&mut self, dir: &Path) {
        let mut sources: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "source"))
                    .take(MAX_ENTRIES)
                    .collect()
            })
            .unwrap_or_default();
        sources.sort();
        let mut texts = Vec::new();
        for file in sources {
            match read(&file) {
                Ok(Some(t)) => texts.push((file, t)),
                Ok(None) => {}
                Err(e) => self.unreadable(Client::Evolution, &file, &e),
            }
        }
        for (file, parsed) in super::evolution::parse(&texts) {
            self.take(Client::Evolution, &file, parsed);
        }
    }

    /// mutt's and neomutt's files, with the files they `source`.
    fn mutt(&mut self, roots: &ScanRoots) {
        let (home, cfg) = (&roots.home, &roots.config_home);
        // A sourced file that cannot be read is reported like any other.
        let source_errors = std::cell::RefCell::new(Vec::new());
        let resolve = |path: &str| {
            let p = roots.expand(path);
            match read(&p) {
                Ok(found) => found.map(|t| (p, t)),
                Err(e) => {
                    source_errors.borrow_mut().push((p, e));
                    None
                }
            }
        };
        self.files(
            Client::Mutt,
            &[
                home.join(".muttrc"),
                home.join(".mutt/muttrc"),
                cfg.join("mutt/muttrc"),
                home.join(".neomuttrc"),
                cfg.join("neomutt/neomuttrc"),
            ],
            |text, file| super::mutt::parse(text, file, &resolve),
        );
        for (file, e) in source_errors.into_inner() {
            self.unreadable(Client::Mutt, &file, &e);
        }
    }
}

#[cfg(test)]
mod env_tests {
    use super::*;

    #[test]
    fn roots_come_from_the_faces_variables() {
        let vars = |home: Option<&str>, xdg: Option<&str>| {
            let (home, xdg) = (home.map(OsString::from), xdg.map(OsString::from));
            ScanRoots::from_vars(move |k| match k {
                "HOME" => home.clone(),
                "XDG_CONFIG_HOME" => xdg.clone(),
                _ => None,
            })
        };
        let r = vars(Some("/h"), None).unwrap();
        assert_eq!(r.config_home, Path::new("/h/.config"));
        let r = vars(Some("/h"), Some("/x")).unwrap();
        assert_eq!(
            (r.home.as_path(), r.config_home.as_path()),
            (Path::new("/h"), Path::new("/x"))
        );
        assert!(vars(None, Some("/x")).is_none());
        assert!(vars(Some(""), None).is_none());
    }
}
