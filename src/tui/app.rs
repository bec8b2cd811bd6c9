//! The whole state of the wizard. Plain data: `update` changes it, `render`
//! draws it. Passwords are only inside `Secret`s, so `Debug` never shows one.

use super::discovery::Discovery;
use super::field::Field;
use super::form::Form;
use super::msg::{Purpose, RequestId, WorkerDied};
use super::step::Step;
use super::theme::Theme;
use super::troubleshoot::Troubleshoot;
use crate::check::{ServerReport, StepRecord};
use crate::config::{Config, ConfigError};
use crate::credentials::CredentialError;
use crate::detect::DetectedAccount;
use crate::discover::DiscoverOptions;
use crate::i18n::Lang;
use crate::net::Phase;
use crate::secrets::SecretsError;
use crate::send::{SendReport, TestMessage, VerifyReport};
use crate::service::ServiceError;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What `App::new` needs; `run` reads the config file and the environment.
#[derive(Debug)]
pub struct AppOptions {
    pub config_path: PathBuf,
    pub lang: Lang,
    pub config: Result<Config, ConfigError>,
    pub no_color: bool,
    /// How the "Settings found" step runs discovery; None: presets only,
    /// nothing in the background (what `new` gives; `run` turns it on).
    pub discover: Option<DiscoverOptions>,
    /// Accounts found in the user's other mail clients (`mailwiz detect`).
    pub detected: Vec<DetectedAccount>,
    /// Where to look for them in the background once the wizard runs
    /// (`App::start`); None: only `detected` is shown.
    pub detect_roots: Option<crate::detect::ScanRoots>,
    /// URLs are OSC 8 hyperlinks (`run` asks the environment; off in tests
    /// so snapshots stay plain text).
    pub hyperlinks: bool,
}

impl AppOptions {
    pub fn new(config_path: PathBuf, lang: Lang, config: Result<Config, ConfigError>) -> Self {
        AppOptions {
            config_path,
            lang,
            config,
            no_color: false,
            discover: None,
            detected: Vec::new(),
            detect_roots: None,
            hyperlinks: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    Help,
    ConfirmQuit,
    ConfirmRemove(String),
}

/// Why the wizard was opened on an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// New account, or editing one: every step, then save.
    Setup,
    /// Check or send test of a saved account: Esc goes back to Welcome.
    Existing,
}

#[derive(Debug, Default)]
pub enum KeyringState {
    #[default]
    Idle,
    Storing(u64),
    Stored,
    Failed(SecretsError),
    /// The probe's background task died (a bug, not the keyring's answer).
    Died(WorkerDied),
    /// The user chose a password command instead.
    Command,
}

/// Why a mail request ended without its result; typed, the screen says it
/// in its language.
#[derive(Debug)]
pub enum Stopped {
    /// No secret for it (the keyring, the password command, the sign-in).
    NoSecret {
        error: CredentialError,
        account: String,
    },
    /// Its background task died.
    Died(WorkerDied),
    /// This run's sign-in could not be renewed (the Sign-in step's error
    /// says why).
    RenewalRefused,
}

/// One side of the test (incoming or SMTP), live.
#[derive(Debug, Default)]
pub struct SideRun {
    pub id: Option<u64>,
    pub running: Option<Phase>,
    pub steps: Vec<StepRecord>,
    pub report: Option<ServerReport>,
    pub cancelled: bool,
    pub crashed: Option<Stopped>,
}

impl SideRun {
    pub fn ok(&self) -> bool {
        self.report.as_ref().is_some_and(|r| r.ok)
    }

