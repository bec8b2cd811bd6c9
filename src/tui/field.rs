//! The form's fields: which exist, what kind each is, and the masked
//! password field (kept as a `Secret`, never as a plain `String`).

use crate::secret::Secret;

/// Every focusable thing on every step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    DisplayName,
    Email,
    Variant,
    Protocol,
    KeepCopy,
    InHost,
    InPort,
    InSecurity,
    InUser,
    OutHost,
    OutPort,
    OutSecurity,
    AuthRequired,
    SameLogin,
    OutUser,
    Password,
    ShowPassword,
    SmtpPassword,
    PasswordCommand,
    To,
    /// Password or OAuth2 sign-in.
    AuthMethod,
    ClientId,
    ClientSecret,
    AuthUrl,
    TokenUrl,
    DeviceUrl,
    Scope,
    /// Buttons: Enter starts that sign-in.
    SignInBrowser,
    SignInDevice,
    /// A private certificate authority's file (PEM), for both servers.
    CaFile,
    /// A pinned certificate is set: unticking removes the pin.
    InPin,
    OutPin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Secret,
    Choice,
    Check,
    Button,
}

impl Field {
    pub fn kind(self) -> Kind {
        match self {
            Field::Variant
            | Field::Protocol
            | Field::InSecurity
            | Field::OutSecurity
            | Field::AuthMethod => Kind::Choice,
            Field::KeepCopy
            | Field::AuthRequired
            | Field::SameLogin
            | Field::ShowPassword
            | Field::InPin
            | Field::OutPin => Kind::Check,
            Field::Password | Field::SmtpPassword | Field::ClientSecret => Kind::Secret,
            Field::SignInBrowser | Field::SignInDevice => Kind::Button,
            _ => Kind::Text,
        }
    }

    /// Typing goes into the field (so `?`, space and letters are text).
    pub fn takes_text(self) -> bool {
        matches!(self.kind(), Kind::Text | Kind::Secret)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Field::DisplayName => "tui.field.display_name",
            Field::Email => "tui.field.email",
            Field::Variant => "tui.field.variant",
            Field::Protocol => "tui.field.protocol",
            Field::KeepCopy => "tui.field.keep_copy",
            Field::InHost | Field::OutHost => "tui.field.host",
            Field::InPort | Field::OutPort => "tui.field.port",
            Field::InSecurity | Field::OutSecurity => "tui.field.security",
            Field::InUser | Field::OutUser => "tui.field.username",
            Field::AuthRequired => "tui.field.auth_required",
            Field::SameLogin => "tui.field.same_login",
            Field::Password => "tui.field.password",
            Field::ShowPassword => "tui.field.show_password",
            Field::SmtpPassword => "tui.field.smtp_password",
            Field::PasswordCommand => "tui.field.password_command",
            Field::To => "tui.field.to",
            Field::AuthMethod => "tui.field.auth_method",
            Field::ClientId => "tui.field.client_id",
            Field::ClientSecret => "tui.field.client_secret",
            Field::AuthUrl => "tui.field.auth_url",
            Field::TokenUrl => "tui.field.token_url",
            Field::DeviceUrl => "tui.field.device_url",
            Field::Scope => "tui.field.scope",
            Field::SignInBrowser => "tui.signin.browser_button",
            Field::SignInDevice => "tui.signin.device_button",
            Field::CaFile => "tui_test.field.ca_file",
            Field::InPin | Field::OutPin => "tui_test.field.pin",
        }
    }
}

/// A masked input whose value only ever lives in a `Secret`. Editing is at
/// the end (type, Backspace, Ctrl-U), which is all a hidden value needs.
#[derive(Debug, Clone, Default)]
pub struct PasswordField {
    value: Secret,
    pub shown: bool,
}

impl PasswordField {
    pub fn secret(&self) -> &Secret {
        &self.value
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    pub fn len(&self) -> usize {
        self.value.len()
    }

    fn replace(&mut self, edit: impl FnOnce(&mut String)) {
        let mut next = String::with_capacity(self.value.expose().len() + 16);
        next.push_str(self.value.expose());
        edit(&mut next);
        // The old Secret is zeroed when dropped here.
        self.value = Secret::new(next);
    }

    pub fn push(&mut self, c: char) {
        self.replace(|s| s.push(c));
    }

    pub fn pop(&mut self) {
        self.replace(|s| {
            s.pop();
        });
    }

    pub fn clear(&mut self) {
        self.value = Secret::default();
    }

    /// What the screen shows: bullets, or the value when the user asked.
    pub fn display(&self) -> String {
        if self.shown {
            self.value.expose().to_string()
        } else {
            "•".repeat(self.value.len())
        }
    }
}
