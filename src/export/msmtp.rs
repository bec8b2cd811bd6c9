//! msmtp: one `account` block (`msmtp -a NAME`), for `~/.msmtprc` or
//! `~/.config/msmtp/config`.

use super::quote::msmtp_arg;
use super::{ExportOptions, Exported, plain_name};
use crate::account::{Account, Role, Security, display_fingerprint};
use std::fmt::Write;

pub(super) fn export(a: &Account, o: &ExportOptions) -> Exported {
    let s = &a.smtp;
    let mut t = String::new();
    let _ = writeln!(t, "# mailwiz export of account {} (msmtp)", a.name);
    let _ = writeln!(t, "account {}", plain_name(&a.name));
    let _ = writeln!(t, "host {}", s.host);
    let _ = writeln!(t, "port {}", s.port);
    let (tls, starttls) = match s.security {
        Security::Tls => ("on", "off"),
        Security::Starttls => ("on", "on"),
        Security::None => ("off", "on"),
    };
    let _ = writeln!(t, "tls {tls}");
    let _ = writeln!(t, "tls_starttls {starttls}");
    if s.security != Security::None {
        // msmtp accepts one or the other: a pinned certificate overrides any CA.
        match (&s.pinned_sha256, &a.ca_file) {
            (Some(pin), _) => {
                let _ = writeln!(t, "tls_fingerprint {}", display_fingerprint(pin));
            }
            (None, Some(ca)) => {
                let _ = writeln!(t, "tls_trust_file {}", msmtp_arg(ca));
            }
            (None, None) => {}
        }
    }
    if s.auth_required && super::is_oauth(a) {
        // msmtp takes the access token as the password of auth xoauth2.
        let _ = writeln!(t, "auth xoauth2");
        let _ = writeln!(t, "user {}", msmtp_arg(&s.username));
        let cmd = o.token_command(a);
        let _ = writeln!(t, "passwordeval {}", msmtp_arg(&cmd));
    } else if s.auth_required {
        let _ = writeln!(t, "auth on");
        let _ = writeln!(t, "user {}", msmtp_arg(&s.username));
        let cmd = o.password_command(a, Role::Smtp);
        let _ = writeln!(t, "passwordeval {}", msmtp_arg(&cmd));
    } else {
        let _ = writeln!(t, "auth off");
    }
    let _ = writeln!(t, "from {}", msmtp_arg(&a.email));
    Exported {
        text: t,
        notes: Vec::new(),
    }
}
