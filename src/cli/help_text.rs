//! `--help` in the user's language. Every text of the clap command tree
//! (what each command does, what each option means, the headings and the
//! help and version flags) comes from the `cli_help` tables, keyed by the
//! command's path and the argument's id: `cli_help.mailwiz.doctor.rcpt`.
//! The doc comments in `args.rs` stay as the source's own documentation.

use crate::i18n::{Lang, t, table, tf};
use clap::{Arg, ArgAction, Command};

/// The table key of `part` (`about`, `long_about`, or an argument id) of
/// the command at `path` (`mailwiz`, `mailwiz.send-test`, …).
pub fn key(path: &str, part: &str) -> String {
    format!("cli_help.{path}.{part}")
}

/// `cmd` with its texts in `lang`.
pub fn localized(cmd: Command, lang: Lang) -> Command {
    let mut cmd = localize(cmd, "mailwiz", lang)
        .disable_version_flag(true)
        .arg(
            heading(Arg::new("version").short('V').long("version"), lang, false)
                .action(ArgAction::Version)
                .help(t(lang, "cli_help.words.version")),
        );
    // The `help` subcommand exists once the tree is built.
    cmd.build();
    cmd.mut_subcommand("help", |c| c.about(t(lang, "cli_help.words.help_command")))
}

fn localize(mut cmd: Command, path: &str, lang: Lang) -> Command {
    let texts = table(lang);
    if let Some(about) = texts.get(&key(path, "about")) {
        cmd = cmd.about(about.as_str());
    }
    if let Some(long) = texts.get(&key(path, "long_about")) {
        cmd = cmd.long_about(long.as_str());
    }
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let help = texts.get(&key(path, &id)).cloned();
        cmd = cmd.mut_arg(&id, |a| {
            let a = heading(a, lang, positional);
            let text = help.clone().unwrap_or_default();
            // clap would say "[default: 15]" in English: said in the table's words.
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if defaults.is_empty() || a.is_hide_default_value_set() {
                return a.help(text);
            }
            let default = tf(
                lang,
                "cli_help.words.default",
                &[("value", &defaults.join(", "))],
            );
            a.hide_default_value(true)
                .help(format!("{text} [{default}]"))
        });
    }
    let usage = t(lang, "cli_help.words.usage");
    cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}"
        ))
        .subcommand_help_heading(t(lang, "cli_help.words.commands"))
        .subcommand_value_name(t(lang, "cli_help.words.command"))
        .disable_help_flag(true)
        .arg(
            heading(Arg::new("help").short('h').long("help"), lang, false)
                .action(ArgAction::Help)
                .help(t(lang, "cli_help.words.help")),
        );
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = format!("{path}.{name}");
        cmd = cmd.mut_subcommand(&name, |c| localize(c, &sub_path, lang));
    }
    cmd
}

/// The heading an argument is listed under (French adds its no-break space
/// before the colon clap prints).
fn heading(arg: Arg, lang: Lang, positional: bool) -> Arg {
    let key = if positional {
        "cli_help.words.arguments"
    } else {
        "cli_help.words.options"
    };
    arg.help_heading(t(lang, key))
}
