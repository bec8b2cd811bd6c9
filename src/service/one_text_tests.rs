//! One text per error type: `Display` is the English localisation of the
//! same i18n key, and the French one differs (no English left in it).

use crate::config::ConfigError;
use crate::i18n::Lang;
use crate::net::{DnsCause, IoCause, NetError, Phase, Problem};
use crate::oauth::{ClientsFileError, OauthError};
use crate::secrets::{CommandFailure, SecretsError};
use crate::service::ServiceError;
use crate::trust::TrustError;
use std::path::PathBuf;

fn same_text<E: std::fmt::Display>(e: &E, localized: impl Fn(Lang) -> String) {
    let (en, fr) = (localized(Lang::En), localized(Lang::Fr));
    assert_eq!(e.to_string(), en, "Display is not the English text");
    assert_ne!(en, fr, "no French text for {en}");
}

#[test]
fn display_is_the_english_localisation() {
    let failures = [
        CommandFailure::Exit { code: 3 },
        CommandFailure::Signal { signal: 9 },
        CommandFailure::Timeout { secs: 60 },
        CommandFailure::TooMuchOutput { max: 10 },
        CommandFailure::Os { os: "x".into() },
        CommandFailure::NoOutput,
        CommandFailure::NotUtf8,
        CommandFailure::EmptyOutput,
    ];
    for failure in failures {
        let e = SecretsError::Command {
            failure: failure.clone(),
        };
        same_text(&e, |l| e.localized(l));
        let e = OauthError::Command { failure };
        same_text(&e, |l| e.localized(l));
    }
    let e = ServiceError::Secrets(SecretsError::NotFound {
        account: "a".into(),
        role: "smtp",
    });
    same_text(&e, |l| e.localized(l));
    let e = ServiceError::NoSuchAccount("a".into());
    same_text(&e, |l| e.localized(l));
    let e = ServiceError::Config(ConfigError::Read {
        path: PathBuf::from("/a"),
        source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    });
    same_text(&e, |l| e.localized(l));
    assert!(e.localized(Lang::Fr).contains("permission refusée"));
    let e = TrustError::Unreadable {
        path: "/ca".into(),
        kind: std::io::ErrorKind::NotFound,
    };
    same_text(&e, |l| e.localized(l));
    let e = ClientsFileError::NotUtf8 {
        path: PathBuf::from("/c"),
    };
    same_text(&e, |l| e.localized(l));
    let nets = [
        NetError::CaFile(TrustError::Empty { path: "/ca".into() }),
        NetError::Io {
            phase: Phase::Data,
            cause: IoCause::Closed,
        },
        NetError::Dns {
            host: "h".into(),
            cause: DnsCause::NoAddress,
        },
        NetError::Protocol {
            phase: Phase::Login,
            problem: Problem::NoAuth,
        },
    ];
    for e in nets {
        same_text(&e, |l| e.localized(l));
    }
}
