#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The wizard's Sign-in step (OAuth2 accounts): flow results in, state and
//! effects out; stale results dropped; Esc cancels; the settings saved
//! without the client secret; snapshots in both languages.

use crossterm::event::KeyCode;
use mailwiz::account::AuthMethod;
use mailwiz::config::Config;
use mailwiz::i18n::Lang;
use mailwiz::oauth::{OauthError, TokenSet};
use mailwiz::secret::Secret;
use mailwiz::tui::{
    App, AppOptions, Effect, Field, Msg, SignInFlow, SignInPrompt, SignInState, Step, key, render,
    update,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;

const SECRET: &str = "client-s3cret-value";
const ACCESS: &str = "access-t0ken-in-memory";

/// The tokens a finished sign-in sends back.
fn tokens() -> TokenSet {
    TokenSet {
        access_token: Secret::new(ACCESS),
        refresh_token: Some(Secret::new("refresh-t0ken")),
        expires_at: None,
        signed_in_at: None,
    }
}

fn app(lang: Lang) -> App {
    App::new(AppOptions::new(
        PathBuf::from("/home/alice/.config/mailwiz/accounts.toml"),
        lang,
        Ok(Config::default()),
    ))
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, key(code))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn focus(app: &mut App, field: Field) {
    for _ in 0..20 {
        if app.focused() == Some(field) {
            return;
        }
        press(app, KeyCode::Tab);
    }
    panic!(
        "{field:?} is not on step {:?}: {:?}",
        app.step,
        app.fields()
    );
}

/// Welcome → … → the password step, with the preset's values.
fn to_password(app: &mut App, email: &str) {
    press(app, KeyCode::Enter);
    type_text(app, "Alice Liddell");
    press(app, KeyCode::Tab);
    type_text(app, email);
    for _ in 0..5 {
        press(app, KeyCode::Enter);
    }
    assert_eq!(app.step, Step::Password);
}

/// Outlook.com takes OAuth2 only: the password step is the Sign-in step.
fn outlook(lang: Lang) -> App {
    let mut a = app(lang);
    to_password(&mut a, "alice@outlook.com");
    a
}

fn start(app: &mut App, button: Field) -> (u64, Effect) {
    focus(app, button);
    let mut effects = press(app, KeyCode::Enter);
    assert_eq!(effects.len(), 1, "{effects:?}");
    let e = effects.remove(0);
    match &e {
        Effect::SignIn { id, .. } => (*id, e),
        other => panic!("{other:?}"),
    }
}

fn device_prompt() -> SignInPrompt {
    SignInPrompt::Device {
        uri: "https://microsoft.com/devicelogin".into(),
        code: "ABCD-EFGH".into(),
        complete: None,
        minutes: 15,
    }
}

fn browser_prompt() -> SignInPrompt {
    SignInPrompt::Browser {
        url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?response_type=code&client_id=my-client-id&redirect_uri=http%3A%2F%2F127.0.0.1%3A40123%2F".into(),
        opened: false,
    }
}

#[test]
fn an_oauth2_only_provider_gets_the_sign_in_step() {
    let a = outlook(Lang::En);
    assert_eq!(a.form.auth_method(), AuthMethod::Oauth2);
    assert_eq!(
        a.fields(),
        vec![
            Field::ClientId,
            Field::ClientSecret,
            Field::SignInBrowser,
            Field::SignInDevice
        ]
    );
    // Free takes passwords only: no choice, the password step as before.
    let mut free = app(Lang::En);
    to_password(&mut free, "alice@free.fr");
    assert!(!free.fields().contains(&Field::AuthMethod));
    // Gmail takes both: the choice is offered, password first.
    let mut gmail = app(Lang::En);
    to_password(&mut gmail, "alice@gmail.com");
    assert!(gmail.fields().contains(&Field::AuthMethod));
    assert_eq!(gmail.focused(), Some(Field::Password));
}

#[test]
fn the_user_can_choose_oauth2_for_a_manual_account() {
    let mut a = app(Lang::En);
    to_password(&mut a, "alice@example.test");
    assert_eq!(a.form.auth_method(), AuthMethod::Password);
    focus(&mut a, Field::AuthMethod);
    press(&mut a, KeyCode::Right);
    assert_eq!(a.form.auth_method(), AuthMethod::Oauth2);
    // The focus stays on the choice; no preset: the addresses are asked.
    assert_eq!(a.focused(), Some(Field::AuthMethod));
    for f in [
        Field::ClientId,
        Field::TokenUrl,
        Field::DeviceUrl,
        Field::Scope,
    ] {
        assert!(a.fields().contains(&f), "{f:?}");
    }
    // Without a device address there is no code sign-in.
    assert!(!a.fields().contains(&Field::SignInDevice));
    focus(&mut a, Field::DeviceUrl);
    type_text(&mut a, "http://127.0.0.1:9/device");
    assert!(a.fields().contains(&Field::SignInDevice));
    focus(&mut a, Field::AuthMethod);
    press(&mut a, KeyCode::Right);
    assert_eq!(a.form.auth_method(), AuthMethod::Password);
    assert_eq!(a.fields()[0], Field::Password);
}

#[test]
fn a_client_id_is_required() {
    let mut a = outlook(Lang::En);
    focus(&mut a, Field::SignInDevice);
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert!(a.show_errors);
    assert_eq!(a.focused(), Some(Field::ClientId));
    assert!(matches!(a.signin, SignInState::Idle));
}

#[test]
fn device_sign_in_prompt_then_tokens_then_the_test() {
    let mut a = outlook(Lang::En);
    type_text(&mut a, "my-client-id");
    press(&mut a, KeyCode::Tab);
    type_text(&mut a, SECRET);
    let (id, effect) = start(&mut a, Field::SignInDevice);
    match effect {
        Effect::SignIn {
            account,
            client_secret,
            flow,
            ..
        } => {
            let oauth2 = account.oauth2_settings();
            assert_eq!(flow, SignInFlow::Device);
            assert_eq!(account.name, "alice@outlook.com");
            assert_eq!(account.incoming.auth, AuthMethod::Oauth2);
            assert_eq!(oauth2.client_id, "my-client-id");
            // The preset's endpoints are not repeated in the settings.
            assert_eq!(oauth2.token_url, None);
            assert_eq!(client_secret.unwrap().expose(), SECRET);
        }
        _ => unreachable!(),
    }
    assert!(a.busy());
    // Keys wait while it runs (Esc excepted).
    assert!(press(&mut a, KeyCode::Tab).is_empty());
    update(
        &mut a,
        Msg::SignInPrompt {
            id,
            prompt: device_prompt(),
        },
    );
    assert!(matches!(&a.signin, SignInState::Waiting { id: w, .. } if *w == id));
    assert!(a.pending.contains_key(&id), "the prompt is not the end");
    let effects = update(
        &mut a,
        Msg::SignedIn {
            id,
            result: Ok(tokens()),
        },
    );
    assert_eq!(a.step, Step::Test);
    // Nothing is stored yet: the secret and tokens wait for the save.
    assert!(!a.form.oauth.secret_stored);
    // The test logs in with the token held in memory.
    match effects.as_slice() {
        [
            Effect::CheckIncoming {
                password: Some(incoming),
                account,
                ..
            },
            Effect::CheckSmtp {
                password: Some(smtp),
                ..
            },
        ] => {
            let oauth2 = account.oauth2_settings();
            assert_eq!(incoming.expose(), ACCESS);
            assert_eq!(smtp.expose(), ACCESS);
            assert_eq!(oauth2.client_id, "my-client-id");
            assert!(oauth2.client_secret_in_keyring);
            assert_eq!(account.incoming.auth, AuthMethod::Oauth2);
        }
        other => panic!("{other:?}"),
    }
    // Back on the step: signed in, Enter goes on to the test.
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.step, Step::Password);
    assert!(matches!(a.signin, SignInState::Done));
    focus(&mut a, Field::ClientId);
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.step, Step::Test);
}

