//! Certificate trust for mail: the roots of the one trust policy
//! ([`crate::trust`]: the system roots, webpki-roots when the system store
//! is empty, the account's CA file), and a pinned fingerprint that accepts
//! exactly one certificate. There is no "accept anything" mode.

use super::Phase;
use super::cert::{CertInfo, sha256_hex};
use super::error::{NetError, TlsError, TlsKind};
use super::timed::TimedTcp;
use crate::account::{Trust, normalize_fingerprint};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    AlertDescription, CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::sync::{Arc, Mutex, OnceLock};

pub type TlsStream = rustls::StreamOwned<rustls::ClientConnection, TimedTcp>;

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// How to trust one server.
#[derive(Clone)]
pub struct TlsSetup {
    pub host: String,
    /// The account's CA file's certificates alone (None: no CA file).
    pub(crate) own: Option<Arc<RootCertStore>>,
    pub(crate) pin: Option<String>,
}

impl TlsSetup {
    pub fn new(host: &str, trust: &Trust) -> Result<TlsSetup, NetError> {
        let own = trust
            .ca_file
            .as_deref()
            .map(|p| crate::trust::ca_file_store(std::path::Path::new(p)).map(Arc::new))
            .transpose()
            .map_err(NetError::CaFile)?;
        Ok(TlsSetup {
            host: host.trim().to_string(),
            own,
            pin: trust
                .pinned_sha256
                .as_deref()
                .and_then(normalize_fingerprint),
        })
    }

    pub fn server_name(&self) -> Result<ServerName<'static>, NetError> {
        ServerName::try_from(self.host.clone()).map_err(|_| {
            NetError::Tls(TlsError {
                kind: TlsKind::InvalidServerName,
                cert: None,
                detail: super::clean_text(self.host.as_bytes()),
            })
        })
    }

    fn webpki(&self) -> Result<ChainVerifier, NetError> {
        let own = match &self.own {
            Some(roots) => Some(webpki_verifier(roots.clone()).map_err(|e| {
                NetError::Tls(TlsError {
                    kind: TlsKind::Other,
                    cert: None,
                    detail: super::clean_text(e.to_string().as_bytes()),
                })
            })?),
            None => None,
        };
        Ok(ChainVerifier {
            own,
            own_roots: self.own.clone(),
            full: OnceLock::new(),
        })
    }

    /// Checks a certificate chain as the handshake would: the pin, else
    /// full verification.
    pub fn verify_chain(&self, chain: &[Vec<u8>]) -> Result<CertInfo, NetError> {
        let Some(ee) = chain.first() else {
            return Err(NetError::Tls(TlsError {
                kind: TlsKind::NoCertificate,
                cert: None,
                detail: String::new(),
            }));
        };
        let info = CertInfo::from_der(ee);
        if self.pin.as_deref() == Some(info.sha256.as_str()) {
            return Ok(info);
        }
        let ee_der = CertificateDer::from(ee.clone());
        let inter: Vec<CertificateDer> = chain[1..]
            .iter()
            .map(|c| CertificateDer::from(c.clone()))
            .collect();
        match self
            .webpki()?
            .verify(&ee_der, &inter, &self.server_name()?, &[], UnixTime::now())
        {
            Ok(_) => Ok(info),
            Err(e) => Err(NetError::Tls(self.classify_with_pin(&e, Some(info)))),
        }
    }

    fn classify_with_pin(&self, e: &rustls::Error, cert: Option<CertInfo>) -> TlsError {
        let mut t = classify(e, cert);
        if self.pin.is_some() && matches!(e, rustls::Error::InvalidCertificate(_)) {
            t.kind = TlsKind::PinMismatch;
        }
        t
    }

    /// TLS over a connected socket, handshake completed within the
    /// socket's deadline (every read and write of `tcp` is bounded by it).
    pub fn handshake(&self, mut tcp: TimedTcp) -> Result<(TlsStream, String, CertInfo), NetError> {
        let seen = Arc::new(Mutex::new(None));
        let verifier = Arc::new(PinningVerifier {
            inner: self.webpki()?,
            pin: self.pin.clone(),
            seen: seen.clone(),
        });
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|_| NetError::Io {
                phase: Phase::Tls,
                cause: super::IoCause::Internal,
            })?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        let mut conn = rustls::ClientConnection::new(Arc::new(config), self.server_name()?)
            .map_err(|_| NetError::Io {
                phase: Phase::Tls,
                cause: super::IoCause::Internal,
            })?;
        let seen_cert = || {
            seen.lock()
                .ok()
                .and_then(|s| s.clone())
                .map(|d: Vec<u8>| CertInfo::from_der(&d))
        };
        while conn.is_handshaking() {
            if let Err(e) = conn.complete_io(&mut tcp) {
                let inner = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>());
                return Err(match inner {
                    Some(tls) => NetError::Tls(self.classify_with_pin(tls, seen_cert())),
                    None => NetError::from_io(Phase::Tls, &e),
                });
            }
        }
        let version = match conn.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => "TLS 1.3".to_string(),
            Some(rustls::ProtocolVersion::TLSv1_2) => "TLS 1.2".to_string(),
            Some(v) => format!("{v:?}"),
            None => "TLS".to_string(),
        };
        let cert = conn
            .peer_certificates()
            .and_then(|c| c.first())
            .map(|c| CertInfo::from_der(c))
            .unwrap_or_default();
        Ok((rustls::StreamOwned::new(conn, tcp), version, cert))
    }
}

