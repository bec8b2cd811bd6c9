//! Why (part of) a mail client's file was not understood, as typed values
//! the faces localise (`detect.problem.*`). Names read from the file (an
//! account, a host, a protocol) are quoted evidence, cleaned of control
//! characters. `Display` is the English text, for logs and `--json`.

use crate::i18n::{self, Lang};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetectProblem {
    QuoteNotClosed,
    SectionNotClosed,
    NotKeyValue,
    NotUserPref,
    NotValidToml,
    BadPort,
    /// mbsync: an SSLType other than IMAPS, STARTTLS or None.
    BadSslType,
    PollWithoutServer,
    AccountWithoutName,
    UnknownAccount {
        name: String,
    },
    AccountWithoutHost {
        name: String,
    },
    /// fetchmail: a protocol that is neither POP3 nor IMAP.
    UnknownProtocol {
        host: String,
        protocol: String,
    },
    SourceTooDeep {
        max: usize,
    },
    TooManySourced {
        max: usize,
    },
    SourceCycle,
    /// The file itself could not be read.
    TooLarge {
        kib: u64,
    },
    TooManyLines {
        max: usize,
    },
    NotRegularFile,
    Io(std::io::ErrorKind),
}

impl DetectProblem {
    fn key_args(&self) -> (&'static str, Vec<(&'static str, String)>) {
        use DetectProblem as P;
        match self {
            P::QuoteNotClosed => ("detect.problem.quote_not_closed", vec![]),
            P::SectionNotClosed => ("detect.problem.section_not_closed", vec![]),
            P::NotKeyValue => ("detect.problem.not_key_value", vec![]),
            P::NotUserPref => ("detect.problem.not_user_pref", vec![]),
            P::NotValidToml => ("detect.problem.not_valid_toml", vec![]),
            P::BadPort => ("detect.problem.bad_port", vec![]),
            P::BadSslType => ("detect.problem.bad_ssl_type", vec![]),
            P::PollWithoutServer => ("detect.problem.poll_without_server", vec![]),
            P::AccountWithoutName => ("detect.problem.account_without_name", vec![]),
            P::UnknownAccount { name } => (
                "detect.problem.unknown_account",
                vec![("name", name.clone())],
            ),
            P::AccountWithoutHost { name } => (
                "detect.problem.account_without_host",
                vec![("name", name.clone())],
            ),
            P::UnknownProtocol { host, protocol } => (
                "detect.problem.unknown_protocol",
                vec![("host", host.clone()), ("protocol", protocol.clone())],
            ),
            P::SourceTooDeep { max } => (
                "detect.problem.source_too_deep",
                vec![("max", max.to_string())],
            ),
            P::TooManySourced { max } => (
                "detect.problem.too_many_sourced",
                vec![("max", max.to_string())],
            ),
            P::SourceCycle => ("detect.problem.source_cycle", vec![]),
            P::TooLarge { kib } => ("detect.problem.too_large", vec![("kib", kib.to_string())]),
            P::TooManyLines { max } => (
                "detect.problem.too_many_lines",
                vec![("max", max.to_string())],
            ),
            P::NotRegularFile => ("detect.problem.not_regular_file", vec![]),
            P::Io(kind) => ("detect.problem.io", vec![("kind", kind.to_string())]),
        }
    }

    /// The problem in `lang`, evidence cleaned of control characters.
    pub fn localized(&self, lang: Lang) -> String {
        let (key, args) = self.key_args();
        i18n::tf_outside(lang, key, args)
    }
}

impl std::fmt::Display for DetectProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

/// `--json` keeps its shape: the detail is the English text.
impl Serialize for DetectProblem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_reads_in_french_without_english() {
        let ev = || "x1".to_string();
        let all = [
            DetectProblem::QuoteNotClosed,
            DetectProblem::SectionNotClosed,
            DetectProblem::NotKeyValue,
            DetectProblem::NotUserPref,
            DetectProblem::NotValidToml,
            DetectProblem::BadPort,
            DetectProblem::BadSslType,
            DetectProblem::PollWithoutServer,
            DetectProblem::AccountWithoutName,
            DetectProblem::UnknownAccount { name: ev() },
            DetectProblem::AccountWithoutHost { name: ev() },
            DetectProblem::UnknownProtocol {
                host: ev(),
                protocol: ev(),
            },
            DetectProblem::SourceTooDeep { max: 3 },
            DetectProblem::TooManySourced { max: 3 },
            DetectProblem::SourceCycle,
            DetectProblem::TooLarge { kib: 3 },
            DetectProblem::TooManyLines { max: 3 },
            DetectProblem::NotRegularFile,
            DetectProblem::Io(std::io::ErrorKind::PermissionDenied),
        ];
        // Names of the clients' own formats, the same in both languages.
        let same = [
            "user_pref",
            "value",
            "TOML",
            "IMAPS",
            "STARTTLS",
            "None",
            "SSLType",
            "POP3",
            "IMAP",
            "poll",
            "source",
            "FIFO",
            "section",
            "port",
        ];
        let words = |t: &str| {
            let mut own = String::new();
            let mut depth = 0;
            for c in t.chars() {
                match c {
                    '«' => depth += 1,
                    '»' => depth -= 1,
                    _ if depth == 0 => own.push(c),
                    _ => {}
                }
            }
            own.split(|c: char| !c.is_alphanumeric() && c != '_')
                .filter(|w| w.chars().count() >= 4 && !w.chars().all(|c| c.is_ascii_digit()))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        for p in &all {
            let (en, fr) = (p.localized(Lang::En), p.localized(Lang::Fr));
            assert_eq!(en, p.to_string());
            assert!(!fr.starts_with("detect."), "{fr}");
            for w in words(&en) {
                if !same.contains(&w.as_str()) {
                    assert!(!words(&fr).contains(&w), "English {w:?} in {fr:?}");
                }
            }
        }
    }

    #[test]
    fn names_from_a_file_are_cleaned() {
        let p = DetectProblem::UnknownAccount {
            name: "a\u{1b}]52;c;x\u{7}b".into(),
        };
        for lang in Lang::ALL {
            assert!(!p.localized(lang).chars().any(char::is_control));
        }
    }
}
