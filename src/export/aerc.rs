//! aerc: one section of `~/.config/aerc/accounts.conf` (IMAP only).

use super::quote::url_user;
use super::{ExportOptions, Exported, Note, has_pin};
use crate::account::{Account, Role, Security};
use std::fmt::Write;

pub(super) fn export(a: &Account, o: &ExportOptions) -> Exported {
    let i = &a.incoming;
    let s = &a.smtp;
    let mut t = String::new();
    let _ = writeln!(t, "# mailwiz export of account {} (aerc)", a.name);
    let section = a.name.replace([']', '\n'], "-");
    let _ = writeln!(t, "[{section}]");
    let scheme = match i.security {
        Security::Tls => "imaps",
        Security::Starttls => "imap",
        Security::None => "imap+insecure",
    };
    let _ = writeln!(
        t,
        "source = {scheme}://{}@{}:{}",
        url_user(&i.username),
        i.host,
        i.port
    );
    let _ = writeln!(
        t,
        "source-cred-cmd = {}",
        o.password_command(a, Role::Incoming)
    );
    let scheme = match s.security {
        Security::Tls => "smtps",
        Security::Starttls => "smtp",
        Security::None => "smtp+insecure",
    };
    if s.auth_required {
        let _ = writeln!(
            t,
            "outgoing = {scheme}://{}@{}:{}",
            url_user(&s.username),
            s.host,
            s.port
        );
        let _ = writeln!(
            t,
            "outgoing-cred-cmd = {}",
            o.password_command(a, Role::Smtp)
        );
    } else {
        let scheme = scheme.replace("smtp", "smtp+none");
        let scheme = scheme.replace("+none+insecure", "+insecure+none");
        let _ = writeln!(t, "outgoing = {scheme}://{}:{}", s.host, s.port);
    }
    let from = if a.display_name.is_empty() {
        a.email.clone()
    } else {
        format!("{} <{}>", a.display_name, a.email)
    };
    let _ = writeln!(t, "from = {from}");
    let _ = writeln!(t, "default = INBOX");
    let _ = writeln!(t, "copy-to = Sent");
    let mut notes = Vec::new();
    if a.ca_file.is_some() {
        notes.push(Note::CaNotCarried);
    }
    if has_pin(a) {
        notes.push(Note::PinNotCarried);
    }
    Exported { text: t, notes }
}
