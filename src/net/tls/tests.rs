use super::*;

fn err(c: CertificateError) -> TlsKind {
    classify(&rustls::Error::InvalidCertificate(c), None).kind
}

#[test]
fn classification() {
    assert_eq!(err(CertificateError::UnknownIssuer), TlsKind::Untrusted);
    assert_eq!(
        err(CertificateError::NotValidForName),
        TlsKind::HostnameMismatch
    );
    assert_eq!(err(CertificateError::Expired), TlsKind::Expired);
    assert_eq!(err(CertificateError::NotValidYet), TlsKind::NotYetValid);
    assert_eq!(err(CertificateError::Revoked), TlsKind::Other);
    assert_eq!(
        classify(&rustls::Error::HandshakeNotComplete, None).kind,
        TlsKind::Other
    );
}

#[test]
fn handshake_failures_beyond_the_certificate_are_typed() {
    let kind = |e: rustls::Error| classify(&e, None).kind;
    assert_eq!(
        kind(rustls::Error::NoCertificatesPresented),
        TlsKind::NoCertificate
    );
    assert_eq!(
        kind(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType
        )),
        TlsKind::NotTls
    );
    assert_eq!(
        kind(rustls::Error::PeerIncompatible(
            rustls::PeerIncompatible::Tls12NotOffered
        )),
        TlsKind::Incompatible
    );
    assert_eq!(
        kind(rustls::Error::AlertReceived(
            AlertDescription::ProtocolVersion
        )),
        TlsKind::Incompatible
    );
    assert_eq!(
        kind(rustls::Error::AlertReceived(AlertDescription::DecodeError)),
        TlsKind::Other
    );
}

/// Each typed cause reads in French without the English words the
/// core once built; the library's own words only inside « ».
#[test]
fn typed_causes_read_in_french() {
    use crate::i18n::Lang;
    let trust = Trust {
        ca_file: None,
        pinned_sha256: None,
    };
    let bad_name = TlsSetup::new("127.1", &trust).unwrap().server_name();
    let Err(bad_name) = bad_name else {
        panic!("127.1 is accepted as a server name");
    };
    let no_cert = TlsSetup::new("mail.example.test", &trust)
        .unwrap()
        .verify_chain(&[])
        .expect_err("an empty chain is refused");
    let other = NetError::Tls(classify(
        &rustls::Error::AlertReceived(AlertDescription::DecodeError),
        None,
    ));
    let cases = [
        (
            &bad_name,
            "«\u{a0}127.1\u{a0}» ne peut pas servir de nom de serveur",
        ),
        (&no_cert, "Le serveur n'a présenté aucun certificat"),
        (
            &other,
            "la bibliothèque TLS a dit\u{a0}: «\u{a0}received fatal alert",
        ),
    ];
    for (e, french) in cases {
        let fr = e.localized(Lang::Fr);
        assert!(fr.contains(french), "{fr}");
        for english in ["not a valid", "no certificate", "failed", "server"] {
            let outside = fr.split('«').next().unwrap_or_default();
            assert!(!outside.contains(english), "English {english:?} in {fr}");
        }
        assert_ne!(e.localized(Lang::En), fr);
    }
    let Err(NetError::Tls(t)) = TlsSetup::new("127.1", &trust).unwrap().server_name() else {
        unreachable!()
    };
    assert_eq!(
        (t.kind, t.detail.as_str()),
        (TlsKind::InvalidServerName, "127.1")
    );
}

#[test]
fn pin_accepts_only_that_certificate() {
    use rustls::pki_types::pem::PemObject;
    let pem = include_bytes!("../testdata/selfsigned.pem");
    let der: Vec<u8> = CertificateDer::pem_slice_iter(pem)
        .next()
        .unwrap()
        .unwrap()
        .to_vec();
    let trust = |pin: Option<String>| Trust {
        ca_file: None,
        pinned_sha256: pin,
    };
    let setup = TlsSetup::new("mail.example.test", &trust(None)).unwrap();
    match setup.verify_chain(std::slice::from_ref(&der)) {
        Err(NetError::Tls(t)) => {
            assert_eq!(t.kind, TlsKind::Untrusted, "{}", t.detail);
            assert_eq!(t.cert.unwrap().sha256, sha256_hex(&der));
        }
        other => panic!("{other:?}"),
    }
    let pinned = TlsSetup::new(
        "other.name",
        &trust(Some(crate::account::display_fingerprint(&sha256_hex(&der)))),
    )
    .unwrap();
    assert!(pinned.verify_chain(std::slice::from_ref(&der)).is_ok());
    let wrong = TlsSetup::new("mail.example.test", &trust(Some("ab".repeat(32)))).unwrap();
    match wrong.verify_chain(&[der]) {
        Err(NetError::Tls(t)) => assert_eq!(t.kind, TlsKind::PinMismatch),
        other => panic!("{other:?}"),
    }
}
