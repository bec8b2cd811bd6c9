//! aerc: one section of `~/.config/aerc/accounts.conf` (IMAP only). Free
//! values are backquoted ([`ini_raw`]); URLs hold only percent-encoded
//! logins and validated host names.

use super::quote::{ini_raw, mailbox, url_user};
use super::{ExportOptions, Exported, Note, has_pin};
use crate::account::{Account, Role, Security};
use std::fmt::Write;

pub(super) fn export(a: &Account, o: &ExportOptions) -> Exported {
    let i = &a.incoming;
    let s = &a.smtp;
    let mut t = String::new();
    let _ = writeln!(t, "# mailwiz export of account {} (aerc)", a.name);
    let section = a.name.replace(['[', ']'], "-");
    let _ = writeln!(t, "[{section}]");
    let oauth = super::is_oauth(a);
    let scheme = match (i.security, oauth) {
        (Security::Tls, false) => "imaps",
        (Security::Starttls, false) => "imap",
        (Security::Tls, true) => "imaps+xoauth2",
        (Security::Starttls, true) => "imap+xoauth2",
        (Security::None, _) => "imap+insecure",
    };
    let _ = writeln!(
        t,
        "source = {scheme}://{}@{}:{}",
        url_user(&i.username),
        i.host,
        i.port
    );
    // Without token_endpoint, aerc uses the command's output as the
    // access token itself.
    let in_cmd = if oauth {
        o.token_command(a)
    } else {
        o.password_command(a, Role::Incoming)
    };
    let _ = writeln!(t, "source-cred-cmd = {}", ini_raw(&in_cmd));
    let scheme = match (s.security, oauth && s.auth_required) {
        (Security::Tls, false) => "smtps",
        (Security::Starttls, false) => "smtp",
        (Security::Tls, true) => "smtps+xoauth2",
        (Security::Starttls, true) => "smtp+xoauth2",
        (Security::None, _) => "smtp+insecure",
    };
    if s.auth_required {
        let _ = writeln!(
            t,
            "outgoing = {scheme}://{}@{}:{}",
            url_user(&s.username),
            s.host,
            s.port
        );
        let out_cmd = if oauth {
            o.token_command(a)
        } else {
            o.password_command(a, Role::Smtp)
        };
        let _ = writeln!(t, "outgoing-cred-cmd = {}", ini_raw(&out_cmd));
    } else {
        let scheme = scheme.replace("smtp", "smtp+none");
        let scheme = scheme.replace("+none+insecure", "+insecure+none");
        let _ = writeln!(t, "outgoing = {scheme}://{}:{}", s.host, s.port);
    }
    let from = mailbox(&a.display_name, &a.email);
    let _ = writeln!(t, "from = {}", ini_raw(&from));
    let _ = writeln!(t, "default = INBOX");
    let folders = o.folders_for(a);
    if folders.copy_sent {
        let _ = writeln!(t, "copy-to = {}", ini_raw(&folders.sent));
    }
    let _ = writeln!(t, "postpone = {}", ini_raw(&folders.drafts));
    let mut notes = Vec::new();
    if a.ca_file.is_some() {
        notes.push(Note::CaNotCarried);
    }
    if has_pin(a) {
        notes.push(Note::PinNotCarried);
    }
    Exported { text: t, notes }
}
