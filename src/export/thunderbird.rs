//! Thunderbird's autoconfig format, `clientConfig` version 1.1: what a
//! provider publishes at `autoconfig.<domain>/mail/config-v1.1.xml`.
//! Logins are written as placeholders when they are the address or its
//! local part, so the file serves every user of the domain.

use super::quote::xml;
use super::{Exported, Note, has_pin};
use crate::account::{Account, AuthMethod, Security, domain_of, local_part};
use std::fmt::Write;

fn socket_type(s: Security) -> &'static str {
    match s {
        Security::Tls => "SSL",
        Security::Starttls => "STARTTLS",
        Security::None => "plain",
    }
}

fn username(login: &str, email: &str) -> String {
    if login == email {
        "%EMAILADDRESS%".into()
    } else if login == local_part(email) {
        "%EMAILLOCALPART%".into()
    } else {
        xml(login)
    }
}

fn authentication(auth: AuthMethod) -> &'static str {
    match auth {
        AuthMethod::Password => "password-cleartext",
        AuthMethod::Oauth2 => "OAuth2",
        AuthMethod::None => "none",
    }
}

pub(super) fn export(a: &Account) -> Exported {
    let domain = domain_of(&a.email).to_ascii_lowercase();
    let inc = &a.incoming;
    let out = &a.smtp;
    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(x, r#"<clientConfig version="1.1">"#);
    let _ = writeln!(x, r#"  <emailProvider id="{}">"#, xml(&domain));
    let _ = writeln!(x, "    <domain>{}</domain>", xml(&domain));
    let display = a.provider.clone().unwrap_or_else(|| domain.clone());
    let _ = writeln!(x, "    <displayName>{}</displayName>", xml(&display));
    let _ = writeln!(
        x,
        "    <displayShortName>{}</displayShortName>",
        xml(&display)
    );
    let _ = writeln!(
        x,
        r#"    <incomingServer type="{}">"#,
        inc.protocol.as_str()
    );
    let _ = writeln!(x, "      <hostname>{}</hostname>", xml(&inc.host));
    let _ = writeln!(x, "      <port>{}</port>", inc.port);
    let _ = writeln!(
        x,
        "      <socketType>{}</socketType>",
        socket_type(inc.security)
    );
    let _ = writeln!(
        x,
        "      <username>{}</username>",
        username(&inc.username, &a.email)
    );
    let _ = writeln!(
        x,
        "      <authentication>{}</authentication>",
        authentication(inc.auth)
    );
    if inc.protocol == crate::account::Protocol::Pop3 {
        let _ = writeln!(x, "      <pop3>");
        let _ = writeln!(
            x,
            "        <leaveMessagesOnServer>{}</leaveMessagesOnServer>",
            inc.keep_on_server
        );
        let _ = writeln!(x, "      </pop3>");
    }
    let _ = writeln!(x, "    </incomingServer>");
    let _ = writeln!(x, r#"    <outgoingServer type="smtp">"#);
    let _ = writeln!(x, "      <hostname>{}</hostname>", xml(&out.host));
    let _ = writeln!(x, "      <port>{}</port>", out.port);
    let _ = writeln!(
        x,
        "      <socketType>{}</socketType>",
        socket_type(out.security)
    );
    let _ = writeln!(
        x,
        "      <username>{}</username>",
        username(&out.username, &a.email)
    );
    let auth = match (out.auth_required, inc.auth) {
        (false, _) => "none",
        (true, AuthMethod::Oauth2) => authentication(AuthMethod::Oauth2),
        (true, _) => authentication(AuthMethod::Password),
    };
    let _ = writeln!(x, "      <authentication>{auth}</authentication>");
    let _ = writeln!(x, "    </outgoingServer>");
    let _ = writeln!(x, "  </emailProvider>");
    let _ = writeln!(x, "</clientConfig>");
    let mut notes = Vec::new();
    if a.ca_file.is_some() {
        notes.push(Note::CaNotCarried);
    }
    if has_pin(a) {
        notes.push(Note::PinNotCarried);
    }
    notes.push(Note::PasswordAsked);
    Exported { text: x, notes }
}