#[test]
fn esc_cancels_and_late_results_are_dropped() {
    let mut a = outlook(Lang::En);
    type_text(&mut a, "my-client-id");
    let (first, _) = start(&mut a, Field::SignInBrowser);
    update(
        &mut a,
        Msg::SignInPrompt {
            id: first,
            prompt: browser_prompt(),
        },
    );
    let effects = press(&mut a, KeyCode::Esc);
    assert!(matches!(effects.as_slice(), [Effect::Cancel(x)] if *x == first));
    assert!(matches!(a.signin, SignInState::Cancelled));
    assert!(!a.busy());
    assert_eq!(a.step, Step::Password, "Esc stops, it does not leave");
    // The cancelled flow's late answers change nothing.
    update(
        &mut a,
        Msg::SignedIn {
            id: first,
            result: Err(OauthError::Cancelled),
        },
    );
    assert!(matches!(a.signin, SignInState::Cancelled));
    // A new sign-in; the old one's stale prompt and success are dropped.
    let (second, _) = start(&mut a, Field::SignInDevice);
    assert_ne!(first, second);
    update(
        &mut a,
        Msg::SignInPrompt {
            id: first,
            prompt: browser_prompt(),
        },
    );
    assert!(matches!(a.signin, SignInState::Starting { id, .. } if id == second));
    update(
        &mut a,
        Msg::SignedIn {
            id: first,
            result: Ok(tokens()),
        },
    );
    assert_eq!(a.step, Step::Password);
    // The code expired: said plainly, the step ready to start again.
    update(
        &mut a,
        Msg::SignedIn {
            id: second,
            result: Err(OauthError::Expired),
        },
    );
    assert!(matches!(a.signin, SignInState::Failed(OauthError::Expired)));
    assert!(!a.busy());
    let (third, _) = start(&mut a, Field::SignInDevice);
    assert!(third > second);
    // With nothing running, Esc goes back a step.
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.step, Step::Outgoing);
}

