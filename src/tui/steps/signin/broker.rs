//! A token broker found on this machine (oama, pizauth) as a first-class
//! way through the Sign-in step when no client id is provided: B takes
//! its command as the account's token command and goes on to the Test
//! step, which signs in with the token it prints.

use crate::oauth::brokers::{self, BrokerKind, Recipe};
use crate::tui::app::App;
use crate::tui::msg::Effect;
use crate::tui::signin;
use crate::tui::step::Step;
use crate::tui::update::goto;

/// The broker to offer, and its command for the form's address: only when
/// nothing else is set (no provided client, no typed client id, no token
/// command yet).
pub fn offered(app: &App) -> Option<(BrokerKind, String)> {
    let form = &app.form;
    if signin::provided_client(form).is_some()
        || !form.oauth.client_id.value().trim().is_empty()
        || form.oauth.token_command.is_some()
    {
        return None;
    }
    let email = form.email.value().trim();
    brokers::installed()
        .iter()
        .find_map(|b| match b.kind.recipe(email) {
            Recipe::TokenCommand { command } => Some((b.kind, command)),
            Recipe::LocalProxy { .. } => None,
        })
}

/// Uses the offered broker: its command is the token command, tested by
/// the Test step (the command must print a token the servers accept).
pub fn use_it(app: &mut App) -> Vec<Effect> {
    let Some((_, command)) = offered(app) else {
        return Vec::new();
    };
    app.form.oauth.token_command = Some(command);
    app.form.oauth.tokens = None;
    app.dirty = true;
    goto(app, Step::Test)
}
