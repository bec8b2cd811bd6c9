//! The account being built: one input per field, turned into an `Account`
//! on demand. Pure; the provider lookup reads the embedded presets only.

use super::field::{Field, PasswordField};
use crate::account::{
    self, Account, AuthMethod, FieldError, IncomingServer, Protocol, SecretSource, Security,
    SmtpServer,
};
use crate::discover::Candidate;
use crate::providers::{self, Provider};
use tui_input::Input;

/// Filling the form from a preset, a discovered candidate or guesses.
#[path = "form_fill.rs"]
mod fill;

/// Where the settings came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Preset(&'static Provider),
    Manual,
}

#[derive(Debug, Clone)]
pub struct Form {
    /// The account's name in the config (the address for a new account).
    pub name: String,
    pub display_name: Input,
    pub email: Input,
    pub source: Source,
    pub variant: usize,
    pub protocol: Protocol,
    pub keep_copy: bool,
    /// The protocol the incoming server values were filled for: the POP or
    /// IMAP step refills them only when the user picks the other one, so a
    /// saved or imported account keeps its own servers and ports.
    pub servers_for: Protocol,
    pub in_host: Input,
    pub in_port: Input,
    pub in_port_typed: bool,
    pub in_security: Security,
    pub in_user: Input,
    pub out_host: Input,
    pub out_port: Input,
    pub out_port_typed: bool,
    pub out_security: Security,
    pub auth_required: bool,
    pub same_login: bool,
    pub out_user: Input,
    pub password: PasswordField,
    pub smtp_password: PasswordField,
    pub password_command: Input,
    /// The test message's recipient.
    pub to: Input,
    /// A private certificate authority's file; empty: the system's roots.
    pub ca_file: Input,
    pub pins: (Option<String>, Option<String>),
    /// The user confirmed an unencrypted connection (incoming, SMTP); a
    /// change of the security asks again.
    pub plain_confirmed: (bool, bool),
    /// The question about an unencrypted connection is on screen.
    pub plain_asked: (bool, bool),
    /// Settings chosen from discovery (not a preset): the protocol step
    /// takes this candidate's server for the protocol chosen there.
    pub discovered: Option<Box<Candidate>>,
    /// The sign-in method chosen by the user (None: the preset's or the
    /// discovered one).
    pub auth: Option<AuthMethod>,
    pub oauth: super::signin::OauthForm,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            name: String::new(),
            display_name: Input::default(),
            email: Input::default(),
            source: Source::Manual,
            variant: 0,
            protocol: Protocol::Imap,
            keep_copy: true,
            servers_for: Protocol::Imap,
            in_host: Input::default(),
            in_port: Input::new("993".into()),
            in_port_typed: false,
            in_security: Security::Tls,
            in_user: Input::default(),
            out_host: Input::default(),
            out_port: Input::new("465".into()),
            out_port_typed: false,
            out_security: Security::Tls,
            auth_required: true,
            same_login: true,
            out_user: Input::default(),
            password: PasswordField::default(),
            smtp_password: PasswordField::default(),
            password_command: Input::default(),
            to: Input::default(),
            ca_file: Input::default(),
            pins: (None, None),
            plain_confirmed: (false, false),
            plain_asked: (false, false),
            discovered: None,
            auth: None,
            oauth: Default::default(),
        }
    }
}

fn input(s: &str) -> Input {
    Input::new(s.to_string())
}

impl Form {
    /// A form holding an existing account (edit, check, send test).
    pub fn from_account(a: &Account) -> Form {
        let mut f = Form {
            name: a.name.clone(),
            display_name: input(&a.display_name),
            email: input(&a.email),
            source: a
                .provider
                .as_deref()
                .and_then(providers::by_id)
                .map_or(Source::Manual, Source::Preset),
            ..Form::default()
        };
        f.set_servers(a);
        f.auth = Some(a.incoming.auth);
        f.password_command = input(a.secrets.password_command.as_deref().unwrap_or(""));
        f.ca_file = input(a.ca_file.as_deref().unwrap_or(""));
        // A saved account's choice stands: it was confirmed when set up.
        f.plain_confirmed = (
            a.incoming.security == Security::None,
            a.smtp.security == Security::None,
        );
        f.pins = (
            a.incoming.pinned_sha256.clone(),
            a.smtp.pinned_sha256.clone(),
        );
        f
    }

    fn set_servers(&mut self, a: &Account) {
        self.protocol = a.incoming.protocol;
        self.servers_for = a.incoming.protocol;
        self.keep_copy = a.incoming.keep_on_server;
        self.in_host = input(&a.incoming.host);
        self.in_port = input(&a.incoming.port.to_string());
        self.in_port_typed = false;
        self.in_security = a.incoming.security;
        self.in_user = input(&a.incoming.username);
        self.out_host = input(&a.smtp.host);
        self.out_port = input(&a.smtp.port.to_string());
        self.out_port_typed = false;
        self.out_security = a.smtp.security;
        self.auth_required = a.smtp.auth_required;
        self.same_login = a.smtp.same_password && a.smtp.username == a.incoming.username;
        self.out_user = input(&a.smtp.username);
    }

    pub fn email(&self) -> &str {
        self.email.value().trim()
    }

