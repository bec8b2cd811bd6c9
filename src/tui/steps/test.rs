//! Step 8: incoming login and SMTP authentication, in parallel, live.
//! Esc cancels; on failure, the doctor's finding and a key to the step to
//! fix it; at an unknown certificate, the choice of trusting a CA file or
//! pinning the certificate, then a new run. Going on after a failure asks
//! first.

use crate::account::{AuthMethod, Role, Security};
use crate::check::Side;
use crate::check::{Progress, ServerReport};
use crate::doctor::{self, Code, Context, Finding, Severity};
use crate::net::{StepDetail, StepNote};
use crate::secret::Secret;
use crate::tui::app::{App, Flow, SideRun, Stopped};
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect, Purpose, RequestId};
use crate::tui::step::Step;
use crate::tui::troubleshoot;
use crate::tui::update::goto;

pub use super::test_trust::{ca_file_unusable, failed_steps, untrusted_certs};
use super::test_trust::{offers_ca_file, on_prompt};
pub use super::test_view::render;

/// What the Test step asks, over its results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TestPrompt {
    #[default]
    None,
    /// The CA-file path field, for a certificate the system does not trust.
    CaFile,
    /// "Pin this certificate?" for these servers' certificates.
    ConfirmPin(Vec<(Side, String)>),
    /// "A test failed or did not run: go on anyway?"
    ConfirmUntested,
}

/// The trust settings a run used: the pins (incoming, SMTP), the CA file.
pub type TrustSettings = ((Option<String>, Option<String>), String);

/// The Test step's own state beside the two runs.
#[derive(Debug, Clone, Default)]
pub struct TestUi {
    pub prompt: TestPrompt,
    /// The spinner count when the run started (ten a second): the countdown.
    pub started_tick: usize,
    /// The trust settings the last run used (pins, CA file): a change made
    /// elsewhere (the diagnosis's pinning) re-runs the test on return.
    pub tested_trust: Option<TrustSettings>,
}

/// The password for a role as held in memory (for OAuth2, the access
/// token of this run's sign-in); `None` lets the runner read it from the
/// keyring or the password command.
pub fn password(app: &App, role: Role) -> Option<Secret> {
    if crate::tui::signin::is_oauth(app) {
        return crate::tui::signin::access_token(app);
    }
    let f = &app.form;
    let pw = match role {
        Role::Smtp if f.separate_smtp_password() => &f.smtp_password,
        _ => &f.password,
    };
    (!pw.is_empty()).then(|| pw.secret().clone())
}

fn trust(app: &App) -> TrustSettings {
    (
        app.form.pins.clone(),
        app.form.ca_file.value().trim().to_string(),
    )
}

pub fn start(app: &mut App) -> Vec<Effect> {
    let mut effects = cancel(app);
    let renewal = crate::tui::signin_renew::AfterRenewal::Test;
    if let Some(renew) = crate::tui::signin_renew::renew_first(app, renewal) {
        // Nothing of an earlier run stays on screen while it renews.
        app.incoming = SideRun::default();
        app.smtp = SideRun::default();
        effects.extend(renew);
        return effects;
    }
    let account = Box::new(app.form.account());
    let a = app.request_id(Purpose::Check(Side::Incoming));
    let b = app.request_id(Purpose::Check(Side::Smtp));
    app.incoming = SideRun {
        id: Some(a),
        ..SideRun::default()
    };
    app.smtp = SideRun {
        id: Some(b),
        ..SideRun::default()
    };
    app.test_ui = TestUi {
        started_tick: app.spinner,
        tested_trust: Some(trust(app)),
        ..TestUi::default()
    };
    effects.push(Effect::CheckIncoming {
        id: a,
        account: account.clone(),
        password: password(app, Role::Incoming),
    });
    effects.push(Effect::CheckSmtp {
        id: b,
        account,
        password: password(app, Role::Smtp),
    });
    effects
}

