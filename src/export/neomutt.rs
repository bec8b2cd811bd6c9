//! neomutt (and mutt): a file to `source` from the muttrc, or to run with
//! `neomutt -F FILE`. Every value is a single-quoted literal, which mutt
//! never expands; only the password commands are backticks, which mutt
//! runs when it reads the file, quoted by [`muttrc_backtick`].

use super::quote::{muttrc_backtick, muttrc_literal, url_user};
use super::{ExportOptions, Exported, Note};
use crate::account::{Account, Protocol, Role, Security};
use std::fmt::Write;

fn url(scheme: &str, user: &str, host: &str, port: u16) -> String {
    format!("{scheme}://{}@{host}:{port}/", url_user(user))
}

fn set(t: &mut String, var: &str, value: &str) {
    let _ = writeln!(t, "set {var} = {}", muttrc_literal(value));
}

fn set_command(t: &mut String, var: &str, command: &str) {
    let _ = writeln!(t, "set {var} = {}", muttrc_backtick(command));
}

pub(super) fn export(a: &Account, o: &ExportOptions) -> Exported {
    let mut t = String::new();
    let _ = writeln!(t, "# mailwiz export of account {} (neomutt)", a.name);
    if !a.display_name.is_empty() {
        set(&mut t, "realname", &a.display_name);
    }
    set(&mut t, "from", &a.email);
    match a.incoming.protocol {
        Protocol::Imap => imap(&mut t, a, o),
        Protocol::Pop3 => pop(&mut t, a, o),
    }
    smtp(&mut t, a, o);
    let (i, s) = (&a.incoming, &a.smtp);
    // One setting for both servers: TLS is required unless both are plain.
    let any_tls = i.security != Security::None || s.security != Security::None;
    let starttls = i.security == Security::Starttls || s.security == Security::Starttls;
    set(&mut t, "ssl_force_tls", if any_tls { "yes" } else { "no" });
    set(&mut t, "ssl_starttls", if starttls { "yes" } else { "no" });
    if let Some(ca) = &a.ca_file {
        set(&mut t, "ssl_ca_certificates_file", ca);
    }
    let mut notes = Vec::new();
    if super::has_pin(a) {
        notes.push(Note::PinNotCarried);
    }
    Exported { text: t, notes }
}

/// The login of `prefix` (imap, pop): the token command for an OAuth2
/// account, else the password command.
fn login(t: &mut String, prefix: &str, a: &Account, o: &ExportOptions) {
    if super::is_oauth(a) {
        set(t, &format!("{prefix}_authenticators"), "xoauth2");
        set(
            t,
            &format!("{prefix}_oauth_refresh_command"),
            &o.token_command(a),
        );
    } else {
        let cmd = o.password_command(a, Role::Incoming);
        set_command(t, &format!("{prefix}_pass"), &cmd);
    }
}

fn imap(t: &mut String, a: &Account, o: &ExportOptions) {
    let i = &a.incoming;
    let scheme = if i.security == Security::Tls {
        "imaps"
    } else {
        "imap"
    };
    set(t, "imap_user", &i.username);
    login(t, "imap", a, o);
    set(t, "folder", &url(scheme, &i.username, &i.host, i.port));
    set(t, "spoolfile", "+INBOX");
    let folders = o.folders_for(a);
    if folders.copy_sent {
        set(t, "record", &format!("+{}", folders.sent));
    } else {
        // The server files sent mail itself: a copy would double it.
        let _ = writeln!(t, "unset record");
        set(t, "copy", "no");
    }
    set(t, "postponed", &format!("+{}", folders.drafts));
}

fn pop(t: &mut String, a: &Account, o: &ExportOptions) {
    let i = &a.incoming;
    let scheme = if i.security == Security::Tls {
        "pops"
    } else {
        "pop"
    };
    set(t, "pop_user", &i.username);
    login(t, "pop", a, o);
    let u = url(scheme, &i.username, &i.host, i.port);
    set(t, "pop_host", &u);
    set(t, "spoolfile", &u);
    set(t, "pop_delete", if i.keep_on_server { "no" } else { "yes" });
}

fn smtp(t: &mut String, a: &Account, o: &ExportOptions) {
    let s = &a.smtp;
    let scheme = if s.security == Security::Tls {
        "smtps"
    } else {
        "smtp"
    };
    let smtp_url = if s.auth_required {
        url(scheme, &s.username, &s.host, s.port)
    } else {
        format!("{scheme}://{}:{}/", s.host, s.port)
    };
    set(t, "smtp_url", &smtp_url);
    if s.auth_required && super::is_oauth(a) {
        set(t, "smtp_authenticators", "xoauth2");
        set(t, "smtp_oauth_refresh_command", &o.token_command(a));
    } else if s.auth_required {
        let cmd = o.password_command(a, Role::Smtp);
        set_command(t, "smtp_pass", &cmd);
    }
}
