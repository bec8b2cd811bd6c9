//! What flows in (`Msg`: keys, ticks, results tagged with a request id) and
//! out (`Effect`: work for the background runner), and the small `Control`
//! vocabulary keys are mapped to.

use crate::account::Account;
use crate::check::{Progress, ServerReport};
use crate::config::Config;
use crate::discover::{DiscoverOptions, DiscoverReport, SourceEvent};
use crate::doctor::DoctorReport;
use crate::oauth::{OauthError, TokenSet};
use crate::secret::Secret;
use crate::secrets::SecretsError;
use crate::send::{SendReport, TestMessage, VerifyReport};
use crate::service::{NewSecrets, ServiceError};
use crate::tui::signin::{SignInFlow, SignInPrompt};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::path::PathBuf;
use std::time::Duration;
use tui_input::InputRequest;

pub type RequestId = u64;

/// What a request is for: recorded when its id is given out
/// (`App::request_id`), so its result goes to that purpose's handler only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// The Password step proves the keyring can take the password.
    KeyringProbe,
    /// One side of the Test step.
    Check(crate::check::Side),
    /// The Send step's test message.
    SendTest,
    /// The Send step's arrival check.
    Verify,
    /// The Summary step's save.
    Save,
    /// The removal asked for on the welcome screen.
    Remove,
    /// The troubleshooting screen's pin, written to the saved account.
    PinSave,
    /// The "Settings found" step's discovery.
    Discover,
    /// The troubleshooting screen's doctor run.
    Diagnose,
    /// The Sign-in step's OAuth2 sign-in.
    SignIn,
    /// The troubleshooting screen's transcript file.
    Transcript(PathBuf),
    /// The troubleshooting screen's ticket file.
    Bundle(PathBuf),
    /// The other mail clients' accounts, read when the wizard starts.
    Detect,
    /// This run's sign-in renewed before the work that waits for it.
    RenewSignIn(crate::tui::signin_renew::AfterRenewal),
}

impl Purpose {
    /// The user waits for it (the spinner turns, plain mode waits);
    /// detection runs behind the welcome screen without holding it.
    pub fn awaited(&self) -> bool {
        *self != Purpose::Detect
    }
}

/// A background task died (a panic: a bug in mailwiz, not a refusal of
/// the keyring, the server or the identity provider). `evidence` is the
/// panic's own words, cleaned of control characters and bounded, for a
/// bug report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerDied {
    pub evidence: String,
}

impl WorkerDied {
    pub fn new(panic_words: &str) -> WorkerDied {
        // Control characters dropped, length bounded (`clean_text`).
        let evidence = crate::net::clean_text(panic_words.as_bytes());
        WorkerDied {
            evidence: evidence.trim().replace('\t', " "),
        }
    }

