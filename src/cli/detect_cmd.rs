//! `detect [--json]`: the mail clients this user already has, and for each
//! account they hold, "you use IMAP on imap.free.fr:993 (TLS)". Files that
//! cannot be read or understood are named on stderr; the rest is still
//! listed. Finding nothing is not an error.

use super::output::{self, line};
use super::{Ctx, EXIT_OK, EXIT_USAGE};
use crate::detect::{self, DetectedAccount, ScanRoots, Warning, WarningKind};
use crate::i18n::{Lang, t, tf};

#[derive(clap::Args, Debug)]
pub struct DetectArgs {
    #[arg(long)]
    pub json: bool,
}

fn print_account(lang: Lang, a: &DetectedAccount) {
    line(&a.heading(lang));
    for l in a.describe(lang) {
        line(&format!("  {l}"));
    }
}

fn print_warning(lang: Lang, w: &Warning) {
    let file = w.file.display().to_string();
    let detail = w.detail.localized(lang);
    let text = match (w.kind, w.line) {
        (WarningKind::Unreadable, _) => tf(
            lang,
            "detect.warning.unreadable",
            &[("file", &file), ("detail", &detail)],
        ),
        (WarningKind::Malformed, Some(n)) => tf(
            lang,
            "detect.warning.malformed_line",
            &[
                ("file", &file),
                ("line", &n.to_string()),
                ("detail", &detail),
            ],
        ),
        (WarningKind::Malformed, None) => tf(
            lang,
            "detect.warning.malformed",
            &[("file", &file), ("detail", &detail)],
        ),
    };
    output::error(&text);
}

pub(super) fn detect(ctx: &Ctx, args: DetectArgs) -> i32 {
    let lang = ctx.lang;
    let Some(roots) = ScanRoots::from_vars(|k| ctx.env.var_os(k)) else {
        output::error(t(lang, "detect.no_home"));
        return EXIT_USAGE;
    };
    let report = detect::scan(&roots);
    for w in &report.warnings {
        print_warning(lang, w);
    }
    if args.json {
        output::json(&report);
        return EXIT_OK;
    }
    if report.accounts.is_empty() {
        let home = roots.home.display().to_string();
        line(&tf(lang, "detect.none", &[("home", &home)]));
        return EXIT_OK;
    }
    line(&tf(
        lang,
        "detect.found",
        &[("count", &report.accounts.len().to_string())],
    ));
    for a in &report.accounts {
        print_account(lang, a);
    }
    EXIT_OK
}