/// Back from the diagnosis on the Test step: a pin made there changed the
/// trust, so the test runs again at once (instead of staying red until R).
pub fn on_back_from_diagnosis(app: &mut App) -> Vec<Effect> {
    let tested = app.test_ui.tested_trust.clone();
    if app.step == Step::Test && tested.is_some_and(|t| t != trust(app)) {
        return start(app);
    }
    Vec::new()
}

fn cancel(app: &mut App) -> Vec<Effect> {
    let mut effects = Vec::new();
    for side in [&mut app.incoming, &mut app.smtp] {
        if let Some(id) = side.id.take() {
            app.pending.remove(&id);
            side.cancelled = true;
            side.running = None;
            effects.push(Effect::Cancel(id));
        }
    }
    effects
}

pub fn running(app: &App) -> bool {
    app.incoming.id.is_some() || app.smtp.id.is_some()
}

/// The run of `side` when it is still the one that asked under `id` (the
/// welcome screen resets the runs without waiting for their results).
fn side_mut(app: &mut App, side: Side, id: RequestId) -> Option<&mut SideRun> {
    let run = match side {
        Side::Incoming => &mut app.incoming,
        Side::Smtp => &mut app.smtp,
    };
    (run.id == Some(id)).then_some(run)
}

pub fn on_progress(app: &mut App, side: Side, id: RequestId, progress: Progress) {
    if let Some(side) = side_mut(app, side, id) {
        match progress {
            Progress::Started { phase, .. } => side.running = Some(phase),
            Progress::Finished { step, .. } => {
                side.running = None;
                side.steps.push(step);
            }
        }
    }
}

pub fn on_checked(app: &mut App, side: Side, id: RequestId, report: ServerReport) -> Vec<Effect> {
    if let Some(side) = side_mut(app, side, id) {
        side.id = None;
        side.running = None;
        side.steps = report.steps.clone();
        side.report = Some(report);
    }
    Vec::new()
}

/// The check ended without a report: no secret, or its task died.
pub fn on_stopped(app: &mut App, side: Side, id: RequestId, why: Stopped) {
    if let Some(side) = side_mut(app, side, id) {
        side.id = None;
        side.running = None;
        side.crashed = Some(why);
    }
}

/// What the findings need beyond the reports: where the server names came
/// from, and whether the account logs in to SMTP.
pub fn context(app: &App) -> Context {
    Context {
        hosts_from_directory: app.form.provider().is_some() || app.form.discovered.is_some(),
        smtp_login_off: !app.form.auth_required,
    }
}

/// The doctor's findings for the sides that failed, and its warnings for
/// those that work: the same titles and fixes as the troubleshooting
/// screen (no second table of advice).
pub fn findings(app: &App) -> Vec<Finding> {
    doctor::findings_from_check(
        &app.form.account(),
        app.incoming.report.as_ref(),
        app.smtp.report.as_ref(),
        troubleshoot::provider(app),
        &context(app),
        app.lang,
    )
}

pub fn failed(s: &SideRun) -> bool {
    s.done() && !s.ok() && !s.cancelled
}

/// The login was skipped on a side that works (no login asked, no password).
pub fn login_untested(s: &SideRun) -> bool {
    s.steps.iter().any(|r| {
        matches!(&r.detail, StepDetail::Note { note } if note.is_skip() && *note != StepNote::NoToken)
    })
}

/// Where to go to fix the first failure (or warning): the step and field
/// the finding points to (the troubleshooting screen's rule), else the
/// server's step.
pub fn fix_target(app: &App) -> Option<(Step, Option<Field>)> {
    let found = findings(app);
    for (side, run, step) in [
        (Side::Incoming, &app.incoming, Step::Incoming),
        (Side::Smtp, &app.smtp, Step::Outgoing),
    ] {
        let finding = found.iter().find(|f| f.server == side);
        if failed(run) {
            return Some(match finding.and_then(troubleshoot::jump) {
                Some((s, field)) => (s, Some(field)),
                // A certificate the system does not trust: the server's
                // step holds the CA-file field.
                None if finding.is_some_and(|f| f.code == Code::TlsUntrusted) => {
                    (step, Some(Field::CaFile))
                }
                None => (step, None),
            });
        }
        if run.ok()
            && let Some((s, field)) = finding
                .filter(|f| f.severity == Severity::Warning)
                .and_then(troubleshoot::jump)
        {
            return Some((s, Some(field)));
        }
    }
    None
}