    /// What happened, in `lang`, with the panic's words quoted.
    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        if self.evidence.is_empty() {
            return crate::i18n::t(lang, "tui_routing.died.plain").to_string();
        }
        crate::i18n::tf(
            lang,
            "tui_routing.died.quoted",
            &[("evidence", &self.evidence)],
        )
    }

    /// What to do: try again, and report it if it happens again.
    pub fn advice(lang: crate::i18n::Lang) -> &'static str {
        crate::i18n::t(lang, "tui_routing.died.advice")
    }
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// Drives the spinner; sent by the loop ten times a second while
    /// background work runs, and on a resize (never when idle).
    Tick,
    /// The keyring can (or cannot) take the password; nothing was written.
    KeyringProbed {
        id: RequestId,
        result: Result<(), SecretsError>,
    },
    Progress {
        id: RequestId,
        progress: Progress,
    },
    Checked {
        id: RequestId,
        report: ServerReport,
    },
    Sent {
        id: RequestId,
        message: TestMessage,
        report: SendReport,
    },
    Arrived {
        id: RequestId,
        report: VerifyReport,
    },
    /// After a save or a removal: the config as it now is on disk.
    ConfigWritten {
        id: RequestId,
        result: Result<Config, ServiceError>,
    },
    /// Discovery: a source started or ended (the run goes on).
    Discovery {
        id: RequestId,
        event: SourceEvent,
    },
    /// Discovery: the run ended.
    Discovered {
        id: RequestId,
        report: Box<DiscoverReport>,
    },
    /// Troubleshooting: the doctor's run ended. `password_note` says why
    /// no password could be tried, if so; `oauth_finding` is the last
    /// OAuth2 sign-in or refresh refusal kept for the account (issue 15).
    Diagnosed {
        id: RequestId,
        report: Box<DoctorReport>,
        password_note: Option<String>,
        oauth_finding: Option<Box<crate::doctor::Finding>>,
    },
    /// Troubleshooting: the transcript file was written (or not).
    TranscriptSaved {
        id: RequestId,
        path: PathBuf,
        result: Result<(), String>,
    },
    /// OAuth2 sign-in: what the user must do (the request goes on).
    SignInPrompt {
        id: RequestId,
        prompt: SignInPrompt,
    },
    /// OAuth2 sign-in ended: the tokens (kept in memory until the save),
    /// or why not.
    SignedIn {
        id: RequestId,
        result: Result<TokenSet, OauthError>,
    },
    /// This run's sign-in was renewed (new tokens, kept in memory until
    /// the save), or why not.
    SignInRenewed {
        id: RequestId,
        result: Result<TokenSet, OauthError>,
    },
    /// The other mail clients' accounts were read (in the background, so
    /// a hostile or slow file never delays the first frame).
    Detected {
        id: RequestId,
        accounts: Vec<crate::detect::DetectedAccount>,
    },
    /// A mail test could not start: no secret for it (the keyring, the
    /// password command, the OAuth2 sign-in). Typed: the screen says it in
    /// its language, with what to do.
    NoSecret {
        id: RequestId,
        error: crate::credentials::CredentialError,
        account: String,
    },
    /// The background work died (a panic); `detail` is the panic's own
    /// words and where it happened (file:line). `update` hands it to the
    /// request's purpose as a `WorkerDied`, never as an error of the
    /// keyring, the file or OAuth2.
    Failed {
        id: RequestId,
        detail: String,
    },
}

