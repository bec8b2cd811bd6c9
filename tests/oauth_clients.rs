#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 15 §1: client ids provided, not typed. The three sources and
//! their precedence through the real binary (`oauth-clients`, `add`,
//! `show --json`), a hostile file (its line named, control characters
//! refused), and the wizard's Sign-in step with a provided client: no
//! client-id field, one key starts the sign-in, and the word "client id"
//! is never on screen; without one, the step says so and offers the ways
//! that need no registration first.

mod common;

use common::mailwiz;
use crossterm::event::KeyCode;
use mailwiz::config::Config;
use mailwiz::i18n::Lang;
use mailwiz::oauth::{ClientFiles, brokers, clients};
use mailwiz::tui::{App, AppOptions, Effect, Field, SignInFlow, Step, key, render, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use std::process::Output;
use std::sync::OnceLock;

const SYSTEM: &str = "[outlook]\nclient_id = \"system-outlook-id\"\ntenant = \"consumers\"\n\
                      [gmail]\nclient_id = \"system-gmail-id\"\n";
const USER: &str =
    "# mine\n[gmail]\nclient_id = \"user-gmail-id\"\nclient_secret = \"user-s3cret\"\n";

/// A user folder (config + user file) and a system folder.
struct Dirs {
    _tmp: tempfile::TempDir,
    config: PathBuf,
    system: PathBuf,
}

fn dirs(user: Option<&str>, system: Option<&str>) -> Dirs {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("user/accounts.toml");
    let system_dir = tmp.path().join("etc");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::create_dir_all(&system_dir).unwrap();
    if let Some(u) = user {
        std::fs::write(config.with_file_name("oauth-clients.toml"), u).unwrap();
    }
    if let Some(s) = system {
        std::fs::write(system_dir.join("oauth-clients.toml"), s).unwrap();
    }
    Dirs {
        _tmp: tmp,
        config,
        system: system_dir,
    }
}

fn run(d: &Dirs, lang: &str, args: &[&str]) -> Output {
    mailwiz(&d.config)
        .env("MAILWIZ_SYSTEM_CONFIG_DIR", &d.system)
        .args(["--lang", lang])
        .args(args)
        .output()
        .unwrap()
}

fn listing(d: &Dirs) -> serde_json::Value {
    let out = run(d, "en", &["oauth-clients", "--json"]);
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn row<'a>(v: &'a serde_json::Value, provider: &str) -> &'a serde_json::Value {
    v["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["provider"] == provider)
        .unwrap()
}

#[test]
fn the_user_file_wins_over_the_system_file_which_wins_over_none() {
    let d = dirs(Some(USER), Some(SYSTEM));
    let v = listing(&d);
    assert_eq!(row(&v, "gmail")["client_id"], "user-gmail-id");
    assert_eq!(row(&v, "gmail")["client_id_source"], "user-file");
    assert_eq!(row(&v, "gmail")["shadowed"][0], "system-file");
    assert_eq!(row(&v, "gmail")["has_client_secret"], true);
    assert_eq!(row(&v, "outlook")["client_id"], "system-outlook-id");
    assert_eq!(row(&v, "outlook")["client_id_source"], "system-file");
    assert_eq!(row(&v, "outlook")["tenant"], "consumers");
    assert_eq!(row(&v, "yahoo")["client_id"], serde_json::Value::Null);
    let text = String::from_utf8_lossy(&run(&d, "en", &["oauth-clients"]).stdout).into_owned();
    assert!(!text.contains("user-s3cret"), "{text}");
    assert!(
        text.contains("gmail: client id user-gmail-id (from your file)"),
        "{text}"
    );
    let fr = String::from_utf8_lossy(&run(&d, "fr", &["oauth-clients"]).stdout).into_owned();
    assert!(
        fr.contains("outlook\u{a0}: identifiant client system-outlook-id (du fichier du système)"),
        "{fr}"
    );
    // Without the user file, the system's; without either, none.
    let d = dirs(None, Some(SYSTEM));
    assert_eq!(
        row(&listing(&d), "gmail")["client_id_source"],
        "system-file"
    );
    let d = dirs(None, None);
    assert_eq!(
        row(&listing(&d), "gmail")["client_id_source"],
        serde_json::Value::Null
    );
}

#[test]
fn add_takes_the_provided_client_and_show_names_its_source() {
    let d = dirs(None, Some(SYSTEM));
    let out = run(
        &d,
        "en",
        &["add", "--email", "bob@outlook.com", "--auth", "oauth2"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&d, "en", &["show", "bob@outlook.com", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["oauth2"]["client_id_source"], "system-file", "{v}");
    // The file's value is looked up at use, not copied into the account.
    let cfg = std::fs::read_to_string(&d.config).unwrap();
    assert!(!cfg.contains("system-outlook-id"), "{cfg}");
    // An account's own id wins.
    let out = run(
        &d,
        "en",
        &[
            "add",
            "--email",
            "carol@outlook.com",
            "--auth",
            "oauth2",
            "--oauth-client-id",
            "own",
        ],
    );
    assert!(out.status.success());
    let out = run(&d, "en", &["show", "carol@outlook.com", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["oauth2"]["client_id_source"], "account");
    // Nothing provided: the client id is asked for, as before.
    let d = dirs(None, None);
    let out = run(
        &d,
        "en",
        &["add", "--email", "bob@outlook.com", "--auth", "oauth2"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_hostile_file_is_named_with_its_line_and_never_used() {
    let d = dirs(
        Some("[gmail]\nclient_id = \"ok\"\n\n[outlook\n"),
        Some("[outlook]\nclient_id = \"a\\u001b]0;pwned\\u0007b\"\n[gmail]\nclient_id = \"sys\"\n"),
    );
    for (lang, want) in [
        ("en", "oauth-clients.toml, line 4: this is not valid TOML"),
        (
            "fr",
            "oauth-clients.toml, ligne 4\u{a0}: ce n’est pas du TOML valide",
        ),
    ] {
        let out = run(&d, lang, &["oauth-clients"]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains(want), "{err}");
        assert!(
            err.contains(if lang == "en" {
                "line 2: the value of outlook.client_id"
            } else {
                "ligne 2\u{a0}: la valeur de outlook.client_id"
            }),
            "{err}"
        );
        let all = format!("{err}{}", String::from_utf8_lossy(&out.stdout));
        assert!(!all.contains('\u{1b}') && !all.contains("pwned"), "{all}");
    }
    let v = listing(&d);
    // The broken user file gives nothing; the system file's good entry is used.
    assert_eq!(row(&v, "gmail")["client_id"], "sys");
    assert_eq!(row(&v, "outlook")["client_id"], serde_json::Value::Null);
    // A file over the bound is refused, not read.
    let big = format!("[gmail]\nclient_id = \"big\"\n{}", "#".repeat(70 * 1024));
    let d = dirs(Some(&big), None);
    let out = run(&d, "en", &["oauth-clients"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is larger than 65536 bytes"));
}

// --- The wizard, in this process: the system file installed once. ---

fn install() {
    static DIRS: OnceLock<Dirs> = OnceLock::new();
    let d = DIRS.get_or_init(|| dirs(None, Some(SYSTEM)));
    clients::install(&ClientFiles::new(&d.config, Some(d.system.clone())));
    // As over SSH: no browser here.
    mailwiz::oauth::set_browser_available(false);
    // oama is installed here.
    brokers::install(vec![brokers::Broker {
        kind: brokers::BrokerKind::Oama,
        path: PathBuf::from("/usr/local/bin/oama"),
    }]);
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, key(code))
}

fn wizard_at_sign_in(email: &str, lang: Lang) -> App {
    install();
    let mut a = App::new(AppOptions::new(
        PathBuf::from("/home/bob/.config/mailwiz/accounts.toml"),
        lang,
        Ok(Config::default()),
    ));
    press(&mut a, KeyCode::Enter);
    for c in "Bob".chars() {
        press(&mut a, KeyCode::Char(c));
    }
    press(&mut a, KeyCode::Tab);
    for c in email.chars() {
        press(&mut a, KeyCode::Char(c));
    }
    for _ in 0..5 {
        press(&mut a, KeyCode::Enter);
    }
    assert_eq!(a.step, Step::Password);
    a
}

fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| render(app, f)).unwrap();
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[test]
fn with_a_provided_client_the_wizard_asks_for_nothing() {
    for lang in [Lang::En, Lang::Fr] {
        let mut a = wizard_at_sign_in("bob@outlook.com", lang);
        assert!(!a.fields().contains(&Field::ClientId), "{:?}", a.fields());
        assert!(!a.fields().contains(&Field::ClientSecret));
        let s = screen(&a);
        for word in ["client id", "Client id", "ID client", "identifiant client"] {
            assert!(!s.contains(word), "{word:?} shown:\n{s}");
        }
        // One key starts the sign-in, with the provided client.
        let effects = press(&mut a, KeyCode::Enter);
        match effects.as_slice() {
            [Effect::SignIn { account, flow, .. }] => {
                assert_eq!(account.oauth2_settings().client_id, "");
                // No browser here: the code sign-in is the default.
                assert_eq!(*flow, SignInFlow::Device);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn without_one_the_step_says_so_and_offers_brokers_first() {
    let mut a = wizard_at_sign_in("bob@yahoo.com", Lang::En);
    // Yahoo takes passwords too: choose OAuth2.
    choose_oauth2(&mut a);
    let s = screen(&a);
    let none = s.find("no app registration for Yahoo").expect(&s);
    let broker = s.find("oama, pizauth").expect(&s);
    let register = s.find("register your own app").expect(&s);
    assert!(none < broker && broker < register, "{s}");
}

/// Choose OAuth2 on the password step of a provider that takes both.
fn choose_oauth2(a: &mut App) {
    while a.focused() != Some(Field::AuthMethod) {
        press(a, KeyCode::Tab);
    }
    press(a, KeyCode::Right);
    assert!(a.fields().contains(&Field::ClientId), "{:?}", a.fields());
}

#[test]
fn a_broker_found_here_is_one_key_away() {
    let mut a = wizard_at_sign_in("bob@yahoo.com", Lang::En);
    choose_oauth2(&mut a);
    let s = screen(&a);
    assert!(s.contains("oama is installed here: press B"), "{s}");
    assert!(s.contains("access bob@yahoo.com)"), "{s}");
    let effects = press(&mut a, KeyCode::Char('b'));
    assert_eq!(a.step, Step::Test);
    match effects.as_slice() {
        [
            Effect::CheckIncoming {
                account, password, ..
            },
            Effect::CheckSmtp { .. },
        ] => {
            assert_eq!(
                account.oauth2_settings().token_command.as_deref(),
                Some("oama access bob@yahoo.com")
            );
            assert!(password.is_none(), "the runner asks the broker");
        }
        other => panic!("{other:?}"),
    }
    // A provided client wins: no broker offered for Outlook here.
    let a = wizard_at_sign_in("bob@outlook.com", Lang::Fr);
    assert!(!screen(&a).contains("oama"));
}

#[test]
fn a_refused_sign_in_shows_its_finding_and_fix_in_the_wizard() {
    use mailwiz::oauth::{IdpFinding, OauthError};
    for (lang, title, fix) in [
        (
            Lang::En,
            "requires an administrator",
            "https://idp.test/common/adminconsent",
        ),
        (
            Lang::Fr,
            "exige qu’un administrateur",
            "https://idp.test/common/adminconsent",
        ),
    ] {
        let mut a = wizard_at_sign_in("bob@outlook.com", lang);
        let id = match press(&mut a, KeyCode::Enter).as_slice() {
            [Effect::SignIn { id, .. }] => *id,
            other => panic!("{other:?}"),
        };
        let error = OauthError::Refused {
            finding: IdpFinding::AdminConsentRequired,
            error: "invalid_grant".into(),
            description: "AADSTS65001: consent".into(),
            consent_url: Some("https://idp.test/common/adminconsent?client_id=x".into()),
        };
        update(
            &mut a,
            mailwiz::tui::Msg::SignedIn {
                id,
                result: Err(error),
            },
        );
        let s = screen(&a).replace('\n', " ");
        let flat: String = s
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("│ ", "")
            .replace(" │", "");
        assert!(flat.contains(title), "{s}");
        assert!(flat.contains(fix), "{s}");
    }
}
