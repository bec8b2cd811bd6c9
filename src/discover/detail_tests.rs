//! Every detail reads in French without English; evidence is cleaned.

use super::*;

/// Words (4 letters or more) of `text`, outside « » quotes.
fn words(text: &str) -> Vec<String> {
    let mut own = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth -= 1,
            _ if depth == 0 => own.push(c),
            _ => {}
        }
    }
    own.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_string)
        .collect()
}

/// Technical names that read the same in both languages.
const SAME: &[&str] = &[
    "ISPDB",
    "SERVFAIL",
    "clientConfig",
    "emailProvider",
    "http",
    "HTTP",
    "code",
    "document",
    "source",
    "sources",
    "Autodiscover",
    "Exchange",
    "Online",
    "Microsoft",
    "IMAP",
    "SMTP",
    "POP3",
    "DavMail",
    "allow",
    "redirect",
    "terminal",
];

/// Every English word of the English text is absent from the French
/// one (evidence is given as neutral tokens, so only our text counts).
pub(crate) fn assert_translated(en: &str, fr: &str) {
    assert!(!fr.is_empty() && !fr.starts_with("discover."), "{fr}");
    for w in words(en) {
        if SAME.contains(&w.as_str()) {
            continue;
        }
        assert!(
            !words(fr).contains(&w),
            "English {w:?} in {fr:?} (from {en:?})"
        );
    }
}

fn failure(why: Why) -> Failure {
    Failure {
        at: "u1".into(),
        why,
    }
}

#[test]
fn every_detail_reads_in_french_without_english() {
    let ev = || "x1".to_string();
    let whys = vec![
        Why::HttpStatus(500),
        Why::Timeout,
        Why::Certificate,
        Why::Unreachable,
        Why::TooLarge,
        Why::Network("x2".into()),
        Why::CaFile(TrustError::Empty { path: ev() }),
        Why::CaFile(TrustError::NotPem { path: ev() }),
        Why::CaFile(TrustError::Unreadable {
            path: ev(),
            kind: std::io::ErrorKind::NotFound,
        }),
        Why::Crashed,
        Why::NotAutodiscover,
        Why::NotHttps,
        Why::Dns(DnsError::Timeout),
        Why::Dns(DnsError::BadName(ev())),
        Why::Dns(DnsError::Malformed),
        Why::Dns(DnsError::OtherQuery),
        Why::Dns(DnsError::ServFail),
        Why::Dns(DnsError::Refused),
        Why::Dns(DnsError::Code(9)),
        Why::Dns(DnsError::Io(std::io::ErrorKind::ConnectionRefused)),
        Why::Dns(DnsError::NoServer),
        Why::Dns(DnsError::NoAddress(ev())),
        Why::Document(ConfigError::Xml {
            position: 3,
            detail: "x3".into(),
        }),
        Why::Document(ConfigError::NotClientConfig(ev())),
        Why::Document(ConfigError::Truncated(ev())),
        Why::Document(ConfigError::NoProvider),
        Why::Document(ConfigError::TooLarge),
        Why::Document(ConfigError::TooDeep),
        Why::Document(ConfigError::TooManyElements),
    ];
    let mut details: Vec<SourceDetail> = whys
        .into_iter()
        .map(|w| SourceDetail::Failed {
            failures: vec![failure(w)],
        })
        .collect();
    details.extend([
        SourceDetail::NoPreset { domain: ev() },
        SourceDetail::Document {
            url: ev(),
            incoming: 1,
            outgoing: 2,
            secure: true,
        },
        SourceDetail::Document {
            url: ev(),
            incoming: 1,
            outgoing: 2,
            secure: false,
        },
        SourceDetail::NotInIspdb { url: ev() },
        SourceDetail::MxPreset {
            mx: ev(),
            preset: ev(),
        },
        SourceDetail::NoMx { domain: ev() },
        SourceDetail::MxInOwnDomain {
            mx: ev(),
            domain: ev(),
        },
        SourceDetail::MxUnknown {
            mx: ev(),
            domains: vec![ev()],
        },
        SourceDetail::MxFailed {
            mx: ev(),
            failures: vec![failure(Why::Timeout)],
        },
        SourceDetail::NoSrv { domain: ev() },
        SourceDetail::Guessed {
            servers: vec![ev()],
            failed: 1,
            probes: 2,
            not_needed: false,
        },
        SourceDetail::Guessed {
            servers: vec![ev()],
            failed: 1,
            probes: 2,
            not_needed: true,
        },
        SourceDetail::GuessNoTls { probes: 2 },
        SourceDetail::GuessNoTime { probes: 2 },
        SourceDetail::NoDnsAnswer,
        SourceDetail::NoTimeLeft,
        SourceDetail::Cancelled,
        SourceDetail::Deadline { ms: 5 },
        SourceDetail::StoppedEarly,
        SourceDetail::CannotStart,
        SourceDetail::AutodiscoverNotNeeded,
        SourceDetail::ExchangeOnline { host: ev() },
        SourceDetail::ExchangeOnly { host: ev() },
        SourceDetail::RedirectNeedsConsent { host: ev() },
    ]);
    for d in &details {
        let (en, fr) = (d.localized(Lang::En), d.localized(Lang::Fr));
        assert_eq!(en, d.to_string());
        assert_translated(&en, &fr);
    }
}

