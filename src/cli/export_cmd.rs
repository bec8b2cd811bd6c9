//! `export [NAME] --format F [--output FILE]`: the account's settings in a
//! mail client's own format, on stdout or in FILE. Notes about what the
//! format cannot carry go to stderr, in the user's language.

use super::output::{self, line};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::export::{self, ExportError, ExportOptions, Format};
use crate::i18n::{t, tf};
use crate::net::io_kind_words;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The account (default: the only one)
    pub name: Option<String>,
    /// thunderbird (autoconfig XML), msmtp, mbsync, neomutt, aerc, himalaya (2.x), himalaya1, or qr (for Thunderbird for Android; a PNG with --output FILE.png)
    #[arg(long, short, value_name = "CLIENT")]
    pub format: Format,
    /// Write to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// mbsync: the local Maildir folder (default ~/Mail/NAME/)
    #[arg(long, value_name = "DIR")]
    pub maildir: Option<String>,
    /// Do not log in to read the server's folder names (use the preset's)
    #[arg(long)]
    pub no_login: bool,
}

/// How the client will run mailwiz: with `--config` when the accounts file
/// is not the default one, so the password command finds the account.
fn mailwiz_command(ctx: &Ctx) -> String {
    let default = directories::ProjectDirs::from("", "", "mailwiz")
        .map(|d| d.config_dir().join("accounts.toml"));
    if default.as_deref() == Some(ctx.config_path.as_path()) {
        return "mailwiz".into();
    }
    let path = std::path::absolute(&ctx.config_path).unwrap_or_else(|_| ctx.config_path.clone());
    format!(
        "mailwiz --config {}",
        export::shell_word(&path.to_string_lossy())
    )
}

pub(super) fn export(ctx: &Ctx, args: ExportArgs) -> i32 {
    let lang = ctx.lang;
    let acct = match super::credentials::load(ctx, args.name.as_deref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let folders = if args.no_login || !args.format.names_folders() {
        None
    } else {
        server_folders(lang, &acct)
    };
    let opts = ExportOptions {
        mailwiz: mailwiz_command(ctx),
        maildir: args.maildir.clone(),
        folders,
    };
    let exported = match export::export(&acct, args.format, &opts) {
        Ok(e) => e,
        Err(e) => {
            output::error(&e.localized(lang));
            return match e {
                ExportError::NeedsImap { .. } => EXIT_USAGE,
                ExportError::UnsafeValue { .. } | ExportError::Qr(_) => EXIT_FAILED,
            };
        }
    };
    match &args.output {
        Some(path) => {
            let bytes = file_bytes(&acct, args.format, path, &exported.text);
            if let Err(e) = std::fs::write(path, bytes) {
                let p = path.display().to_string();
                output::error(&tf(
                    lang,
                    "export.write_failed",
                    &[("path", &p), ("detail", &io_kind_words(lang, e.kind()))],
                ));
                return EXIT_FAILED;
            }
            let p = path.display().to_string();
            line(&tf(
                lang,
                "export.written",
                &[
                    ("format", args.format.as_str()),
                    ("name", &acct.name),
                    ("path", &p),
                ],
            ));
        }
        None => print!("{}", exported.text),
    }
    let folders = export::local_folders(&acct, args.format, &opts);
    if let Err(code) = prepare_folders(lang, &ctx.env, &folders, args.output.is_some()) {
        return code;
    }
    let ca = acct.ca_file.clone().unwrap_or_default();
    for note in &exported.notes {
        output::hint(&tf(lang, note.i18n_key(), &[("ca", &ca)]));
    }
    if args.output.is_none() && !exported.notes.is_empty() {
        output::hint(t(lang, "export.notes_on_stderr"));
    }
    EXIT_OK
}

/// The local folders the client needs before its first run: created when
/// the export is written to a file, else the `mkdir -p` to run is shown.
fn prepare_folders(
    lang: crate::i18n::Lang,
    env: &super::Environment,
    folders: &[String],
    create: bool,
) -> Result<(), i32> {
    let home = env.var_os("HOME").map(PathBuf::from).unwrap_or_default();
    for folder in folders {
        let path = export::expand_home(folder, &home);
        let shown = path.display().to_string();
        if !create {
            let command = format!("mkdir -p {}", export::shell_word(&shown));
            output::hint(&tf(lang, "export.folders.mkdir", &[("command", &command)]));
            continue;
        }
        if path.is_dir() {
            continue;
        }
        if let Err(e) = std::fs::create_dir_all(&path) {
            output::error(&tf(
                lang,
                "export.write_failed",
                &[("path", &shown), ("detail", &io_kind_words(lang, e.kind()))],
            ));
            return Err(EXIT_FAILED);
        }
        line(&tf(lang, "export.folders.created", &[("path", &shown)]));
    }
    Ok(())
}

/// The server's folder names, after one login (the folders the export
/// names are created when missing); None, with a hint, when the server
/// could not be asked.
fn server_folders(
    lang: crate::i18n::Lang,
    acct: &crate::account::Account,
) -> Option<export::Folders> {
    match export::look_up_folders(acct) {
        export::FolderLookup::Read { folders, created } => {
            for name in created {
                output::hint(&tf(
                    lang,
                    "export.folders.created_on_server",
                    &[("folder", &name)],
                ));
            }
            Some(folders)
        }
        export::FolderLookup::NotImap => None,
        export::FolderLookup::NoCredential => {
            output::hint(t(lang, "export.folders.preset_names"));
            None
        }
        export::FolderLookup::Failed(e) => {
            output::hint(&tf(
                lang,
                "export.folders.lookup_failed",
                &[("detail", &e.localized(lang))],
            ));
            None
        }
    }
}

/// What goes into the output file: the text, or for the QR code written to
/// a `.png` file, the image (the payload already passed `export`).
fn file_bytes(
    acct: &crate::account::Account,
    format: Format,
    path: &std::path::Path,
    text: &str,
) -> Vec<u8> {
    let png = path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("png"));
    if format == Format::Qr && png {
        let code = crate::qr::thunderbird_payload(acct).and_then(|p| crate::qr::encode(&p));
        if let Ok(code) = code {
            return crate::qr::to_png(&code, 8);
        }
    }
    text.as_bytes().to_vec()
}
