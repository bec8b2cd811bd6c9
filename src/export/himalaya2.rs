//! himalaya 2 (2.x, 2026): one `[accounts.NAME]` table of
//! `~/.config/himalaya/config.toml` with the 2.0 keys (`config.sample.toml`
//! of himalaya 2.2.1): `imap.server` (a bare authority takes implicit TLS,
//! `imap://` is cleartext with `imap.starttls`), `imap.tls.cert` for an
//! extra root, one `imap.sasl.<mechanism>` table, the same under `smtp.`,
//! and `mailbox.alias.<role>`. himalaya 2 has no keyring of its own and
//! signs in with OAuth2 through an external broker: the secrets are
//! commands, written as argument lists, so no shell ever reads them.

use super::quote::toml_string;
use super::{ExportOptions, Exported, Note, has_pin};
use crate::account::{Account, Role, Security};
use std::fmt::Write;

/// The server as himalaya 2 reads it, and whether to upgrade with STARTTLS.
fn server(implicit: &str, plain: &str, host: &str, port: u16, s: Security) -> (String, bool) {
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    match s {
        Security::Tls => (format!("{implicit}://{host}:{port}"), false),
        Security::Starttls => (format!("{plain}://{host}:{port}"), true),
        Security::None => (format!("{plain}://{host}:{port}"), false),
    }
}

/// A TOML array of strings: the command's arguments.
fn argv(words: &[String]) -> String {
    let items: Vec<String> = words.iter().map(|w| toml_string(w)).collect();
    format!("[{}]", items.join(", "))
}

/// One side (`imap` or `smtp`): server, TLS, and its SASL table.
fn side(
    t: &mut String,
    prefix: &str,
    server: (String, bool),
    login: Option<(&str, Vec<String>)>,
    oauth: bool,
    ca: Option<&str>,
) {
    let _ = writeln!(t, "{prefix}.server = {}", toml_string(&server.0));
    if server.1 {
        let _ = writeln!(t, "{prefix}.starttls = true");
    }
    if let Some(ca) = ca {
        let _ = writeln!(t, "{prefix}.tls.cert = {}", toml_string(ca));
    }
    let Some((user, command)) = login else {
        return;
    };
    let (mechanism, secret) = if oauth {
        ("xoauth2", "token")
    } else {
        ("plain", "password")
    };
    let _ = writeln!(
        t,
        "{prefix}.sasl.{mechanism}.username = {}",
        toml_string(user)
    );
    let _ = writeln!(
        t,
        "{prefix}.sasl.{mechanism}.{secret}.command = {}",
        argv(&command)
    );
}

pub(super) fn export(a: &Account, o: &ExportOptions) -> Exported {
    let i = &a.incoming;
    let s = &a.smtp;
    let oauth = super::is_oauth(a);
    let command = |role: Role| {
        let mut words = o.mailwiz_argv();
        if oauth {
            words.extend(["token".to_string(), a.name.clone()]);
        } else {
            words.extend(["password".into(), a.name.clone(), role.as_str().into()]);
        }
        words
    };
    let ca = if i.security == Security::None {
        None
    } else {
        a.ca_file.as_deref()
    };
    let mut t = String::new();
    let _ = writeln!(t, "# mailwiz export of account {} (himalaya 2)", a.name);
    let _ = writeln!(t, "[accounts.{}]", toml_string(&a.name));
    let _ = writeln!(t, "email = {}", toml_string(&a.email));
    if !a.display_name.is_empty() {
        let _ = writeln!(t, "display-name = {}", toml_string(&a.display_name));
    }
    let imap = server("imaps", "imap", &i.host, i.port, i.security);
    let login = Some((i.username.as_str(), command(Role::Incoming)));
    side(&mut t, "imap", imap, login, oauth, ca);
    let smtp = server("smtps", "smtp", &s.host, s.port, s.security);
    let login = s
        .auth_required
        .then(|| (s.username.as_str(), command(Role::Smtp)));
    let ca = if s.security == Security::None {
        None
    } else {
        a.ca_file.as_deref()
    };
    side(&mut t, "smtp", smtp, login, oauth, ca);
    let folders = o.folders_for(a);
    let _ = writeln!(t, "mailbox.alias.sent = {}", toml_string(&folders.sent));
    let _ = writeln!(t, "mailbox.alias.drafts = {}", toml_string(&folders.drafts));
    if folders.copy_sent {
        let _ = writeln!(t, "message.send.save-copy = \"sent\"");
    }
    let mut notes = Vec::new();
    if has_pin(a) {
        notes.push(Note::PinNotCarried);
    }
    Exported { text: t, notes }
}
