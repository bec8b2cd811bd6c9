//! The `oauth-clients.toml` format: one table per provider id with a
//! `client_id`, an optional `client_secret` and `tenant`. The file is
//! hostile input: read with a size bound, every value validated (no
//! control characters, sane lengths and alphabets), and each error names
//! the file and its line. A bad entry is skipped, the others kept; a file
//! that does not parse gives nothing.

use super::clients::{ClientSource, ProvidedClient};
use crate::i18n::{Lang, tf};
use crate::net::{clean_text, io_kind_words};
use crate::secret::Secret;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A client-id file larger than this is refused.
pub const MAX_FILE_BYTES: u64 = 64 * 1024;
const MAX_ID: usize = 256;
const MAX_SECRET: usize = 512;
const MAX_TENANT: usize = 128;

/// Why (part of) a client-id file was not used. `line` is 1-based. The
/// texts are `oauth_clients.error.*`; `Display` is the English one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientsFileError {
    Read {
        path: PathBuf,
        kind: std::io::ErrorKind,
    },
    TooLarge {
        path: PathBuf,
        max: u64,
    },
    NotUtf8 {
        path: PathBuf,
    },
    /// `detail` is the TOML parser's words, quoted as evidence.
    Syntax {
        path: PathBuf,
        line: usize,
        detail: String,
    },
    Invalid {
        path: PathBuf,
        line: usize,
        key: String,
    },
}

impl ClientsFileError {
    /// The i18n key and its arguments (the file's values cleaned).
    fn i18n(&self, lang: Lang) -> (&'static str, Vec<(&'static str, String)>) {
        let shown = |p: &Path| clean_text(p.display().to_string().as_bytes());
        match self {
            ClientsFileError::Read { path, kind } => (
                "oauth_clients.error.read",
                vec![
                    ("path", shown(path)),
                    ("detail", io_kind_words(lang, *kind)),
                ],
            ),
            ClientsFileError::TooLarge { path, max } => (
                "oauth_clients.error.too_large",
                vec![("path", shown(path)), ("max", max.to_string())],
            ),
            ClientsFileError::NotUtf8 { path } => {
                ("oauth.clients_file.not_utf8", vec![("path", shown(path))])
            }
            ClientsFileError::Syntax { path, line, detail } => (
                "oauth_clients.error.syntax",
                vec![
                    ("path", shown(path)),
                    ("line", line.to_string()),
                    ("detail", clean_text(detail.as_bytes())),
                ],
            ),
            ClientsFileError::Invalid { path, line, key } => (
                "oauth_clients.error.invalid",
                vec![
                    ("path", shown(path)),
                    ("line", line.to_string()),
                    ("key", clean_text(key.as_bytes())),
                ],
            ),
        }
    }

    /// One text per language (the path and line named).
    pub fn localized(&self, lang: Lang) -> String {
        let (key, args) = self.i18n(lang);
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tf(lang, key, &args)
    }
}

impl std::fmt::Display for ClientsFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for ClientsFileError {}

/// The file's text, None when it does not exist.
pub fn read(path: &Path) -> Result<Option<String>, ClientsFileError> {
    let err = |e: std::io::Error| ClientsFileError::Read {
        path: path.to_path_buf(),
        kind: e.kind(),
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(err(e)),
    };
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ClientsFileError::TooLarge {
            path: path.to_path_buf(),
            max: MAX_FILE_BYTES,
        });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| ClientsFileError::NotUtf8 {
            path: path.to_path_buf(),
        })
}

fn line_of(text: &str, span: Option<std::ops::Range<usize>>) -> usize {
    let at = span.map_or(0, |s| s.start).min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// A value from outside: no control characters, not empty, not too long.
fn clean_value(v: &str, max: usize) -> bool {
    !v.trim().is_empty() && v.chars().count() <= max && !v.chars().any(char::is_control)
}

fn valid_id(v: &str) -> bool {
    clean_value(v, MAX_ID) && !v.chars().any(char::is_whitespace)
}

/// A tenant is a name or a GUID: letters, digits, `.`, `-`.
fn valid_tenant(v: &str) -> bool {
    clean_value(v, MAX_TENANT)
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// An endpoint: https, or plain http to this machine only (a local IdP).
fn valid_url(v: &str) -> bool {
    const MAX_URL: usize = 2048;
    let loopback = [
        "http://127.0.0.1:",
        "http://127.0.0.1/",
        "http://localhost:",
        "http://[::1]:",
    ];
    clean_value(v, MAX_URL)
        && !v.chars().any(char::is_whitespace)
        && (v.starts_with("https://") || loopback.iter().any(|p| v.starts_with(p)))
}

/// The entries of one file's text, and the errors of the entries skipped.
pub fn parse(
    text: &str,
    path: &Path,
    source: ClientSource,
) -> (Vec<(String, ProvidedClient)>, Vec<ClientsFileError>) {
    let doc = match toml_edit::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let detail: String = e.message().chars().filter(|c| !c.is_control()).collect();
            let error = ClientsFileError::Syntax {
                path: path.to_path_buf(),
                line: line_of(text, e.span()),
                detail,
            };
            return (Vec::new(), vec![error]);
        }
    };
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (provider, item) in doc.as_table() {
        let invalid = |key: &str, span| ClientsFileError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, span),
            key: format!("{}.{key}", provider.escape_default()),
        };
        let Some(table) = item.as_table_like() else {
            errors.push(invalid("(table)", item.span()));
            continue;
        };
        match entry(table, source) {
            Ok(client) => entries.push((provider.to_string(), client)),
            Err((key, span)) => errors.push(invalid(&key, span.or(item.span()))),
        }
    }
    (entries, errors)
}

