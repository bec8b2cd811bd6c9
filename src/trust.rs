//! One trust policy for every TLS client of mailwiz: mail (IMAP, POP3,
//! SMTP), discovery's HTTP fetches and OAuth2's HTTP calls all trust the
//! same roots, built from the same inputs:
//!
//! - the system store (`rustls-native-certs`, which honours
//!   `SSL_CERT_FILE`/`SSL_CERT_DIR`), read once per process;
//! - the compiled-in Mozilla roots (`webpki-roots`) when the system store
//!   is empty;
//! - the account's (or the command's) CA file, on top — for mail, tried
//!   alone first, so the system store is read only when the CA file does
//!   not verify the chain (`net::tls`; the same chains are accepted);
//! - for mail, a pinned fingerprint (applied by `net::tls`, which owns the
//!   handshake): HTTP has no pin.
//!
//! So a company CA installed in the system store works for autoconfig and
//! sign-in exactly as it does for IMAP.

use crate::i18n::Lang;
use rustls::RootCertStore;
use rustls::pki_types::{CertificateDer, pem::PemObject};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Why a CA file cannot be used; the path is the user's own.
/// The texts are `trust.error.*`; `Display` is the English one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustError {
    Unreadable {
        path: String,
        kind: std::io::ErrorKind,
    },
    NotPem {
        path: String,
    },
    Empty {
        path: String,
    },
}

impl TrustError {
    /// The i18n key and its arguments, the I/O error's kind in `lang`.
    pub fn i18n_in(&self, lang: Lang) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            TrustError::Unreadable { path, kind } => (
                "trust.error.unreadable",
                vec![
                    ("path", path.clone()),
                    ("kind", crate::net::io_kind_words(lang, *kind)),
                ],
            ),
            TrustError::NotPem { path } => ("trust.error.not_pem", vec![("path", path.clone())]),
            TrustError::Empty { path } => ("trust.error.empty", vec![("path", path.clone())]),
        }
    }

    pub fn localized(&self, lang: Lang) -> String {
        let (key, args) = self.i18n_in(lang);
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::i18n::tf(lang, key, &args)
    }
}

impl std::fmt::Display for TrustError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for TrustError {}

/// The system store, read once per process (it is a bundle and a
/// directory of a few hundred files: parsing it costs milliseconds).
pub fn system_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| rustls_native_certs::load_native_certs().certs)
}

/// The base roots (system store, else compiled-in), built once.
fn base_store() -> &'static Arc<RootCertStore> {
    static STORE: OnceLock<Arc<RootCertStore>> = OnceLock::new();
    STORE.get_or_init(|| {
        let mut roots = RootCertStore::empty();
        let native = system_roots();
        if native.is_empty() {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        } else {
            roots.add_parsable_certificates(native.iter().cloned());
        }
        Arc::new(roots)
    })
}

/// The certificates of a PEM CA file; at least one.
pub fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, TrustError> {
    let shown = path.display().to_string();
    let pem = std::fs::read(path).map_err(|e| TrustError::Unreadable {
        path: shown.clone(),
        kind: e.kind(),
    })?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| TrustError::NotPem {
            path: shown.clone(),
        })?;
    if certs.is_empty() {
        return Err(TrustError::Empty { path: shown });
    }
    Ok(certs)
}

/// The roots for rustls: the base roots plus the CA file's certificates.
pub fn root_store(ca_file: Option<&Path>) -> Result<Arc<RootCertStore>, TrustError> {
    let Some(path) = ca_file else {
        return Ok(base_store().clone());
    };
    let extra = ca_file_store(path)?;
    Ok(with_base(&extra))
}

/// The CA file's certificates alone, as roots (each one must parse).
pub fn ca_file_store(path: &Path) -> Result<RootCertStore, TrustError> {
    let mut roots = RootCertStore::empty();
    for cert in read_ca_file(path)? {
        roots.add(cert).map_err(|_| TrustError::NotPem {
            path: path.display().to_string(),
        })?;
    }
    Ok(roots)
}

/// The base roots (the system store, read once) plus `extra`.
pub fn with_base(extra: &RootCertStore) -> Arc<RootCertStore> {
    let mut roots = RootCertStore::clone(base_store());
    roots.roots.extend(extra.roots.iter().cloned());
    Arc::new(roots)
}

/// The same roots for ureq (discovery and OAuth2 HTTP).
pub fn http_tls(ca_file: Option<&Path>) -> Result<ureq::tls::TlsConfig, TrustError> {
    use ureq::tls::{Certificate, RootCerts, TlsConfig};
    let extra = match ca_file {
        Some(path) => read_ca_file(path)?,
        None => Vec::new(),
    };
    let native = system_roots();
    let roots = if native.is_empty() && extra.is_empty() {
        RootCerts::WebPki
    } else {
        let certs: Vec<Certificate<'static>> = native
            .iter()
            .chain(extra.iter())
            .map(|c| Certificate::from_der(c.as_ref()).to_owned())
            .collect();
        RootCerts::from(certs)
    };
    Ok(TlsConfig::builder().root_certs(roots).build())
}

/// Whether a ureq error is a refused certificate (unknown issuer, wrong
/// name, expired …), as opposed to a network failure.
pub fn is_certificate_error(e: &ureq::Error) -> bool {
    let rustls_error = match e {
        ureq::Error::Rustls(r) => Some(r),
        ureq::Error::Io(io) => io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()),
        _ => None,
    };
    matches!(
        rustls_error,
        Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_empty_ca_file_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.pem");
        assert!(matches!(
            root_store(Some(&missing)),
            Err(TrustError::Unreadable { .. })
        ));
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        assert!(matches!(
            root_store(Some(&empty)),
            Err(TrustError::Empty { .. })
        ));
        assert!(matches!(
            http_tls(Some(&empty)),
            Err(TrustError::Empty { .. })
        ));
    }

    #[test]
    fn the_base_roots_are_built_once() {
        let a = root_store(None).unwrap();
        let b = root_store(None).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!a.is_empty());
    }
}
