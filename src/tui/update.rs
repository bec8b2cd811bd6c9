//! `update`: the only place the state changes. No I/O: work to do is
//! returned as `Effect`s, and its results come back as `Msg`s.

use super::app::{App, Modal};
use super::field::{Field, Kind};
use super::msg::{Control, Effect, Msg, Purpose, control};
use super::step::Step;
use super::steps;
use crate::account::{Protocol, Security};
use crossterm::event::{KeyCode, KeyModifiers};

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => {
            // y/n answers in a confirmation are letters, whatever the focus
            // (Ctrl-C stays Ctrl-C: pressed twice, it quits).
            if matches!(
                app.modal,
                Some(Modal::ConfirmQuit | Modal::ConfirmRemove(_))
            ) && let KeyCode::Char(c) = key.code
                && !key.modifiers.contains(KeyModifiers::CONTROL)
            {
                return on_modal(app, Control::Char(c.to_ascii_lowercase()));
            }
            match control(key, app.typing()) {
                Some(c) => on_control(app, c),
                None => Vec::new(),
            }
        }
        Msg::Tick => {
            if app.busy() {
                app.spinner = app.spinner.wrapping_add(1);
            }
            Vec::new()
        }
        result => route(app, result),
    }
}

/// A result goes to the handler of what its request was for. An id not
/// pending (cancelled, superseded, or never asked) is dropped; a message
/// that says the work goes on keeps it pending; a final one ends it.
fn route(app: &mut App, msg: Msg) -> Vec<Effect> {
    let id = result_id(&msg);
    let Some(purpose) = app.pending.get(&id).cloned() else {
        return Vec::new();
    };
    let goes_on = matches!(
        msg,
        Msg::Progress { .. } | Msg::Discovery { .. } | Msg::SignInPrompt { .. }
    );
    if !goes_on {
        app.pending.remove(&id);
    }
    steps::on_result(app, purpose, msg)
}

fn result_id(msg: &Msg) -> u64 {
    match msg {
        Msg::KeyringProbed { id, .. }
        | Msg::Progress { id, .. }
        | Msg::Checked { id, .. }
        | Msg::Sent { id, .. }
        | Msg::Arrived { id, .. }
        | Msg::ConfigWritten { id, .. }
        | Msg::Diagnosed { id, .. }
        | Msg::TranscriptSaved { id, .. }
        | Msg::Discovery { id, .. }
        | Msg::Discovered { id, .. }
        | Msg::SignInPrompt { id, .. }
        | Msg::SignedIn { id, .. }
        | Msg::SignInRenewed { id, .. }
        | Msg::Detected { id, .. }
        | Msg::NoSecret { id, .. }
        | Msg::Failed { id, .. } => *id,
        Msg::Key(_) | Msg::Tick => 0,
    }
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    if app.modal.is_some() {
        return on_modal(app, c);
    }
    match c {
        Control::Quit => {
            if app.dirty {
                app.modal = Some(Modal::ConfirmQuit);
                Vec::new()
            } else {
                quit(app)
            }
        }
        Control::Help => {
            app.modal = Some(Modal::Help);
            app.help_scroll.reset();
            Vec::new()
        }
        Control::PageUp | Control::PageDown => {
            app.scroll.pages(if c == Control::PageUp { -1 } else { 1 });
            Vec::new()
        }
        c if app.troubleshoot.is_some() => super::troubleshoot::on_control(app, c),
        c => steps::on_control(app, c),
    }
}