    pub fn provider(&self) -> Option<&'static Provider> {
        match self.source {
            Source::Preset(p) => Some(p),
            Source::Manual => None,
        }
    }

    pub fn variant_id(&self) -> Option<&'static str> {
        self.provider()
            .and_then(|p| p.variants.get(self.variant))
            .map(|v| v.id.as_str())
    }

    /// The user left the preset: the values stay, but they are now theirs.
    pub fn go_manual(&mut self) {
        self.source = Source::Manual;
        self.discovered = None;
    }

    pub fn set_in_security(&mut self, s: Security) {
        self.in_security = s;
        self.plain_confirmed.0 = false;
        self.plain_asked.0 = false;
        if !self.in_port_typed {
            self.in_port = input(&self.protocol.default_port(s).to_string());
        }
    }

    pub fn set_out_security(&mut self, s: Security) {
        self.out_security = s;
        self.plain_confirmed.1 = false;
        self.plain_asked.1 = false;
        if !self.out_port_typed {
            self.out_port = input(&s.smtp_default_port().to_string());
        }
    }

    pub fn input_mut(&mut self, field: Field) -> Option<&mut Input> {
        Some(match field {
            Field::DisplayName => &mut self.display_name,
            Field::Email => &mut self.email,
            Field::InHost => &mut self.in_host,
            Field::InPort => &mut self.in_port,
            Field::InUser => &mut self.in_user,
            Field::OutHost => &mut self.out_host,
            Field::OutPort => &mut self.out_port,
            Field::OutUser => &mut self.out_user,
            Field::PasswordCommand => &mut self.password_command,
            Field::To => &mut self.to,
            Field::CaFile => &mut self.ca_file,
            other => return self.oauth.input_mut(other),
        })
    }

    pub fn input(&self, field: Field) -> Option<&Input> {
        Some(match field {
            Field::DisplayName => &self.display_name,
            Field::Email => &self.email,
            Field::InHost => &self.in_host,
            Field::InPort => &self.in_port,
            Field::InUser => &self.in_user,
            Field::OutHost => &self.out_host,
            Field::OutPort => &self.out_port,
            Field::OutUser => &self.out_user,
            Field::PasswordCommand => &self.password_command,
            Field::To => &self.to,
            Field::CaFile => &self.ca_file,
            other => return self.oauth.input(other),
        })
    }

    /// The problem with a field's current value, if any.
    pub fn error(&self, field: Field) -> Option<FieldError> {
        let v = |f: Field| self.input(f).map_or("", |i| i.value().trim());
        let nonempty = |s: &str| {
            if s.is_empty() {
                Err(FieldError::Empty)
            } else {
                Ok(())
            }
        };
        match field {
            Field::Email | Field::To => account::validate_email(v(field)),
            Field::InHost | Field::OutHost => account::validate_host(v(field)),
            Field::InPort | Field::OutPort => account::parse_port(v(field)).map(|_| ()),
            Field::InUser => nonempty(v(field)).and_then(|()| account::validate_text(v(field))),
            Field::OutUser if self.auth_required && !self.same_login => {
                nonempty(v(field)).and_then(|()| account::validate_text(v(field)))
            }
            Field::DisplayName | Field::CaFile => account::validate_text(v(field)),
            Field::ClientId
                if self.oauth.token_command.is_none()
                    && crate::tui::signin::provided_client(self).is_none() =>
            {
                nonempty(v(field))
            }
            _ => Ok(()),
        }
        .err()
    }

    /// The account as the form describes it now.
    pub fn account(&self) -> Account {
        let in_user = self.in_user.value().trim().to_string();
        let email = self.email().to_string();
        let name = if self.name.is_empty() {
            email.clone()
        } else {
            self.name.clone()
        };
        let command = self.password_command.value().trim();
        let auth = self.auth_method();
        Account {
            name,
            email,
            display_name: self.display_name.value().trim().to_string(),
            provider: self.provider().map(|p| p.id.clone()),
            incoming: IncomingServer {
                protocol: self.protocol,
                host: self.in_host.value().trim().to_string(),
                port: account::parse_port(self.in_port.value()).unwrap_or(0),
                security: self.in_security,
                username: in_user.clone(),
                auth,
                keep_on_server: self.keep_copy,
                pinned_sha256: self.pins.0.clone(),
            },
            smtp: SmtpServer {
                host: self.out_host.value().trim().to_string(),
                port: account::parse_port(self.out_port.value()).unwrap_or(0),
                security: self.out_security,
                auth_required: self.auth_required,
                username: if self.same_login {
                    in_user
                } else {
                    self.out_user.value().trim().to_string()
                },
                same_password: self.same_login,
                pinned_sha256: self.pins.1.clone(),
            },
            ca_file: Some(self.ca_file.value().trim().to_string()).filter(|p| !p.is_empty()),
            secrets: SecretSource {
                password_command: (!command.is_empty()).then(|| command.to_string()),
                smtp_password_command: None,
            },
            oauth2: (auth == AuthMethod::Oauth2).then(|| {
                self.oauth
                    .settings(crate::tui::signin::identity_provider(self))
            }),
        }
    }

    /// How the account signs in: the user's choice, else the preset's or
    /// the discovered one, else a password.
    pub fn auth_method(&self) -> AuthMethod {
        self.auth
            .unwrap_or_else(|| match (self.provider(), &self.discovered) {
                (Some(p), _) => p.auth_method(),
                (None, Some(c)) => c.to_account(self.email()).incoming.auth,
                (None, None) => AuthMethod::Password,
            })
    }

    /// True when the SMTP login needs its own password.
    pub fn separate_smtp_password(&self) -> bool {
        self.auth_required && !self.same_login
    }
}