#[derive(Debug)]
pub enum Effect {
    /// Keyring::open and probe: proves the keyring can take the password
    /// before the tests. Nothing is written: the password stays in memory
    /// and reaches the keyring only with the save (`SaveAccount`), so an
    /// abandoned run never changes a saved account's secret.
    ProbeKeyring {
        id: RequestId,
    },
    /// `password: None` reads it with `secrets::password_for`.
    CheckIncoming {
        id: RequestId,
        account: Box<Account>,
        password: Option<Secret>,
    },
    CheckSmtp {
        id: RequestId,
        account: Box<Account>,
        password: Option<Secret>,
    },
    SendTest {
        id: RequestId,
        account: Box<Account>,
        to: String,
        password: Option<Secret>,
    },
    VerifyArrival {
        id: RequestId,
        account: Box<Account>,
        message_id: String,
        password: Option<Secret>,
        deadline: Duration,
    },
    /// config::load, upsert (removing `replaces` when the name changed),
    /// save. A file that does not load is never overwritten.
    SaveAccount {
        id: RequestId,
        path: PathBuf,
        /// With its OAuth2 settings (None: it signs in otherwise).
        account: Box<Account>,
        /// Passwords typed in this run, written with the file as one step.
        secrets: Box<NewSecrets>,
    },
    RemoveAccount {
        id: RequestId,
        path: PathBuf,
        name: String,
    },
    /// `discover::discover` for the address, with the request's cancel
    /// flag; per-source events come back as `Msg::Discovery`.
    Discover {
        id: RequestId,
        email: String,
        options: Box<DiscoverOptions>,
    },
    /// `doctor::run` on the account (passwords: the form's, else the
    /// keyring or the password command), with the request's cancel flag.
    Diagnose {
        id: RequestId,
        account: Box<Account>,
        incoming: Option<Secret>,
        smtp: Option<Secret>,
        /// A recipient for MAIL FROM / RCPT TO (nothing is sent).
        rcpt: Option<String>,
    },
    /// OAuth2 sign-in on a background thread with the client secret
    /// typed this run (when given), the flow (its prompt comes back as
    /// `Msg::SignInPrompt`), the tokens back as `Msg::SignedIn`; nothing is
    /// written to the keyring. Stopped by the request's cancel flag.
    SignIn {
        id: RequestId,
        account: Box<Account>,
        client_secret: Option<Secret>,
        flow: SignInFlow,
    },
    /// One refresh of this run's sign-in with its refresh token, in memory:
    /// nothing is written to the keyring; the new tokens come back as
    /// `Msg::SignInRenewed`.
    RenewSignIn {
        id: RequestId,
        account: Box<Account>,
        tokens: Box<TokenSet>,
        client_secret: Option<Secret>,
    },
    /// Writes the (already redacted) transcript to `path`.
    SaveTranscript {
        id: RequestId,
        path: PathBuf,
        text: String,
    },
    /// Writes the doctor's ticket (`doctor::bundle::write`: atomic, new
    /// file, 0600); the result comes back as `Msg::TranscriptSaved`.
    SaveBundle {
        id: RequestId,
        path: PathBuf,
        bundle: Box<crate::doctor::bundle::Bundle>,
    },
    /// `detect::scan` of the user's other mail clients; the accounts come
    /// back as `Msg::Detected`.
    Detect {
        id: RequestId,
        roots: crate::detect::ScanRoots,
    },
    /// Raise the cancel flag of a running request.
    Cancel(RequestId),
    Quit,
}

/// What a key means, once the focus (typing or not) is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Next,
    Prev,
    Up,
    Down,
    Left,
    Right,
    /// PgUp / PgDn: scroll the text of the screen or pop-up a page.
    PageUp,
    PageDown,
    /// The Delete key (not typing): remove the selected item.
    Delete,
    Confirm,
    Back,
    Help,
    Quit,
    Toggle,
    /// F2: show or hide the password.
    Reveal,
    /// F3…F12: a screen's own action (works while typing).
    Fkey(u8),
    /// A shortcut letter (only when not typing).
    Char(char),
    /// An edit for the focused text field.
    Edit(InputRequest),
}

/// Maps a key to a control. When `typing`, letters, space and `?` go to the
/// field; otherwise they are shortcuts.
pub fn control(key: KeyEvent, typing: bool) -> Option<Control> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Control::Quit,
        KeyCode::Tab => Control::Next,
        KeyCode::BackTab => Control::Prev,
        KeyCode::Up => Control::Up,
        KeyCode::Down => Control::Down,
        KeyCode::PageUp => Control::PageUp,
        KeyCode::PageDown => Control::PageDown,
        KeyCode::Enter => Control::Confirm,
        KeyCode::Esc => Control::Back,
        KeyCode::F(1) => Control::Help,
        KeyCode::F(2) => Control::Reveal,
        KeyCode::F(n @ 3..=12) => Control::Fkey(n),
        _ if typing => {
            let event = crossterm::event::Event::Key(key);
            return tui_input::backend::crossterm::to_input_request(&event).map(Control::Edit);
        }
        KeyCode::Delete => Control::Delete,
        KeyCode::Left => Control::Left,
        KeyCode::Right => Control::Right,
        KeyCode::Char(' ') => Control::Toggle,
        KeyCode::Char('?') => Control::Help,
        KeyCode::Char(c) if !ctrl => Control::Char(c.to_ascii_lowercase()),
        _ => return None,
    })
}

/// A plain key press, for tests and the e2e driver.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}
