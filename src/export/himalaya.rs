//! himalaya (v1): one `[accounts.NAME]` table of `~/.config/himalaya/config.toml`,
//! IMAP for reading and SMTP for sending.

use super::quote::toml_string;
use super::{ExportOptions, Exported, Note, has_pin};
use crate::account::{Account, Role, Security};
use std::fmt::Write;

fn encryption(s: Security) -> &'static str {
    match s {
        Security::Tls => "tls",
        Security::Starttls => "start-tls",
        Security::None => "none",
    }
}

/// himalaya's own OAuth2 settings, with mailwiz's token command as the
/// access token (himalaya's schema asks for the endpoints too).
fn oauth_auth(t: &mut String, prefix: &str, a: &Account, o: &ExportOptions) {
    let preset = a.provider.as_deref().and_then(crate::providers::by_id);
    let settings = a.oauth2_settings();
    let e = crate::oauth::Endpoints::resolve(settings, preset);
    let q = |v: &str| toml_string(v);
    let _ = writeln!(t, "{prefix}.auth.type = \"oauth2\"");
    let _ = writeln!(t, "{prefix}.auth.method = \"xoauth2\"");
    let _ = writeln!(t, "{prefix}.auth.client-id = {}", q(&settings.client_id));
    if let Some(u) = &e.auth_url {
        let _ = writeln!(t, "{prefix}.auth.auth-url = {}", q(u));
    }
    if let Some(u) = &e.token_url {
        let _ = writeln!(t, "{prefix}.auth.token-url = {}", q(u));
    }
    let cmd = o.token_command(a);
    let _ = writeln!(t, "{prefix}.auth.access-token.cmd = {}", q(&cmd));
}

pub(super) fn export(a: &Account, o: &ExportOptions) -> Exported {
    let i = &a.incoming;
    let s = &a.smtp;
    let q = |v: &str| toml_string(v);
    let mut t = String::new();
    let _ = writeln!(t, "# mailwiz export of account {} (himalaya)", a.name);
    let _ = writeln!(t, "[accounts.{}]", q(&a.name));
    let _ = writeln!(t, "email = {}", q(&a.email));
    if !a.display_name.is_empty() {
        let _ = writeln!(t, "display-name = {}", q(&a.display_name));
    }
    let _ = writeln!(t, "backend.type = \"imap\"");
    let _ = writeln!(t, "backend.host = {}", q(&i.host));
    let _ = writeln!(t, "backend.port = {}", i.port);
    let _ = writeln!(t, "backend.encryption.type = {}", q(encryption(i.security)));
    let _ = writeln!(t, "backend.login = {}", q(&i.username));
    let oauth = super::is_oauth(a);
    if oauth {
        oauth_auth(&mut t, "backend", a, o);
    } else {
        let _ = writeln!(t, "backend.auth.type = \"password\"");
        let cmd = o.password_command(a, Role::Incoming);
        let _ = writeln!(t, "backend.auth.cmd = {}", q(&cmd));
    }
    let folders = o.folders_for(a);
    let _ = writeln!(t, "folder.aliases.sent = {}", q(&folders.sent));
    let _ = writeln!(t, "folder.aliases.drafts = {}", q(&folders.drafts));
    let _ = writeln!(t, "message.send.save-copy = {}", folders.copy_sent);
    let _ = writeln!(t, "message.send.backend.type = \"smtp\"");
    let _ = writeln!(t, "message.send.backend.host = {}", q(&s.host));
    let _ = writeln!(t, "message.send.backend.port = {}", s.port);
    let _ = writeln!(
        t,
        "message.send.backend.encryption.type = {}",
        q(encryption(s.security))
    );
    let _ = writeln!(t, "message.send.backend.login = {}", q(&s.username));
    if s.auth_required && oauth {
        oauth_auth(&mut t, "message.send.backend", a, o);
    } else if s.auth_required {
        let _ = writeln!(t, "message.send.backend.auth.type = \"password\"");
        let cmd = o.password_command(a, Role::Smtp);
        let _ = writeln!(t, "message.send.backend.auth.cmd = {}", q(&cmd));
    }
    let mut notes = Vec::new();
    if a.ca_file.is_some() {
        notes.push(Note::CaNotCarried);
    }
    if has_pin(a) {
        notes.push(Note::PinNotCarried);
    }
    Exported { text: t, notes }
}