fn webpki_verifier(roots: Arc<RootCertStore>) -> Result<Arc<WebPkiServerVerifier>, rustls::Error> {
    WebPkiServerVerifier::builder_with_provider(roots, provider())
        .build()
        .map_err(|e| rustls::Error::General(e.to_string()))
}

/// Verifies a chain against the account's CA file alone first; only when
/// that does not verify it, against the system store plus the CA file,
/// read then (a bundle and a few hundred files: milliseconds saved on
/// every login to a server the CA file covers). It accepts exactly the
/// chains the union of both accepts.
#[derive(Debug)]
struct ChainVerifier {
    own: Option<Arc<WebPkiServerVerifier>>,
    own_roots: Option<Arc<RootCertStore>>,
    full: OnceLock<Result<Arc<WebPkiServerVerifier>, rustls::Error>>,
}

impl ChainVerifier {
    /// The system store's roots plus the CA file's, built on first use.
    fn full(&self) -> Result<Arc<WebPkiServerVerifier>, rustls::Error> {
        self.full
            .get_or_init(|| {
                let roots = match &self.own_roots {
                    Some(own) => crate::trust::with_base(own),
                    None => crate::trust::root_store(None)
                        .map_err(|e| rustls::Error::General(e.to_string()))?,
                };
                webpki_verifier(roots)
            })
            .clone()
    }

    /// Checks signatures (the roots play no part in it).
    fn signatures(&self) -> Result<Arc<WebPkiServerVerifier>, rustls::Error> {
        match &self.own {
            Some(own) => Ok(own.clone()),
            None => self.full(),
        }
    }

    /// The chain, against the CA file's roots, then the full store's.
    fn verify(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(own) = &self.own {
            match own.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
                // Another root may still vouch for it: the full store decides.
                Err(rustls::Error::InvalidCertificate(_)) => {}
                result => return result,
            }
        }
        self.full()?
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
    }
}

/// The usual verification, except that the pinned certificate is accepted;
/// remembers the server's certificate so a failure can show it.
#[derive(Debug)]
struct PinningVerifier {
    inner: ChainVerifier,
    pin: Option<String>,
    seen: Arc<Mutex<Option<Vec<u8>>>>,
}

impl ServerCertVerifier for PinningVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut s) = self.seen.lock() {
            *s = Some(end_entity.to_vec());
        }
        if let Some(pin) = &self.pin
            && sha256_hex(end_entity) == *pin
        {
            return Ok(ServerCertVerified::assertion());
        }
        self.inner
            .verify(end_entity, intermediates, server_name, ocsp, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner
            .signatures()?
            .verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner
            .signatures()?
            .verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner
            .signatures()
            .map(|v| v.supported_verify_schemes())
            .unwrap_or_default()
    }
}

/// The kind of a rustls failure, by its variant.
pub fn classify(e: &rustls::Error, cert: Option<CertInfo>) -> TlsError {
    let kind = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            // `Other` holds webpki's structural refusals, mostly a
            // self-signed CA certificate served as the server's own
            // (CaUsedAsEndEntity): to the user, an untrusted certificate.
            CertificateError::UnknownIssuer
            | CertificateError::BadSignature
            | CertificateError::Other(_) => TlsKind::Untrusted,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                TlsKind::HostnameMismatch
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => TlsKind::Expired,
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                TlsKind::NotYetValid
            }
            _ => TlsKind::Other,
        },
        rustls::Error::NoCertificatesPresented => TlsKind::NoCertificate,
        // What arrived is no TLS record, or not the one a handshake
        // begins with: plain text (a STARTTLS or unencrypted port).
        rustls::Error::InvalidMessage(_)
        | rustls::Error::InappropriateMessage { .. }
        | rustls::Error::InappropriateHandshakeMessage { .. } => TlsKind::NotTls,
        rustls::Error::PeerIncompatible(_)
        | rustls::Error::AlertReceived(
            AlertDescription::HandshakeFailure
            | AlertDescription::ProtocolVersion
            | AlertDescription::InsufficientSecurity,
        ) => TlsKind::Incompatible,
        _ => TlsKind::Other,
    };
    TlsError {
        kind,
        cert: cert.map(Box::new),
        // The library's words, kept as evidence (quoted by the texts).
        detail: super::clean_text(e.to_string().as_bytes()),
    }
}

#[cfg(test)]
mod tests;
