//! What every error type's texts must satisfy (unit tests only): one text
//! per language from the tables, `Display` the English one, the French one
//! another text in French typography.

use crate::i18n::{Lang, french_spacing};

/// `display` is the English text, `fr` a different, French-typographed
/// text, and neither is an untranslated key or a leftover placeholder.
pub(crate) fn assert_one_text_per_language(what: &str, display: &str, en: &str, fr: &str) {
    assert_eq!(display, en, "{what}: Display is not the English table text");
    assert_ne!(en, fr, "{what}: the French text is the English one");
    for (lang, text) in [(Lang::En, en), (Lang::Fr, fr)] {
        assert!(!text.trim().is_empty(), "{what}: empty {lang:?} text");
        assert!(
            !text.contains('{') && !text.contains("field_error."),
            "{what}: {lang:?} text is a key or has a placeholder left: {text}"
        );
    }
    assert_eq!(
        french_spacing(fr),
        fr,
        "{what}: French text without French typography"
    );
    for mark in [" :", " ;", " ?", " !", "« ", " »"] {
        assert!(!fr.contains(mark), "{what}: plain space in {mark:?}: {fr}");
    }
}
