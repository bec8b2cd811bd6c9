//! `mailwiz doctor --replay FILE`: a ticket written with `--bundle`, shown
//! as the doctor showed it, in the reader's language (issue 16.2).

use super::doctor_cmd::{exit_code, print_text};
use super::output::{self, line};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::doctor::Finding;
use crate::doctor::bundle::{self, Bundle, Loaded, TextBundle};
use crate::i18n::{Lang, t, tf};
use std::path::Path;

pub(super) fn replay(lang: Lang, path: &Path, json: bool) -> i32 {
    match bundle::read(path) {
        Ok(Loaded::Current(ticket)) => current(lang, &ticket, json),
        Ok(Loaded::Texts(old)) => texts(lang, &old, json),
        Err(e) => {
            let mut args = e.i18n_args();
            args.push(("path", path.display().to_string()));
            let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            output::error(&tf(lang, e.i18n_key(), &refs));
            EXIT_USAGE
        }
    }
}

fn current(lang: Lang, ticket: &Bundle, json: bool) -> i32 {
    let found: Vec<Finding> = ticket.findings.iter().map(|f| f.localized(lang)).collect();
    if json {
        output::json(&serde_json::json!({
            "schema": ticket.schema,
            "account": ticket.account,
            "written_in": ticket.locale.lang,
            "findings": found,
            "servers": ticket.servers,
        }));
        return exit_code(&found);
    }
    let written_in = t(lang, language_key(ticket.written_in()));
    line(&tf(
        lang,
        "bundle.replay.header",
        &[
            ("name", &ticket.account.name),
            ("email", &ticket.account.email),
            ("version", &ticket.mailwiz_version),
            ("language", written_in),
        ],
    ));
    print_text(lang, ticket, &found);
    exit_code(&found)
}

fn language_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "bundle.language.fr",
        Lang::En => "bundle.language.en",
    }
}

/// Schema 0: the findings are texts in their original language; shown as
/// they are, after saying why they are not in the reader's.
fn texts(lang: Lang, old: &TextBundle, json: bool) -> i32 {
    let failed = old.findings.iter().any(|f| f.severity != "ok");
    if json {
        output::json(&serde_json::json!({
            "schema": 0,
            "account": old.account,
            "written_in": old.lang,
            "findings": old.findings.iter().map(|f| serde_json::json!({
                "code": f.code, "severity": f.severity, "server": f.server,
                "title": f.title, "explanation": f.explanation, "fix": f.fix,
                "evidence": f.evidence,
            })).collect::<Vec<_>>(),
        }));
    } else {
        let original =
            Lang::parse(&old.lang).map_or(old.lang.as_str(), |l| t(lang, language_key(l)));
        line(&tf(
            lang,
            "bundle.replay.schema0",
            &[("version", &old.mailwiz_version), ("language", original)],
        ));
        for f in &old.findings {
            output::status(f.severity == "ok", &format!("[{}] {}", f.code, f.title));
            if f.severity != "ok" {
                line(&format!("      {}", f.explanation));
                line(&format!(
                    "      {}",
                    tf(lang, "doctor.cli.fix", &[("text", &f.fix)])
                ));
            }
            if !f.evidence.is_empty() {
                line(&format!(
                    "      {}",
                    tf(lang, "doctor.cli.evidence", &[("text", &f.evidence)])
                ));
            }
        }
    }
    if failed { EXIT_FAILED } else { EXIT_OK }
}