#[test]
fn the_saved_account_has_its_settings_never_the_secret() {
    let mut a = outlook(Lang::En);
    type_text(&mut a, "my-client-id");
    press(&mut a, KeyCode::Tab);
    type_text(&mut a, SECRET);
    let (id, _) = start(&mut a, Field::SignInBrowser);
    update(
        &mut a,
        Msg::SignedIn {
            id,
            result: Ok(tokens()),
        },
    );
    press(&mut a, KeyCode::Esc); // stop the checks
    press(&mut a, KeyCode::Enter); // Test → "go on anyway?" (they did not run)
    press(&mut a, KeyCode::Char('y'));
    assert_eq!(a.step, Step::Send);
    let effects = press(&mut a, KeyCode::Char('n'));
    assert_eq!(a.step, Step::Summary);
    match effects.as_slice() {
        [
            Effect::SaveAccount {
                account, secrets, ..
            },
        ] => {
            assert_eq!(account.incoming.auth, AuthMethod::Oauth2);
            let s = account.oauth2.as_ref().expect("OAuth2 settings saved");
            assert_eq!(s.client_id, "my-client-id");
            assert!(s.client_secret_in_keyring);
            assert!(!format!("{s:?}").contains(SECRET));
            // The sign-in's tokens and the typed secret go with the save.
            let t = secrets.oauth_tokens.as_ref().expect("tokens saved");
            assert_eq!(t.access_token.expose(), ACCESS);
            let cs = secrets.oauth_client_secret.as_ref().expect("secret saved");
            assert_eq!(cs.expose(), SECRET);
            assert!(!format!("{secrets:?}").contains(ACCESS));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_edited_account_keeps_its_sign_in() {
    let mut cfg = Config::default();
    let mut a = app(Lang::En);
    to_password(&mut a, "alice@outlook.com");
    let mut account = a.form.account();
    account.oauth2 = Some(mailwiz::account::OAuth2Settings {
        client_id: "saved-id".into(),
        ..Default::default()
    });
    cfg.upsert(account.clone());
    let mut a = App::new(AppOptions::new(
        PathBuf::from("/x/accounts.toml"),
        Lang::En,
        Ok(cfg),
    ));
    // C: check the saved account: the runner gets its settings.
    match press(&mut a, KeyCode::Char('c')).as_slice() {
        [
            Effect::CheckIncoming { account, .. },
            Effect::CheckSmtp { .. },
        ] => {
            assert_eq!(account.oauth2_settings().client_id, "saved-id");
        }
        other => panic!("{other:?}"),
    }
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Esc);
    // E: edit; at the Sign-in step Enter keeps the sign-in.
    press(&mut a, KeyCode::Char('e'));
    for _ in 0..5 {
        press(&mut a, KeyCode::Enter);
    }
    assert_eq!(a.step, Step::Password);
    assert_eq!(a.form.oauth.client_id.value(), "saved-id");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.step, Step::Test);
}

// ---------------------------------------------------------------- rendering

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(&format!("{line:?}\n"));
    }
    out
}

