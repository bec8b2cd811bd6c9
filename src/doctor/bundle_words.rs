//! Findings as codes with parameters, not text (issue 16.2): what the
//! doctor found, kept in a form any language can put in words later. The
//! live doctor renders through this too, so a replayed ticket reads exactly
//! as the doctor would have said it, in the reader's language.

use super::findings::{Code, Finding, Severity};
use crate::check::Side;
use crate::i18n::{Lang, table, tf};
use serde::{Deserialize, Serialize};

/// Words to render in some language: the server's own (verbatim), or
/// mailwiz's (a message key and its arguments), or several joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Words {
    /// Verbatim: what a server said, a host name, a number.
    Said {
        text: String,
    },
    /// mailwiz's words: `key` in the reader's language.
    Msg {
        key: String,
        #[serde(default)]
        args: Vec<Param>,
    },
    Join {
        sep: String,
        parts: Vec<Words>,
    },
}

/// A separator as the reader's typography wants it: French puts a no-break
/// space before `;` and `:` ("465 : refusé ; 587 : ouvert").
fn separator(sep: &str, lang: Lang) -> String {
    match lang {
        Lang::Fr if sep.starts_with([';', ':']) => format!("\u{a0}{sep}"),
        _ => sep.to_string(),
    }
}

/// One placeholder of a message: plain text, or words of their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub value: Words,
}

impl Words {
    pub fn said(text: impl Into<String>) -> Words {
        Words::Said { text: text.into() }
    }

    pub fn msg(key: &str, args: Vec<Param>) -> Words {
        Words::Msg {
            key: key.to_string(),
            args,
        }
    }

    pub fn empty() -> Words {
        Words::said("")
    }

    pub fn render(&self, lang: Lang) -> String {
        match self {
            Words::Said { text } => text.clone(),
            Words::Msg { key, args } => render_msg(key, args, lang),
            Words::Join { sep, parts } => parts
                .iter()
                .map(|p| p.render(lang))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(&separator(sep, lang)),
        }
    }
}

impl Param {
    pub fn text(name: &str, value: impl Into<String>) -> Param {
        Param {
            name: name.to_string(),
            value: Words::said(value),
        }
    }

    pub fn words(name: &str, value: Words) -> Param {
        Param {
            name: name.to_string(),
            value,
        }
    }
}

fn render_msg(key: &str, args: &[Param], lang: Lang) -> String {
    let values: Vec<(String, String)> = args
        .iter()
        .map(|p| (p.name.clone(), p.value.render(lang)))
        .collect();
    let refs: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    tf(lang, key, &refs)
}

/// A finding before its texts: what the doctor concluded, language-free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodedFinding {
    pub code: Code,
    pub severity: Severity,
    #[serde(with = "side_name")]
    pub server: Side,
    /// A text variant (`doctor.<code>.<part>_<variant>`) when it exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    pub params: Vec<Param>,
    pub evidence: Words,
}

impl CodedFinding {
    pub fn localized(&self, lang: Lang) -> Finding {
        let d = self;
        let text = |part: &str| {
            let base = format!("doctor.{}.{part}", d.code.as_str());
            let key = match &self.variant {
                Some(v) if table(lang).contains_key(&format!("{base}_{v}")) => {
                    format!("{base}_{v}")
                }
                _ => base,
            };
            render_msg(&key, &self.params, lang)
        };
        Finding {
            code: self.code,
            severity: self.severity,
            server: self.server,
            title: text("title"),
            explanation: text("explanation"),
            fix: text("fix"),
            evidence: self.evidence.render(lang),
        }
    }
}

/// `Side` as "incoming" / "smtp" (its JSON name everywhere else).
pub(crate) mod side_name {
    use crate::check::Side;
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` passes a reference
    pub fn serialize<S: Serializer>(side: &Side, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match side {
            Side::Incoming => "incoming",
            Side::Smtp => "smtp",
        })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Side, D::Error> {
        match String::deserialize(d)?.as_str() {
            "incoming" => Ok(Side::Incoming),
            "smtp" => Ok(Side::Smtp),
            other => Err(serde::de::Error::custom(format!(
                "unknown server {other:?}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_render_in_each_language() {
        let w = Words::Join {
            sep: "; ".into(),
            parts: vec![
                Words::msg(
                    "doctor.evidence.logged_in",
                    vec![Param::text("user", "alice")],
                ),
                Words::said("RCPT TO: 250 ok"),
            ],
        };
        assert_eq!(w.render(Lang::En), "logged in as alice; RCPT TO: 250 ok");
        assert_eq!(
            w.render(Lang::Fr),
            "identifié en tant que alice\u{a0}; RCPT TO: 250 ok"
        );
        let json = serde_json::to_string(&w).unwrap();
        let back: Words = serde_json::from_str(&json).unwrap();
        assert_eq!(back, w);
    }
}