type Span = Option<std::ops::Range<usize>>;

/// One provider's table, or the key (and where) that is wrong.
fn entry(
    table: &dyn toml_edit::TableLike,
    source: ClientSource,
) -> Result<ProvidedClient, (String, Span)> {
    let mut client = ProvidedClient {
        client_id: String::new(),
        client_secret: None,
        tenant: None,
        auth_url: None,
        token_url: None,
        device_url: None,
        source,
    };
    for (key, item) in table.iter() {
        let bad = || (key.escape_default().to_string(), item.span());
        let value = item.as_str().ok_or_else(bad)?;
        match key {
            "client_id" if valid_id(value) => client.client_id = value.trim().to_string(),
            "client_secret" if clean_value(value, MAX_SECRET) => {
                client.client_secret = Some(Secret::new(value.trim()));
            }
            "tenant" if valid_tenant(value) => client.tenant = Some(value.to_string()),
            "auth_url" if valid_url(value) => client.auth_url = Some(value.to_string()),
            "token_url" if valid_url(value) => client.token_url = Some(value.to_string()),
            "device_url" if valid_url(value) => client.device_url = Some(value.to_string()),
            _ => return Err(bad()),
        }
    }
    if client.client_id.is_empty() {
        return Err(("client_id".into(), None));
    }
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> (Vec<(String, ProvidedClient)>, Vec<ClientsFileError>) {
        parse(text, Path::new("/etc/x.toml"), ClientSource::SystemFile)
    }

    #[test]
    fn entries_are_read_and_bad_ones_skipped_with_their_line() {
        let (ok, errs) = p(concat!(
            "# comment\n",
            "[outlook]\n",
            "client_id = \"0000-1111\"\n",
            "tenant = \"consumers\"\n",
            "[gmail]\n",
            "client_id = \"g id\"\n",
            "[yahoo]\n",
            "client_id = \"y\"\n",
            "client_secret = \"s\"\n",
            "[other]\n",
            "client_id = \"x\"\n",
            "tenant = \"a/b\"\n",
            "[esc]\n",
            "client_id = \"a\\u001b[2Jb\"\n",
        ));
        let ids: Vec<_> = ok
            .iter()
            .map(|(p, c)| (p.as_str(), c.client_id.as_str()))
            .collect();
        assert_eq!(ids, [("outlook", "0000-1111"), ("yahoo", "y")]);
        assert_eq!(ok[0].1.tenant.as_deref(), Some("consumers"));
        assert_eq!(
            ok[1].1.client_secret.as_ref().map(Secret::expose),
            Some("s")
        );
        let lines: Vec<_> = errs
            .iter()
            .map(|e| match e {
                ClientsFileError::Invalid { line, key, .. } => (*line, key.as_str()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            lines,
            [
                (6, "gmail.client_id"),
                (12, "other.tenant"),
                (14, "esc.client_id")
            ]
        );
    }

    #[test]
    fn a_syntax_error_names_its_line_and_gives_nothing() {
        let (ok, errs) = p("[outlook]\nclient_id = \"a\"\n\nclient_id = = 3\n");
        assert!(ok.is_empty());
        assert!(
            matches!(&errs[..], [ClientsFileError::Syntax { line: 4, .. }]),
            "{errs:?}"
        );
        let (ok, errs) =
            p("[outlook]\nclient_id = \"a\"\ntoken_url = \"http://idp.example/token\"\n");
        assert!(ok.is_empty(), "plain http to another host is refused");
        assert!(matches!(
            &errs[..],
            [ClientsFileError::Invalid { line: 3, .. }]
        ));
        let (ok, _) =
            p("[outlook]\nclient_id = \"a\"\ndevice_url = \"http://127.0.0.1:8080/device\"\n");
        assert_eq!(
            ok[0].1.device_url.as_deref(),
            Some("http://127.0.0.1:8080/device")
        );
        let (ok, errs) = p("[outlook]\nsecret = \"x\"\n");
        assert!(ok.is_empty());
        assert!(matches!(
            &errs[..],
            [ClientsFileError::Invalid { line: 2, .. }]
        ));
        let (_, errs) = p("[outlook]\ntenant = \"common\"\n");
        assert!(
            matches!(&errs[..], [ClientsFileError::Invalid { key, .. }] if key == "outlook.client_id")
        );
    }

    #[test]
    fn a_huge_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("oauth-clients.toml");
        assert_eq!(read(&path), Ok(None));
        std::fs::write(&path, "#".repeat(MAX_FILE_BYTES as usize + 1)).expect("write");
        assert!(matches!(
            read(&path),
            Err(ClientsFileError::TooLarge { .. })
        ));
        std::fs::write(&path, "[outlook]\nclient_id = \"a\"\n").expect("write");
        assert!(read(&path).expect("read").is_some());
    }
}
