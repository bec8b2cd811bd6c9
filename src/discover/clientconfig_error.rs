//! Why a clientConfig document could not be read: a typed reason with one
//! text per language.

use crate::i18n::{self, Lang};

/// Why a document could not be read. The texts are
/// `discover.config_error.*` (English and French); `Display` is the English
/// one. The parser's words (`detail`) and the names of elements travel as
/// quoted evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// Not well-formed XML at byte `position`; the parser's own words.
    Xml {
        position: u64,
        detail: String,
    },
    /// Another root element than `<clientConfig>`.
    NotClientConfig(String),
    /// The document ends inside this element.
    Truncated(String),
    NoProvider,
    /// Over [`super::MAX_DOCUMENT_BYTES`].
    TooLarge,
    /// Nested over [`super::MAX_DEPTH`].
    TooDeep,
    /// Over [`super::MAX_ELEMENTS`].
    TooManyElements,
}

impl ConfigError {
    /// The reason in `lang`, evidence cleaned of control characters.
    pub fn localized(&self, lang: Lang) -> String {
        let (key, args) = match self {
            ConfigError::Xml { position, detail } => (
                "discover.config_error.xml",
                vec![("position", position.to_string()), ("said", detail.clone())],
            ),
            ConfigError::NotClientConfig(root) => (
                "discover.config_error.not_client_config",
                vec![("root", root.clone())],
            ),
            ConfigError::Truncated(inside) => (
                "discover.config_error.truncated",
                vec![("inside", inside.clone())],
            ),
            ConfigError::NoProvider => ("discover.config_error.no_provider", vec![]),
            ConfigError::TooLarge => ("discover.config_error.too_large", vec![]),
            ConfigError::TooDeep => ("discover.config_error.too_deep", vec![]),
            ConfigError::TooManyElements => ("discover.config_error.too_many_elements", vec![]),
        };
        i18n::tf_outside(lang, key, args)
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::t;

    fn every_kind() -> Vec<ConfigError> {
        vec![
            ConfigError::Xml {
                position: 7,
                detail: "bad".into(),
            },
            ConfigError::NotClientConfig("html".into()),
            ConfigError::Truncated("incomingServer".into()),
            ConfigError::NoProvider,
            ConfigError::TooLarge,
            ConfigError::TooDeep,
            ConfigError::TooManyElements,
        ]
    }

    #[test]
    fn each_kind_has_one_text_per_language() {
        for e in every_kind() {
            let key = match &e {
                ConfigError::Xml { .. } => "discover.config_error.xml",
                ConfigError::NotClientConfig(_) => "discover.config_error.not_client_config",
                ConfigError::Truncated(_) => "discover.config_error.truncated",
                ConfigError::NoProvider => "discover.config_error.no_provider",
                ConfigError::TooLarge => "discover.config_error.too_large",
                ConfigError::TooDeep => "discover.config_error.too_deep",
                ConfigError::TooManyElements => "discover.config_error.too_many_elements",
            };
            let en = crate::i18n::fill(
                t(Lang::En, key),
                &[
                    ("position", "7"),
                    ("said", "bad"),
                    ("root", "html"),
                    ("inside", "incomingServer"),
                ],
            );
            crate::test_texts::assert_one_text_per_language(
                &format!("{e:?}"),
                &e.to_string(),
                &en,
                &e.localized(Lang::Fr),
            );
        }
    }

    #[test]
    fn evidence_is_cleaned_of_control_characters() {
        let e = ConfigError::NotClientConfig("h\x1b[31mtml".into());
        for lang in Lang::ALL {
            assert!(!e.localized(lang).contains('\x1b'), "{lang:?}");
        }
    }
}
