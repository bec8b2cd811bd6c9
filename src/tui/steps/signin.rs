//! Step 7 for an OAuth2 account: Sign in. The user's own client id (with
//! the registration walk-through), an optional client secret (keyring
//! only), and two ways to sign in, each run in the background: the browser
//! (its address shown too, for a terminal over SSH) or a code entered on
//! another device. Esc cancels a sign-in in progress; its late result is
//! dropped. Once signed in (the tokens held in memory until the save), on
//! to the test.

mod broker;
mod prompt;

pub use broker::offered as broker_offered;

use crate::account::AuthMethod;
use crate::oauth::Endpoints;
use crate::providers::Provider;
use crate::tui::app::App;
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect, Purpose, RequestId, WorkerDied};
use crate::tui::signin::{self, SignInFlow, SignInPrompt, SignInState};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto, validate};
use crate::tui::widgets::{block_text, form, spinner, split_top};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Text};

/// The password step offers the choice (not for an OAuth2-only provider,
/// nor for one that takes no OAuth2).
pub fn method_choice(app: &App) -> bool {
    match app.form.provider() {
        Some(p) => {
            p.oauth2.is_some() && (!p.oauth2_only || app.form.auth_method() != AuthMethod::Oauth2)
        }
        None => true,
    }
}

fn endpoints(app: &App) -> Endpoints {
    Endpoints::resolve(&signin::settings(app), signin::identity_provider(&app.form))
}

/// The preset gives the endpoints: no URL fields.
fn preset_endpoints(app: &App) -> bool {
    signin::identity_provider(&app.form).is_some_and(|p| p.oauth2.is_some())
}

pub fn fields(app: &App) -> Vec<Field> {
    // A provided client: nothing to type.
    let mut typed = match signin::provided_client(&app.form) {
        Some(_) => Vec::new(),
        None => vec![Field::ClientId, Field::ClientSecret],
    };
    if !preset_endpoints(app) {
        typed.extend([
            Field::AuthUrl,
            Field::TokenUrl,
            Field::DeviceUrl,
            Field::Scope,
        ]);
    }
    // Without a browser here (no display, or over SSH), the code sign-in
    // first: Enter starts it.
    let mut buttons = if endpoints(app).device_url.is_none() {
        vec![Field::SignInBrowser]
    } else if crate::oauth::browser_available() {
        vec![Field::SignInBrowser, Field::SignInDevice]
    } else {
        vec![Field::SignInDevice, Field::SignInBrowser]
    };
    if method_choice(app) {
        buttons.push(Field::AuthMethod);
    }
    // A broker offered: the focus starts off the text fields, so B works.
    if broker::offered(app).is_some() {
        buttons.extend(typed);
        buttons
    } else {
        typed.extend(buttons);
        typed
    }
}

fn running(app: &App) -> bool {
    app.signin.id().is_some()
}

/// Stops a sign-in in progress; its result will be dropped.
pub fn cancel(app: &mut App) -> Vec<Effect> {
    match app.signin.id() {
        Some(id) => {
            app.pending.remove(&id);
            app.signin = SignInState::Cancelled;
            vec![Effect::Cancel(id)]
        }
        None => Vec::new(),
    }
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    if running(app) {
        return match c {
            Control::Back => cancel(app),
            _ => Vec::new(),
        };
    }
    let focused = app.focused();
    match c {
        Control::Back => goto(app, Step::Outgoing),
        Control::Char('b') if broker::offered(app).is_some() => broker::use_it(app),
        Control::Confirm | Control::Toggle if focused == Some(Field::SignInBrowser) => {
            start(app, SignInFlow::Browser { open: true })
        }
        Control::Confirm | Control::Toggle if focused == Some(Field::SignInDevice) => {
            start(app, SignInFlow::Device)
        }
        Control::Confirm => {
            if !validate(app, &[Field::ClientId]) {
                return Vec::new();
            }
            // Signed in now, or an edited account keeping its sign-in.
            if matches!(app.signin, SignInState::Done) || app.editing.is_some() {
                return goto(app, Step::Test);
            }
            let fields = fields(app);
            app.focus = fields
                .iter()
                .position(|f| matches!(f, Field::SignInBrowser | Field::SignInDevice))
                .unwrap_or(0);
            Vec::new()
        }
        c => {
            form_control(app, c);
            let cycled = matches!(c, Control::Left | Control::Right | Control::Toggle);
            if cycled && focused == Some(Field::AuthMethod) {
                refocus(app);
            }
            Vec::new()
        }
    }
}

/// After the method changed, the focus stays on the choice.
pub fn refocus(app: &mut App) {
    if let Some(i) = app.fields().iter().position(|f| *f == Field::AuthMethod) {
        app.focus = i;
    }
}

fn start(app: &mut App, flow: SignInFlow) -> Vec<Effect> {
    if !validate(app, &[Field::ClientId]) {
        return Vec::new();
    }
    let id = app.request_id(Purpose::SignIn);
    app.signin = SignInState::Starting { id, flow };
    let secret = &app.form.oauth.client_secret;
    let client_secret = (!secret.is_empty()).then(|| secret.secret().clone());
    let mut account = app.form.account();
    account.incoming.auth = AuthMethod::Oauth2;
    account.oauth2 = Some(signin::settings(app));
    vec![Effect::SignIn {
        id,
        account: Box::new(account),
        client_secret,
        flow,
    }]
}

pub fn on_prompt(app: &mut App, id: u64, prompt: SignInPrompt) {
    if app.signin.id() == Some(id) {
        app.signin = SignInState::Waiting { id, prompt };
    }
}

