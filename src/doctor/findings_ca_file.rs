//! The account's CA file cannot be used (missing, unreadable, not PEM, no
//! certificate in it): mailwiz stopped before the secure connection, so
//! this says nothing about the server. It is its own finding, with the
//! path and the typed reason, not a protocol mismatch.

use super::{Code, Diag, Evidence};
use crate::trust::TrustError;
use std::io::ErrorKind;

/// The text variant (`doctor.ca_file_unusable.<part>_<variant>`) for a
/// reason, and the path the account names.
fn reason(e: &TrustError) -> (&'static str, &str) {
    match e {
        TrustError::Unreadable { path, kind } => (
            match kind {
                ErrorKind::NotFound => "missing",
                ErrorKind::PermissionDenied => "denied",
                ErrorKind::IsADirectory => "folder",
                _ => "unreadable",
            },
            path,
        ),
        TrustError::NotPem { path } => ("not_pem", path),
        TrustError::Empty { path } => ("no_certificate", path),
    }
}

/// `ca_file_unusable` with the path and the reason.
pub(super) fn unusable(e: &TrustError) -> Diag {
    let (variant, path) = reason(e);
    // A hand-edited accounts file may hold anything: no control character
    // reaches a terminal.
    let path = crate::net::clean_text(path.as_bytes());
    Diag::new(Code::CaFileUnusable, Evidence::Path(path.clone()))
        .variant(variant)
        .arg("path", path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Security;
    use crate::check::Side;
    use crate::doctor::{DoctorReport, Finding, ServerProbe, findings};
    use crate::i18n::{Lang, table};
    use crate::net::{NetError, Wire};

    fn probe(side: Side, error: Option<TrustError>) -> ServerProbe {
        let wire = match side {
            Side::Incoming => Wire::Imap,
            Side::Smtp => Wire::Smtp,
        };
        let mut p = ServerProbe::new(side, "mail.example.test", 993, Security::Tls, wire);
        if let Some(e) = error {
            p.fail(NetError::CaFile(e));
        }
        p
    }

    /// The incoming server's finding when its CA file fails with `e`.
    fn finding(e: TrustError, lang: Lang) -> Finding {
        let r = DoctorReport {
            incoming: probe(Side::Incoming, Some(e)),
            smtp: probe(Side::Smtp, None),
            smtp_ports: vec![],
            elapsed_ms: 0,
            transcript: Default::default(),
        };
        findings(&r, None, lang)
            .into_iter()
            .find(|f| f.server == Side::Incoming)
            .expect("a finding for the incoming server")
    }

    fn unreadable(kind: ErrorKind) -> TrustError {
        TrustError::Unreadable {
            path: "/etc/mail/ca.pem".into(),
            kind,
        }
    }

    #[test]
    fn each_reason_is_its_own_text_with_the_path() {
        let path = || "/etc/mail/ca.pem".to_string();
        let cases = [
            (unreadable(ErrorKind::NotFound), "missing"),
            (unreadable(ErrorKind::PermissionDenied), "denied"),
            (unreadable(ErrorKind::IsADirectory), "folder"),
            (unreadable(ErrorKind::Other), ""),
            (TrustError::NotPem { path: path() }, "not_pem"),
            (TrustError::Empty { path: path() }, "no_certificate"),
        ];
        for (e, variant) in cases {
            for lang in Lang::ALL {
                let f = finding(e.clone(), lang);
                assert_eq!(f.code, Code::CaFileUnusable, "{e:?}");
                assert_eq!(f.severity, crate::doctor::Severity::Error);
                let key = if variant.is_empty() {
                    "doctor.ca_file_unusable.explanation".to_string()
                } else {
                    format!("doctor.ca_file_unusable.explanation_{variant}")
                };
                let template = &table(lang)[&key];
                let expected = crate::i18n::fill(template, &[("path", "/etc/mail/ca.pem")]);
                assert_eq!(f.explanation, expected, "{e:?} {lang:?}");
                assert!(f.explanation.contains("/etc/mail/ca.pem"), "{e:?}");
                assert_eq!(f.evidence, "/etc/mail/ca.pem");
            }
            let (en, fr) = (finding(e.clone(), Lang::En), finding(e, Lang::Fr));
            assert_ne!(en.title, fr.title);
            assert_ne!(en.fix, fr.fix);
        }
    }

    #[test]
    fn a_hostile_path_reaches_no_terminal() {
        let e = TrustError::Empty {
            path: "/tmp/\u{1b}]0;owned\u{7}ca\n.pem".into(),
        };
        for lang in Lang::ALL {
            let f = finding(e.clone(), lang);
            for text in [&f.title, &f.explanation, &f.fix, &f.evidence] {
                assert!(!text.chars().any(char::is_control), "{text:?}");
            }
        }
    }
}