#[test]
fn evidence_is_cleaned_of_control_characters() {
    let d = SourceDetail::NoMx {
        domain: "evil\u{1b}[31m.test\r\nforged".into(),
    };
    for lang in Lang::ALL {
        let text = d.localized(lang);
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
}

/// One of each detail, its evidence distinct from every other's.
fn one_of_each() -> Vec<SourceDetail> {
    use SourceDetail as D;
    let s = |v: &str| v.to_string();
    let f = |at: &str| vec![failure_at(at)];
    vec![
        D::None,
        D::Preset {
            name: s("e1"),
            id: s("e2"),
        },
        D::NoPreset { domain: s("e3") },
        D::Document {
            url: s("e4"),
            incoming: 41,
            outgoing: 42,
            secure: true,
        },
        D::Document {
            url: s("e5"),
            incoming: 51,
            outgoing: 52,
            secure: false,
        },
        D::NotInIspdb { url: s("e6") },
        D::MxPreset {
            mx: s("e7"),
            preset: s("e8"),
        },
        D::MxDocument {
            mx: s("e9"),
            url: s("e10"),
        },
        D::NoMx { domain: s("e11") },
        D::MxInOwnDomain {
            mx: s("e12"),
            domain: s("e13"),
        },
        D::MxUnknown {
            mx: s("e14"),
            domains: vec![s("e15")],
        },
        D::MxFailed {
            mx: s("e16"),
            failures: f("e17"),
        },
        D::Srv {
            records: vec![s("e18")],
        },
        D::NoSrv { domain: s("e19") },
        D::Guessed {
            servers: vec![s("e20")],
            failed: 201,
            probes: 202,
            not_needed: false,
        },
        D::Guessed {
            servers: vec![s("e21")],
            failed: 211,
            probes: 212,
            not_needed: true,
        },
        D::GuessNoTls { probes: 221 },
        D::GuessNoTime { probes: 231 },
        D::NoDnsAnswer,
        D::NoTimeLeft,
        D::Cancelled,
        D::Deadline { ms: 241 },
        D::StoppedEarly,
        D::CannotStart,
        D::Failed { failures: f("e25") },
        D::AutodiscoverNotNeeded,
        D::ExchangeOnline { host: s("e26") },
        D::ExchangeOnly { host: s("e27") },
        D::RedirectNeedsConsent { host: s("e28") },
    ]
}

fn failure_at(at: &str) -> Failure {
    Failure {
        at: at.into(),
        why: Why::Timeout,
    }
}

/// Does not compile when a detail is added: add it to `one_of_each` too.
fn _listed_in_one_of_each(d: &SourceDetail) {
    use SourceDetail as D;
    match d {
        D::None
        | D::Preset { .. }
        | D::NoPreset { .. }
        | D::Document { .. }
        | D::NotInIspdb { .. }
        | D::MxPreset { .. }
        | D::MxDocument { .. }
        | D::NoMx { .. }
        | D::MxInOwnDomain { .. }
        | D::MxUnknown { .. }
        | D::MxFailed { .. }
        | D::Srv { .. }
        | D::NoSrv { .. }
        | D::Guessed { .. }
        | D::GuessNoTls { .. }
        | D::GuessNoTime { .. }
        | D::NoDnsAnswer
        | D::NoTimeLeft
        | D::Cancelled
        | D::Deadline { .. }
        | D::StoppedEarly
        | D::CannotStart
        | D::Failed { .. }
        | D::AutodiscoverNotNeeded
        | D::ExchangeOnline { .. }
        | D::ExchangeOnly { .. }
        | D::RedirectNeedsConsent { .. } => {}
    }
}

/// Each detail has its own key, and its text shows every argument and
/// fills every placeholder: no family helper answers for another's
/// detail, no argument is lost.
#[test]
fn each_detail_has_its_own_key_and_shows_its_evidence() {
    let mut keys = Vec::new();
    for d in one_of_each() {
        let (key, args) = d.key_args(Lang::En);
        if d.is_empty() {
            assert_eq!((key, args.len()), ("", 0));
            continue;
        }
        assert!(key.starts_with("discover.detail."), "{d:?}: {key:?}");
        assert!(!keys.contains(&key), "{d:?}: {key} given twice");
        keys.push(key);
        for lang in Lang::ALL {
            let text = d.localized(lang);
            assert!(!text.contains('{'), "{d:?}: a placeholder left in {text:?}");
            for (name, value) in d.key_args(lang).1 {
                assert!(text.contains(&value), "{d:?}: {name} not in {text:?}");
            }
        }
    }
    assert_eq!(keys.len(), one_of_each().len() - 1);
}