pub fn on_signed_in(
    app: &mut App,
    id: u64,
    result: Result<crate::oauth::TokenSet, crate::oauth::OauthError>,
) -> Vec<Effect> {
    if app.signin.id() != Some(id) {
        return Vec::new();
    }
    match result {
        Ok(tokens) => {
            app.signin = SignInState::Done;
            app.form.oauth.tokens = Some(tokens);
            app.dirty = true;
            if app.step == Step::Password {
                return goto(app, Step::Test);
            }
        }
        Err(e) => app.signin = SignInState::Failed(e),
    }
    Vec::new()
}

/// The sign-in's task died: said as a bug (the user may start it again),
/// not as a refusal of the identity provider.
pub fn on_died(app: &mut App, id: RequestId, died: WorkerDied) {
    if app.signin.id() == Some(id) {
        app.signin = SignInState::Died(died);
    }
}

pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    if running(app) {
        return vec![("Esc", "tui.signin.key_cancel")];
    }
    let enter = match app.focused() {
        Some(Field::SignInBrowser | Field::SignInDevice) => "tui.signin.key_start",
        _ => "tui.key.next",
    };
    let mut keys = vec![
        ("Tab", "tui.key.move"),
        ("Enter", enter),
        ("Esc", "tui.key.back"),
    ];
    if broker::offered(app).is_some() {
        keys.insert(2, ("B", "oauth_clients.wizard.key_broker"));
    }
    keys
}

/// How to register a client with this provider, and the redirect URI.
fn registration(app: &App, p: Option<&Provider>) -> Vec<Line<'static>> {
    let th = app.theme;
    let issuer = p.and_then(|p| p.oauth2.as_ref()).map(|o| o.issuer.as_str());
    let key = match issuer {
        Some(i) if i.contains("microsoft") => "tui.signin.register_microsoft",
        Some(i) if i.contains("google") => "tui.signin.register_google",
        _ => "tui.signin.register_other",
    };
    let mut lines = vec![Line::styled(app.t(key), th.muted())];
    // A Google "Desktop app" client takes any loopback redirect as is.
    if key != "tui.signin.register_google" {
        lines.push(Line::styled(app.t("tui.signin.redirect"), th.muted()));
    }
    lines
}

/// No client registration is provided: said plainly, with the two ways
/// that need none, before the registration walk-through.
fn no_client(app: &App, p: Option<&Provider>) -> Vec<Line<'static>> {
    let th = app.theme;
    let name = p.map_or("", |p| p.name.as_str());
    let mut lines = vec![
        Line::styled(
            app.tf("oauth_clients.wizard.none", &[("provider", name)]),
            th.warn(),
        ),
        Line::styled(app.t("oauth_clients.wizard.ask_admin"), th.value()),
        Line::styled(app.t("oauth_clients.wizard.broker"), th.value()),
    ];
    if let Some((kind, command)) = broker::offered(app) {
        lines.push(Line::styled(
            app.tf(
                "oauth_clients.broker.wizard",
                &[("broker", kind.as_str()), ("command", &command)],
            ),
            th.ok(),
        ));
    }
    lines.extend([Line::styled(
        app.t("oauth_clients.wizard.register"),
        th.muted(),
    )]);
    lines
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let provider = signin::identity_provider(&app.form);
    let name = provider.map_or("", |p| p.name.as_str());
    let intro = match provider {
        Some(p) if p.oauth2_only => app.tf("tui.signin.intro_only", &[("provider", name)]),
        _ => app.t("tui.signin.intro").to_string(),
    };
    let rest = block_text(frame, area, Text::styled(intro, th.value()), 1);
    let fields = fields(app);
    let used = form(app, frame, rest, &fields);
    let rest = split_top(rest, used + 1).1;
    let mut text = Text::default();
    match &app.signin {
        SignInState::Starting { .. } => text.lines.push(Line::styled(
            format!("{} {}", spinner(app), app.t("tui.signin.starting")),
            th.value(),
        )),
        SignInState::Waiting { prompt: p, .. } => return prompt::render(app, frame, p),
        SignInState::Done => text
            .lines
            .push(Line::styled(app.t("tui.signin.done"), th.ok())),
        SignInState::Failed(e) => {
            text.lines
                .push(Line::styled(e.localized(app.lang), th.error()));
            // A refusal mailwiz can explain comes with its own fix.
            let next = match e.finding() {
                Some(_) => e.advice(app.lang, app.form.email()),
                None => app.t("tui.signin.try_again").to_string(),
            };
            text.lines.push(Line::styled(next, th.muted()));
        }
        SignInState::Died(died) => {
            text.lines.push(Line::styled(
                super::died_line(app, "tui_routing.died.signin", died),
                th.error(),
            ));
        }
        SignInState::Cancelled => {
            text.lines
                .push(Line::styled(app.t("tui.signin.cancelled"), th.warn()));
        }
        SignInState::Idle => {
            if app.editing.is_some() {
                text.lines
                    .push(Line::styled(app.t("tui.signin.keep"), th.muted()));
            }
            if signin::provided_client(&app.form).is_some() {
                let p = [("provider", name)];
                text.lines.push(Line::styled(
                    app.tf("oauth_clients.wizard.ready", &p),
                    th.value(),
                ));
            } else if app.form.oauth.client_id.value().trim().is_empty() {
                text.lines.extend(no_client(app, provider));
                text.lines.extend(registration(app, provider));
            } else {
                text.lines.extend(registration(app, provider));
            }
        }
    }
    block_text(frame, rest, text, 0);
}