fn states(lang: Lang) -> Vec<(&'static str, App)> {
    let with = |f: &dyn Fn(&mut App)| {
        let mut a = outlook(lang);
        type_text(&mut a, "my-client-id");
        f(&mut a);
        a
    };
    let prompt = |button: Field, p: SignInPrompt| {
        with(&move |a| {
            let (id, _) = start(a, button);
            update(
                a,
                Msg::SignInPrompt {
                    id,
                    prompt: p.clone(),
                },
            );
        })
    };
    let mut manual = app(lang);
    to_password(&mut manual, "alice@example.test");
    focus(&mut manual, Field::AuthMethod);
    press(&mut manual, KeyCode::Right);
    let mut gmail = app(lang);
    to_password(&mut gmail, "alice@gmail.com");
    focus(&mut gmail, Field::AuthMethod);
    press(&mut gmail, KeyCode::Right);
    vec![
        ("signin", with(&|_| {})),
        ("signin_gmail", gmail),
        ("signin_manual", manual),
        (
            "signin_device",
            prompt(Field::SignInDevice, device_prompt()),
        ),
        (
            "signin_browser",
            prompt(Field::SignInBrowser, browser_prompt()),
        ),
        (
            "signin_expired",
            with(&|a| {
                let (id, _) = start(a, Field::SignInDevice);
                update(
                    a,
                    Msg::SignedIn {
                        id,
                        result: Err(OauthError::Expired),
                    },
                );
            }),
        ),
    ]
}

#[test]
fn snapshots_in_both_languages() {
    for lang in Lang::ALL {
        for (name, app) in states(lang) {
            let shown = screen(&app, 80, 24);
            assert!(
                !shown.contains("tui."),
                "a key is shown in {name}:\n{shown}"
            );
            insta::assert_snapshot!(format!("{name}_{}", lang.code()), shown);
        }
    }
}

#[test]
fn small_and_large_sizes_draw() {
    for lang in Lang::ALL {
        for (_, app) in states(lang) {
            for (w, h) in [(60, 18), (100, 30), (200, 60), (20, 5), (1, 1)] {
                screen(&app, w, h);
            }
        }
    }
}

#[test]
fn the_secret_is_masked() {
    let mut a = outlook(Lang::En);
    press(&mut a, KeyCode::Tab);
    type_text(&mut a, SECRET);
    let shown = screen(&a, 80, 24);
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains("•••"), "{shown}");
}

