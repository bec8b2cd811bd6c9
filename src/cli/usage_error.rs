//! Command-line mistakes in the user's language. clap's own messages are
//! English; in French its error kind and context (the argument, the value,
//! the accepted values) are put into our own sentences.

use crate::i18n::{Lang, t, tf};
use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The language for a parse error: `--lang X` / `--lang=X` among the raw
/// arguments, else the environment (clap has not parsed anything yet).
pub fn lang_of(args: &[std::ffi::OsString], env: &super::Environment) -> Lang {
    let mut explicit = None;
    for (i, a) in args.iter().enumerate() {
        let a = a.to_string_lossy();
        if let Some(v) = a.strip_prefix("--lang=") {
            explicit = Some(v.to_string());
        } else if a == "--lang" {
            explicit = args.get(i + 1).map(|v| v.to_string_lossy().into_owned());
        }
    }
    env.lang(explicit.as_deref())
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The message for a parse error in `lang` (English keeps clap's own).
pub fn message(e: &clap::Error, lang: Lang) -> String {
    if lang == Lang::En {
        return e.render().to_string();
    }
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let valid = context(e, ContextKind::ValidValue);
    let text = match e.kind() {
        ErrorKind::InvalidValue if !valid.is_empty() => tf(
            lang,
            "cli.usage.invalid_value_among",
            &[("arg", &arg), ("value", &value), ("valid", &valid)],
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => tf(
            lang,
            "cli.usage.invalid_value",
            &[("arg", &arg), ("value", &value)],
        ),
        ErrorKind::UnknownArgument => tf(lang, "cli.usage.unknown_argument", &[("arg", &arg)]),
        ErrorKind::InvalidSubcommand => tf(
            lang,
            "cli.usage.unknown_subcommand",
            &[("name", &context(e, ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::MissingRequiredArgument => {
            tf(lang, "cli.usage.missing_argument", &[("arg", &arg)])
        }
        _ => t(lang, "cli.usage.other").to_string(),
    };
    format!("{text}\n{}\n", t(lang, "cli.usage.help"))
}
