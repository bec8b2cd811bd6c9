//! The Sign-in step of an OAuth2 account (Gmail, Outlook…) in plain
//! lines: what the provider needs, the client fields when no client is
//! provided, the ways to sign in as numbered choices (a code on another
//! device, the browser, a token broker found here), then the address and
//! the code each alone on its line, one line while waiting, the result.

use super::Session;
use super::io::Console;
use crate::i18n::{t, tf};
use crate::tui::{App, Field, Msg, SignInPrompt, SignInState, key};
use crossterm::event::KeyCode;

/// Longest address or code said (a sign-in address with its PKCE
/// challenge and scopes stays well under it).
const MAX_ADDRESS: usize = 2048;

/// What a sign-in choice does.
enum Action {
    Press(Field),
    Broker,
    Password,
    Continue,
    Back,
}

impl Session<'_> {
    pub(super) fn signin_step(&mut self) -> bool {
        let lang = self.app.lang;
        if !matches!(self.app.signin, SignInState::Done) {
            intro(self.app, self.console);
            let typed: Vec<Field> = self
                .app
                .fields()
                .into_iter()
                .filter(|f| f.takes_text())
                .collect();
            for field in typed {
                if let Some(i) = self.app.fields().iter().position(|f| *f == field) {
                    self.app.focus = i;
                }
                if !self.field(field) {
                    return false;
                }
            }
        }
        let mut actions = Vec::new();
        if matches!(self.app.signin, SignInState::Done) {
            actions.push((t(lang, "plain.menu.continue"), Action::Continue));
        }
        for field in self.app.fields() {
            match field {
                Field::SignInDevice => {
                    actions.push((t(lang, "plain.signin.device"), Action::Press(field)));
                }
                Field::SignInBrowser => {
                    actions.push((t(lang, "plain.signin.browser"), Action::Press(field)));
                }
                Field::AuthMethod => {
                    actions.push((t(lang, "plain.signin.use_password"), Action::Password));
                }
                _ => {}
            }
        }
        if crate::tui::broker_offered(self.app).is_some() {
            actions.insert(0, (t(lang, "plain.signin.broker"), Action::Broker));
        }
        actions.push((t(lang, "plain.menu.back"), Action::Back));
        let words: Vec<String> = actions.iter().map(|(w, _)| w.to_string()).collect();
        let Some(i) = self.pick(&words) else {
            return false;
        };
        self.act(&actions[i].1);
        true
    }

    fn act(&mut self, action: &Action) {
        let fields = self.app.fields();
        let focus = |f: Field| fields.iter().position(|x| *x == f);
        match action {
            Action::Press(field) => {
                if let Some(i) = focus(*field) {
                    self.app.focus = i;
                    self.feed(key(KeyCode::Enter));
                }
                if matches!(self.app.signin, SignInState::Starting { .. }) {
                    self.console.line(t(self.app.lang, "tui.signin.starting"));
                }
            }
            Action::Broker => self.feed(key(KeyCode::Char('b'))),
            Action::Password => {
                if let Some(i) = focus(Field::AuthMethod) {
                    self.app.focus = i;
                    self.feed(key(KeyCode::Right));
                    self.announced = None;
                }
            }
            Action::Continue => {
                // Enter off the sign-in buttons goes on to the test.
                self.app.focus = fields
                    .iter()
                    .position(|f| !matches!(f, Field::SignInBrowser | Field::SignInDevice))
                    .unwrap_or(0);
                self.feed(key(KeyCode::Enter));
            }
            Action::Back => self.feed(key(KeyCode::Esc)),
        }
    }
}

/// What the provider needs, before the questions.
fn intro(app: &App, c: &mut Console) {
    let lang = app.lang;
    let provider = crate::tui::identity_provider(&app.form);
    // Without a preset, the address's domain names the provider.
    let email = app.form.email();
    let domain = email.rsplit_once('@').map_or(email, |(_, d)| d);
    let name = provider.map_or(domain, |p| p.name.as_str());
    match provider {
        Some(p) if p.oauth2_only => {
            c.line(&tf(lang, "tui.signin.intro_only", &[("provider", name)]));
        }
        _ => c.line(t(lang, "tui.signin.intro")),
    }
    if crate::tui::provided_client(&app.form).is_some() {
        c.line(&tf(lang, "plain.signin.ready", &[("provider", name)]));
        return;
    }
    if app.form.oauth.client_id.value().trim().is_empty() {
        c.line(&tf(
            lang,
            "oauth_clients.wizard.none",
            &[("provider", name)],
        ));
        c.line(t(lang, "oauth_clients.wizard.ask_admin"));
        c.line(t(lang, "oauth_clients.wizard.broker"));
        c.line(t(lang, "oauth_clients.wizard.register"));
    }
    let issuer = provider
        .and_then(|p| p.oauth2.as_ref())
        .map(|o| o.issuer.as_str());
    let register = match issuer {
        Some(i) if i.contains("microsoft") => "tui.signin.register_microsoft",
        Some(i) if i.contains("google") => "tui.signin.register_google",
        _ => "tui.signin.register_other",
    };
    c.line(t(lang, register));
    if register != "tui.signin.register_google" {
        c.line(t(lang, "tui.signin.redirect"));
    }
}

/// A sign-in's events, said as they come (before `update()` takes them).
pub(super) fn event(app: &App, c: &mut Console, msg: &Msg) {
    let lang = app.lang;
    let ours = |id: &u64| app.signin.id() == Some(*id);
    match msg {
        Msg::SignInPrompt { id, prompt } if ours(id) => say_prompt(app, c, prompt),
        Msg::SignedIn { id, result: Ok(_) } if ours(id) => c.line(t(lang, "tui.signin.done")),
        Msg::SignedIn { id, result: Err(e) } if ours(id) => {
            c.line(&e.localized(lang));
            match e.finding() {
                Some(_) => c.line(&e.advice(lang, app.form.email())),
                None => c.line(t(lang, "tui.signin.try_again")),
            }
        }
        Msg::Failed { id, detail } if ours(id) => {
            let d = crate::net::clean_text(detail.as_bytes());
            c.line(&tf(lang, "plain.signin.failed", &[("error", &d)]));
        }
        _ => {}
    }
}

/// The address and the code each alone on a line (copyable, read whole
/// by a screen reader), then one line while waiting.
fn say_prompt(app: &App, c: &mut Console, prompt: &SignInPrompt) {
    let lang = app.lang;
    // From the IdP: bounded here, control characters replaced by the
    // console (an address is kept whole up to this length).
    let outside = |s: &str| s.chars().take(MAX_ADDRESS).collect::<String>();
    match prompt {
        SignInPrompt::Browser { url, opened } => {
            c.line(t(
                lang,
                if *opened {
                    "tui.signin.browser_opened"
                } else {
                    "tui.signin.browser_open"
                },
            ));
            c.line(&outside(url));
            c.line(t(lang, "tui.signin.browser_ssh"));
            c.line(t(lang, "plain.signin.waiting_browser"));
        }
        SignInPrompt::Device {
            uri,
            code,
            complete,
            minutes,
        } => {
            c.line(t(lang, "tui.signin.device_visit"));
            c.line(&outside(uri));
            c.line(t(lang, "oauth_clients.wizard.enter_code"));
            c.line(&outside(code));
            if let Some(full) = complete {
                c.line(t(lang, "plain.signin.complete"));
                c.line(&outside(full));
            }
            let m = minutes.to_string();
            c.line(&tf(lang, "plain.signin.waiting_device", &[("minutes", &m)]));
        }
    }
}