/// The device prompt of `uri` at 80×24, as the user sees it.
fn device_at_80x24(lang: Lang, uri: &str) -> Terminal<TestBackend> {
    let mut a = outlook(lang);
    type_text(&mut a, "my-client-id");
    let (id, _) = start(&mut a, Field::SignInDevice);
    let prompt = SignInPrompt::Device {
        uri: uri.into(),
        code: "ABCD-EFGH".into(),
        complete: None,
        minutes: 15,
    };
    update(&mut a, Msg::SignInPrompt { id, prompt });
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| render(&a, f)).unwrap();
    t
}

/// The QR code's modules read back from the screen (true = light): the
/// cells drawn white on black, two modules per cell, top then bottom.
fn qr_modules(t: &Terminal<TestBackend>) -> Vec<Vec<bool>> {
    use ratatui::style::Color;
    let buf = t.backend().buffer();
    let mut rows = Vec::new();
    for y in 0..buf.area.height {
        let cells: Vec<_> = (0..buf.area.width)
            .map(|x| &buf[(x, y)])
            .filter(|c| c.bg == Color::Black)
            .collect();
        if cells.is_empty() {
            continue;
        }
        for c in &cells {
            assert_eq!(c.fg, Color::White, "light modules drawn explicitly");
        }
        let half = |top: bool| -> Vec<bool> {
            cells
                .iter()
                .map(|c| match c.symbol() {
                    "█" => true,
                    "▀" => top,
                    "▄" => !top,
                    " " => false,
                    other => panic!("not a half block: {other:?}"),
                })
                .collect()
        };
        rows.push(half(true));
        rows.push(half(false));
    }
    rows
}

/// A greyscale PGM of the modules, 8 pixels each, inside a dark border
/// (a dark terminal's background around the drawn quiet zone).
fn pgm(modules: &[Vec<bool>], path: &std::path::Path) {
    const SCALE: usize = 8;
    const BORDER: usize = 4;
    let (w, h) = (modules[0].len(), modules.len());
    let (pw, ph) = ((w + 2 * BORDER) * SCALE, (h + 2 * BORDER) * SCALE);
    let mut data = format!("P5\n{pw} {ph}\n255\n").into_bytes();
    for py in 0..ph {
        for px in 0..pw {
            let (x, y) = (px / SCALE, py / SCALE);
            let light = (BORDER..w + BORDER).contains(&x)
                && (BORDER..h + BORDER).contains(&y)
                && modules[y - BORDER][x - BORDER];
            data.push(if light { 255 } else { 0 });
        }
    }
    std::fs::write(path, data).unwrap();
}

fn zbarimg(path: &std::path::Path) -> String {
    let out = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(path)
        .output()
        .expect("zbarimg runs (apt install zbar-tools, or scripts/install-test-deps.sh)");
    assert!(
        out.status.success(),
        "zbarimg found no code: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

#[test]
fn the_device_qr_code_fits_80x24_and_reads_back_as_the_address() {
    let dir = tempfile::tempdir().unwrap();
    for lang in Lang::ALL {
        for uri in [
            "https://microsoft.com/devicelogin",
            "https://www.google.com/device",
        ] {
            let t = device_at_80x24(lang, uri);
            let modules = qr_modules(&t);
            assert!(!modules.is_empty(), "no QR code at 80×24 for {uri}");
            // A light quiet zone of at least one module all around.
            let last = modules.len() - 1;
            assert!(modules[0].iter().all(|&m| m), "top quiet zone");
            assert!(modules.iter().all(|r| r[0] && r[r.len() - 1]), "sides");
            // The last row may be the half row under an odd-sized code.
            assert!(
                modules[last].iter().all(|&m| m) || modules[last - 1].iter().all(|&m| m),
                "bottom quiet zone"
            );
            let image = dir.path().join("qr.pgm");
            pgm(&modules, &image);
            assert_eq!(zbarimg(&image), uri, "{lang:?}");
        }
    }
}
