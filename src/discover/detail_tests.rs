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