fn on_modal(app: &mut App, c: Control) -> Vec<Effect> {
    let Some(modal) = app.modal.clone() else {
        return Vec::new();
    };
    let yes = matches!(c, Control::Char('y' | 'o'));
    let no = matches!(c, Control::Char('n') | Control::Back);
    match modal {
        Modal::Help if c == Control::Quit => {
            app.modal = None;
            on_control(app, c)
        }
        Modal::Help if matches!(c, Control::Up | Control::Down) => {
            app.help_scroll.lines(if c == Control::Up { -1 } else { 1 });
            Vec::new()
        }
        Modal::Help if matches!(c, Control::PageUp | Control::PageDown) => {
            app.help_scroll
                .pages(if c == Control::PageUp { -1 } else { 1 });
            Vec::new()
        }
        Modal::Help => {
            if matches!(
                c,
                Control::Back | Control::Help | Control::Confirm | Control::Char(_)
            ) {
                app.modal = None;
            }
            Vec::new()
        }
        Modal::ConfirmQuit if yes || c == Control::Quit => quit(app),
        // Ctrl-C over another question is still Ctrl-C.
        Modal::ConfirmRemove(_) if c == Control::Quit => {
            app.modal = None;
            on_control(app, c)
        }
        Modal::ConfirmRemove(name) if yes => {
            app.modal = None;
            let id = app.request_id(Purpose::Remove);
            vec![Effect::RemoveAccount {
                id,
                path: app.config_path.clone(),
                name,
            }]
        }
        _ if no => {
            app.modal = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn quit(app: &mut App) -> Vec<Effect> {
    app.quit = true;
    app.modal = None;
    let mut effects: Vec<Effect> = app.pending.keys().map(|id| Effect::Cancel(*id)).collect();
    app.pending.clear();
    effects.push(Effect::Quit);
    effects
}

/// What a step's own handler left for the shared form logic.
pub fn form_control(app: &mut App, c: Control) -> bool {
    let fields = app.fields();
    if fields.is_empty() {
        return false;
    }
    let n = fields.len();
    app.focus = app.focus.min(n - 1);
    let field = fields[app.focus];
    match c {
        Control::Next | Control::Down => app.focus = (app.focus + 1) % n,
        Control::Prev | Control::Up => app.focus = (app.focus + n - 1) % n,
        Control::Edit(req) => edit(app, field, req),
        Control::Toggle | Control::Right if !matches!(field.kind(), Kind::Text | Kind::Button) => {
            cycle(app, field, true);
        }
        Control::Left if field.kind() == Kind::Choice => cycle(app, field, false),
        Control::Reveal => {
            let shown = !app.form.password.shown;
            app.form.password.shown = shown;
            app.form.smtp_password.shown = shown;
            app.form.oauth.client_secret.shown = shown;
        }
        _ => return false,
    }
    true
}

fn edit(app: &mut App, field: Field, req: tui_input::InputRequest) {
    use tui_input::InputRequest as R;
    app.dirty = true;
    if field.kind() == Kind::Secret {
        let pw = match field {
            Field::Password => &mut app.form.password,
            Field::ClientSecret => &mut app.form.oauth.client_secret,
            _ => &mut app.form.smtp_password,
        };
        match req {
            R::InsertChar(c) => pw.push(c),
            R::DeletePrevChar => pw.pop(),
            R::DeleteLine | R::DeleteFromStart | R::DeletePrevWord => pw.clear(),
            _ => {}
        }
        return;
    }
    if let Some(input) = app.form.input_mut(field) {
        let changed = input.handle(req).is_some_and(|s| s.value);
        if changed {
            if matches!(
                field,
                Field::InHost
                    | Field::OutHost
                    | Field::InUser
                    | Field::OutUser
                    | Field::InPort
                    | Field::OutPort
            ) {
                app.typed_settings = true;
            }
            match field {
                Field::InPort => app.form.in_port_typed = true,
                Field::OutPort => app.form.out_port_typed = true,
                Field::InHost | Field::OutHost | Field::InUser | Field::OutUser
                    if app.step != Step::SettingsFound =>
                {
                    app.form.go_manual();
                }
                _ => {}
            }
        }
    }
}

fn next_security(s: Security, forward: bool) -> Security {
    let all = Security::ALL;
    let i = all.iter().position(|x| *x == s).unwrap_or(0);
    let j = if forward { (i + 1) % 3 } else { (i + 2) % 3 };
    all[j]
}

fn cycle(app: &mut App, field: Field, forward: bool) {
    app.dirty = true;
    let f = &mut app.form;
    match field {
        Field::Protocol => {
            f.protocol = match f.protocol {
                Protocol::Imap => Protocol::Pop3,
                Protocol::Pop3 => Protocol::Imap,
            };
        }
        Field::Variant => {
            if let Some(p) = f.provider() {
                let n = p.variants.len().max(1);
                f.variant = if forward {
                    (f.variant + 1) % n
                } else {
                    (f.variant + n - 1) % n
                };
                f.refill(Some(f.protocol));
            }
        }
        Field::InSecurity => {
            let s = next_security(f.in_security, forward);
            f.set_in_security(s);
            f.go_manual();
        }
        Field::OutSecurity => {
            let s = next_security(f.out_security, forward);
            f.set_out_security(s);
            f.go_manual();
        }
        Field::KeepCopy => f.keep_copy = !f.keep_copy,
        Field::AuthMethod => {
            use crate::account::AuthMethod;
            f.auth = Some(match f.auth_method() {
                AuthMethod::Oauth2 => AuthMethod::Password,
                _ => AuthMethod::Oauth2,
            });
            let preset = f.provider();
            f.oauth.fill(preset);
        }
        Field::AuthRequired => f.auth_required = !f.auth_required,
        Field::SameLogin => f.same_login = !f.same_login,
        Field::ShowPassword => {
            f.password.shown = !f.password.shown;
            f.smtp_password.shown = f.password.shown;
        }
        _ => {}
    }
}

/// Moves to a step, running what entering it starts.
pub fn goto(app: &mut App, step: Step) -> Vec<Effect> {
    app.step = step;
    app.focus = 0;
    app.scroll.reset();
    app.show_errors = false;
    steps::on_enter(app)
}

/// Checks the given fields; on failure shows every error and focuses the
/// first bad field.
pub fn validate(app: &mut App, fields: &[Field]) -> bool {
    let all = app.fields();
    if let Some(bad) = fields.iter().find(|f| app.form.error(**f).is_some()) {
        app.show_errors = true;
        app.focus = all.iter().position(|f| f == bad).unwrap_or(app.focus);
        return false;
    }
    true
}
