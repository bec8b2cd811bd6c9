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

pub(super) fn export(a: &Account, o: &ExportOptions) -> Exported {
    let i = &a.incoming;
    let s = &a.smtp;
    let mut t = String::new();
    let set = |t: &mut String, var: &str, value: &str| {
        let _ = writeln!(t, "set {var} = {}", muttrc_literal(value));
    };
    let set_command = |t: &mut String, var: &str, command: &str| {
        let _ = writeln!(t, "set {var} = {}", muttrc_backtick(command));
    };
    let _ = writeln!(t, "# mailwiz export of account {} (neomutt)", a.name);
    if !a.display_name.is_empty() {
        set(&mut t, "realname", &a.display_name);
    }
    set(&mut t, "from", &a.email);
    let oauth = super::is_oauth(a);
    let in_cmd = o.password_command(a, Role::Incoming);
    let token = o.token_command(a);
    match i.protocol {
        Protocol::Imap => {
            let scheme = if i.security == Security::Tls {
                "imaps"
            } else {
                "imap"
            };
            set(&mut t, "imap_user", &i.username);
            if oauth {
                set(&mut t, "imap_authenticators", "xoauth2");
                set(&mut t, "imap_oauth_refresh_command", &token);
            } else {
                set_command(&mut t, "imap_pass", &in_cmd);
            }
            set(&mut t, "folder", &url(scheme, &i.username, &i.host, i.port));
            set(&mut t, "spoolfile", "+INBOX");
            let folders = o.folders_for(a);
            if folders.copy_sent {
                set(&mut t, "record", &format!("+{}", folders.sent));
            } else {
                // The server files sent mail itself: a copy would double it.
                let _ = writeln!(t, "unset record");
                set(&mut t, "copy", "no");
            }
            set(&mut t, "postponed", &format!("+{}", folders.drafts));
        }
        Protocol::Pop3 => {
            let scheme = if i.security == Security::Tls {
                "pops"
            } else {
                "pop"
            };
            set(&mut t, "pop_user", &i.username);
            if oauth {
                set(&mut t, "pop_authenticators", "xoauth2");
                set(&mut t, "pop_oauth_refresh_command", &token);
            } else {
                set_command(&mut t, "pop_pass", &in_cmd);
            }
            let u = url(scheme, &i.username, &i.host, i.port);
            set(&mut t, "pop_host", &u);
            set(&mut t, "spoolfile", &u);
            set(
                &mut t,
                "pop_delete",
                if i.keep_on_server { "no" } else { "yes" },
            );
        }
    }
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
    set(&mut t, "smtp_url", &smtp_url);
    if s.auth_required && oauth {
        set(&mut t, "smtp_authenticators", "xoauth2");
        set(&mut t, "smtp_oauth_refresh_command", &token);
    } else if s.auth_required {
        let cmd = o.password_command(a, Role::Smtp);
        set_command(&mut t, "smtp_pass", &cmd);
    }
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
