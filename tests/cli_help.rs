#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! `--help` in the user's language: every command's help read in French
//! has no English left (clap's own words included: "Usage:", "Print help",
//! "[default: …]"), and every command and argument has a text in both
//! tables, so a new option cannot arrive without its French.

use clap::CommandFactory;
use mailwiz::cli::help_text::key;
use mailwiz::i18n::{Lang, table};
use std::process::Command;

/// Every command's path in the tree, with its argument ids.
fn tree() -> Vec<(String, Vec<String>)> {
    fn walk(c: &clap::Command, path: &str, out: &mut Vec<(String, Vec<String>)>) {
        let args = c.get_arguments().map(|a| a.get_id().to_string()).collect();
        out.push((path.to_string(), args));
        for s in c.get_subcommands() {
            walk(s, &format!("{path}.{}", s.get_name()), out);
        }
    }
    let mut out = Vec::new();
    walk(&mailwiz::cli::Cli::command(), "mailwiz", &mut out);
    out
}

fn help(path: &str, lang: &str) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailwiz"));
    cmd.args(path.split('.').skip(1));
    for v in ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "MAILWIZ_LANG"] {
        cmd.env_remove(v);
    }
    let out = cmd.args(["--help", "--lang", lang]).output().unwrap();
    assert!(out.status.success(), "{path} --help: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_command_and_argument_has_a_text_in_both_languages() {
    let mut missing = Vec::new();
    for (path, args) in tree() {
        for part in std::iter::once("about".to_string()).chain(args) {
            for lang in [Lang::En, Lang::Fr] {
                let k = key(&path, &part);
                if table(lang).get(&k).is_none_or(|t| t.trim().is_empty()) {
                    missing.push(format!("{lang:?} {k}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "no help text for: {missing:?}");
}

#[test]
fn every_help_page_reads_in_french() {
    let english = [
        "Usage:",
        "Commands:",
        "Print help",
        "Print version",
        "[default:",
        "Print this message",
        " the ",
        " and ",
    ];
    for (path, _) in tree() {
        let text = help(&path, "fr");
        assert!(text.contains("Utilisation\u{a0}: "), "{path}:\n{text}");
        assert!(text.contains("Afficher l'aide"), "{path}:\n{text}");
        for e in english {
            assert!(!text.contains(e), "{path}: English {e:?} in:\n{text}");
        }
    }
    let root = help("mailwiz", "fr");
    assert!(root.contains("Commandes\u{a0}:"), "{root}");
    assert!(
        help("mailwiz.check", "fr").contains("[par défaut\u{a0}: 10]"),
        "the default is said in French"
    );
}

#[test]
fn english_help_stays_english() {
    let text = help("mailwiz.check", "en");
    for e in [
        "Usage: mailwiz check",
        "Print help",
        "[default: 10]",
        "Connect over IPv4 only",
    ] {
        assert!(text.contains(e), "{e:?} not in:\n{text}");
    }
}