/// Every test passed: a skipped login counts as not run, unless it is an
/// SMTP server the user said needs none and that offers none.
pub fn all_passed(app: &App) -> bool {
    let smtp_login_expected = app.form.auth_required
        || findings(app)
            .iter()
            .any(|f| f.severity == Severity::Warning);
    app.incoming.ok()
        && app.smtp.ok()
        && !login_untested(&app.incoming)
        && !(login_untested(&app.smtp) && smtp_login_expected)
}

fn fix(app: &mut App) -> Vec<Effect> {
    let Some((step, field)) = fix_target(app) else {
        return Vec::new();
    };
    if findings(app).iter().any(|f| f.code == Code::Oauth2Required) {
        // Only OAuth2 works: the fix is the Sign-in step.
        let preset = app.form.provider();
        app.form.auth = Some(AuthMethod::Oauth2);
        app.form.oauth.fill(preset);
    }
    app.flow = Flow::Setup;
    let effects = goto(app, step);
    if let Some(i) = field.and_then(|f| app.fields().iter().position(|x| *x == f)) {
        app.focus = i;
    }
    effects
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    if app.test_ui.prompt != TestPrompt::None {
        return on_prompt(app, c);
    }
    match c {
        Control::Back if running(app) => cancel(app),
        Control::Back => match app.flow {
            Flow::Existing => goto(app, Step::Welcome),
            Flow::Setup => goto(app, Step::Password),
        },
        _ if running(app) => Vec::new(),
        Control::Char('r') => start(app),
        Control::Char('d') if failed(&app.incoming) || failed(&app.smtp) => {
            troubleshoot::open(app, Step::Test)
        }
        Control::Char('c') if offers_ca_file(app) => {
            app.test_ui.prompt = TestPrompt::CaFile;
            Vec::new()
        }
        Control::Char('p') if !untrusted_certs(app).is_empty() => {
            app.test_ui.prompt = TestPrompt::ConfirmPin(untrusted_certs(app));
            Vec::new()
        }
        Control::Char('f') => fix(app),
        // A saved account being checked: nothing is saved from here.
        Control::Confirm if all_passed(app) || app.flow == Flow::Existing => goto(app, Step::Send),
        Control::Confirm => {
            app.test_ui.prompt = TestPrompt::ConfirmUntested;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn fields(app: &App) -> Vec<Field> {
    match app.test_ui.prompt {
        TestPrompt::CaFile => vec![Field::CaFile],
        _ => Vec::new(),
    }
}

pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    if running(app) {
        return vec![("Esc", "tui.test.key_cancel")];
    }
    match app.test_ui.prompt {
        TestPrompt::CaFile => {
            return vec![("Enter", "tui_test.key.use_ca"), ("Esc", "tui.key.cancel")];
        }
        TestPrompt::ConfirmPin(_) | TestPrompt::ConfirmUntested => {
            // The question's own line says which letter is yes.
            return vec![("Esc", "tui_test.key.no")];
        }
        TestPrompt::None => {}
    }
    // Most useful first: a narrow footer drops hints from the end.
    let mut keys = vec![("Enter", "tui.key.next"), ("R", "tui.test.key_retry")];
    if fix_target(app).is_some() {
        keys.push(("F", "tui.test.key_fix"));
    }
    if offers_ca_file(app) {
        keys.push(("C", "tui_test.key.ca_file"));
    }
    if !untrusted_certs(app).is_empty() {
        keys.push(("P", "tui_test.key.pin"));
    }
    if failed(&app.incoming) || failed(&app.smtp) {
        keys.push(("D", "tui.troubleshoot.key_open"));
    }
    keys.push(("Esc", "tui.key.back"));
    keys
}

/// Whether a side connects without encryption.
pub fn unencrypted(app: &App, side: Side) -> bool {
    match side {
        Side::Incoming => app.form.in_security == Security::None,
        Side::Smtp => app.form.out_security == Security::None,
    }
}