    pub fn done(&self) -> bool {
        self.id.is_none() && (self.report.is_some() || self.cancelled || self.crashed.is_some())
    }
}

#[derive(Debug, Default)]
pub struct SendState {
    pub id: Option<u64>,
    pub running: Option<Phase>,
    pub message: Option<TestMessage>,
    pub report: Option<SendReport>,
    pub verify_id: Option<u64>,
    pub verify: Option<VerifyReport>,
    pub cancelled: bool,
    pub crashed: Option<Stopped>,
    /// Focus on the To field (else on the buttons).
    pub editing_to: bool,
}

#[derive(Debug, Default)]
pub enum SaveState {
    #[default]
    NotYet,
    Saving(u64),
    Saved,
    /// The file or the keyring refused; nothing of the save was kept.
    Failed(ServiceError),
    /// The save's background task died: what was written is unknown.
    Died(WorkerDied),
}

#[derive(Debug)]
pub struct App {
    pub lang: Lang,
    pub theme: Theme,
    pub step: Step,
    pub flow: Flow,
    pub config_path: PathBuf,
    pub config: Config,
    pub config_error: Option<ConfigError>,
    /// The welcome list's selection: saved accounts, then detected ones.
    pub selected: usize,
    /// Accounts found in the user's other mail clients.
    pub detected: Vec<DetectedAccount>,
    /// The form was filled from a detected account: "client (file)".
    pub imported: Option<String>,
    /// An account being edited keeps its name (and entry in the config).
    pub editing: Option<String>,
    pub form: Form,
    pub focus: usize,
    /// Show every field's error (after a refused Enter), not only typed ones.
    pub show_errors: bool,
    pub modal: Option<Modal>,
    /// Something was entered that is not saved yet.
    pub dirty: bool,
    pub next_id: u64,
    /// Every request still awaited, with what it is for: its result goes
    /// to that purpose's handler only; a result not here is dropped.
    pub pending: BTreeMap<RequestId, Purpose>,
    pub spinner: usize,
    pub keyring: KeyringState,
    pub incoming: SideRun,
    pub smtp: SideRun,
    /// The Test step's prompts and countdown.
    pub test_ui: super::steps::TestUi,
    pub send: SendState,
    pub save: SaveState,
    pub discover_options: Option<DiscoverOptions>,
    pub discovery: Discovery,
    /// A one-line message key for the welcome screen (`tui.welcome.*`).
    pub notice: Option<&'static str>,
    /// The "Something doesn't work" screen, over the current step.
    pub troubleshoot: Option<Troubleshoot>,
    /// OAuth2 sign-in (the Sign-in step of an OAuth2 account).
    pub signin: super::signin::SignInState,
    /// Where detection will look (taken by `start`), and the id of the
    /// detection running in the background (the welcome screen says so).
    pub detect_roots: Option<crate::detect::ScanRoots>,
    pub detecting: Option<u64>,
    pub quit: bool,
    /// How far the current screen's text (or its help pop-up) is scrolled.
    pub scroll: super::widgets::Scroll,
    /// How far the help pop-up is scrolled (its own, so closing it keeps
    /// the screen's place).
    pub help_scroll: super::widgets::Scroll,
    /// Draw URLs as OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// The user typed a server, port or login in this run: only then are
    /// the settings labelled "entered by hand".
    pub typed_settings: bool,
}

impl App {
    pub fn new(options: AppOptions) -> App {
        let (config, config_error) = match options.config {
            Ok(c) => (c, None),
            Err(e) => (Config::default(), Some(e)),
        };
        App {
            lang: options.lang,
            theme: Theme::new(!options.no_color),
            step: Step::Welcome,
            flow: Flow::Setup,
            config_path: options.config_path,
            config,
            config_error,
            selected: 0,
            detected: options.detected,
            imported: None,
            editing: None,
            form: Form::default(),
            focus: 0,
            show_errors: false,
            modal: None,
            dirty: false,
            next_id: 1,
            pending: BTreeMap::new(),
            spinner: 0,
            keyring: KeyringState::Idle,
            incoming: SideRun::default(),
            smtp: SideRun::default(),
            test_ui: Default::default(),
            send: SendState::default(),
            save: SaveState::default(),
            discover_options: options.discover,
            discovery: Discovery::default(),
            notice: None,
            troubleshoot: None,
            signin: Default::default(),
            detect_roots: options.detect_roots,
            detecting: None,
            quit: false,
            scroll: Default::default(),
            help_scroll: Default::default(),
            hyperlinks: options.hyperlinks,
            typed_settings: false,
        }
    }

    /// The work to start with the first frame: detection of the other mail
    /// clients, in the background (it reads files that may be slow or
    /// hostile, so it never holds the screen).
    pub fn start(&mut self) -> Vec<super::msg::Effect> {
        let Some(roots) = self.detect_roots.take() else {
            return Vec::new();
        };
        let id = self.request_id(Purpose::Detect);
        self.detecting = Some(id);
        vec![super::msg::Effect::Detect { id, roots }]
    }

    /// A new request's id, recorded as pending for `purpose`: the one
    /// place ids are given out.
    pub fn request_id(&mut self, purpose: Purpose) -> RequestId {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.insert(id, purpose);
        id
    }

    /// A request the user waits for is running (detection does not count:
    /// it never holds the screen).
    pub fn busy(&self) -> bool {
        self.pending.values().any(Purpose::awaited)
    }

    /// The focusable fields of the current step.
    pub fn fields(&self) -> Vec<Field> {
        super::steps::fields(self)
    }

    pub fn focused(&self) -> Option<Field> {
        let fields = self.fields();
        fields
            .get(self.focus.min(fields.len().saturating_sub(1)))
            .copied()
    }

    /// Keys go into a text field (so `?` and letters are text).
    pub fn typing(&self) -> bool {
        if self.modal.is_some() {
            return false;
        }
        if let Some(ts) = &self.troubleshoot {
            return ts.rcpt_field.is_some();
        }
        self.focused().is_some_and(super::field::Field::takes_text)
    }

    pub fn accounts(&self) -> &[crate::account::Account] {
        &self.config.accounts
    }

    pub fn t(&self, key: &str) -> &'static str {
        crate::i18n::t(self.lang, key)
    }

    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        crate::i18n::tf(self.lang, key, args)
    }
}

/// The detected accounts arrived; a result of another run is dropped.
pub fn on_detected(app: &mut App, id: u64, accounts: Vec<DetectedAccount>) {
    if app.detecting != Some(id) {
        return;
    }
    app.detecting = None;
    app.detected = accounts;
}
