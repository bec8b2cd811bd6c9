#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! End to end: the real binary in tmux sets up an OAuth2 account against
//! the test IdP and the Dovecot instance that validates its tokens
//! (tests/harness/oauthenv.sh): the user picks OAuth2 at the password step,
//! types the client id and the IdP's addresses, signs in with a code (the
//! IdP's test hook approves it, as the user would on their phone), and the
//! Test step logs in to IMAP and SMTP with the access token; then a test
//! message is sent and the account saved. The tokens end up in the keyring
//! only, and only with the save: not on screen, not in any file, and an
//! abandoned sign-in leaves the keyring as it was (issue 11).

mod common;

use common::oauth::oauthenv;

use common::tmux::Tmux;
use common::{KeyringSession, MailEnv, mailwiz};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// mailwiz in a 100x30 terminal with the keyring's environment, the test
/// CA as the system roots, and discovery kept on loopback (port 9: nothing).
fn start(env: &MailEnv, keyring: &KeyringSession, config: &Path, lang: &str) -> Tmux {
    start_with(env, keyring, config, lang, &[])
}

fn start_with(
    env: &MailEnv,
    keyring: &KeyringSession,
    config: &Path,
    lang: &str,
    extra: &[(String, String)],
) -> Tmux {
    let mut cmd = Command::new("tmux");
    keyring.apply(&mut cmd);
    let vars = [
        ("SSL_CERT_FILE", env.ca.to_string_lossy().into_owned()),
        ("MAILWIZ_ISPDB_URL", "http://127.0.0.1:9/v1.1/".into()),
        ("MAILWIZ_DNS_SERVER", "127.0.0.1:9".into()),
        (
            "MAILWIZ_DISCOVER_SOURCES",
            "preset,ispdb,srv,mx,guess".into(),
        ),
    ]
    .map(|(k, v)| (k.to_string(), v));
    let vars: Vec<_> = vars.into_iter().chain(extra.iter().cloned()).collect();
    Tmux::launch(cmd, "signin", config, lang, &vars, (100, 30))
}

fn approve(idp: &str, user_code: &str, user: &str) {
    common::oauth::idp_post(
        idp,
        "/test/approve",
        &[("user_code", user_code), ("user", user)],
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// From the first screen to the device code of a sign-in for `address`
/// on the OAuth harness (the client id and the IdP's addresses typed).
fn walk_to_device_code(t: &mut Tmux, vars: &HashMap<String, String>, address: &str) -> String {
    let idp = &vars["OAUTHENV_IDP_URL"];
    t.wait_for("mailwiz");
    t.keys(&["Enter"]);
    t.wait_for("Who are you?");
    t.type_text("Alice Test");
    t.keys(&["Tab"]);
    t.type_text(address);
    t.keys(&["Enter"]);
    t.wait_for("These are guesses");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("Where your mail is fetched from");
    t.keys(&["C-u"]);
    t.type_text("127.0.0.1");
    t.keys(&["Tab", "C-u"]);
    t.type_text(&vars["OAUTHENV_IMAPS_PORT"]);
    t.keys(&["Enter"]);
    t.wait_for("The server that sends your mail");
    t.keys(&["C-u"]);
    t.type_text("127.0.0.1");
    t.keys(&["Tab", "C-u"]);
    t.type_text(&vars["OAUTHENV_SMTPS_PORT"]);
    t.keys(&["Enter"]);
    // Password step: Sign in with ◀ Password ▶ → OAuth2.
    t.wait_for("Show the password");
    t.keys(&["Tab", "Tab", "Right"]);
    t.wait_for("Client id");
    t.keys(&["Tab"]); // wraps to the client id
    t.type_text("mailwiz-test");
    t.keys(&["Tab", "Tab"]);
    t.type_text(&format!("{idp}/authorize"));
    t.keys(&["Tab"]);
    t.type_text(&format!("{idp}/token"));
    t.keys(&["Tab"]);
    t.type_text(&format!("{idp}/device"));
    t.keys(&["Tab"]);
    t.type_text("mail offline_access");
    // No display in tmux: the code sign-in comes first, right after.
    t.keys(&["Tab"]);
    t.wait_for("› [ Sign in with a code on another device ]");
    t.keys(&["Enter"]);
    let s = t.wait_for("and enter this code:");
    device_code(&s, &format!("{idp}/device"))
}

/// The code of a device prompt: the address alone on its line, then the
/// code alone on the line after "and enter this code:" (copyable).
fn device_code(screen: &str, uri: &str) -> String {
    let lines: Vec<&str> = screen.lines().map(str::trim_end).collect();
    assert!(
        lines.contains(&uri),
        "the address is not alone on a line:\n{screen}"
    );
    let at = lines
        .iter()
        .position(|l| *l == "and enter this code:")
        .expect("the code's label");
    let code = lines[at + 1].to_string();
    assert!(
        !code.is_empty() && !code.contains(' ') && !code.contains('│'),
        "{screen}"
    );
    code
}

/// The user approves the code on another device; the wizard polls, goes
/// on to the Test step, and both logins succeed with the new token.
fn approve_and_test(t: &mut Tmux, idp: &str, code: &str, user: &str) {
    std::thread::sleep(Duration::from_millis(1200));
    approve(idp, code, user);
    t.wait_until("two successful logins", Duration::from_secs(30), |s| {
        s.matches("It works.").count() >= 2
    });
}

/// Ctrl-C, confirmed: the wizard ends without saving.
fn abandon(t: &mut Tmux) {
    t.keys(&["C-c"]);
    t.wait_for("Quit anyway?");
    t.keys(&["C-c"]);
    std::thread::sleep(Duration::from_millis(500));
}

fn tokens_entry(keyring: &KeyringSession, address: &str) -> Option<String> {
    let entry = format!("oauth:{address}");
    keyring.secret_tool_lookup(&[("service", "mailwiz"), ("username", &entry)])
}

#[test]
fn wizard_signs_in_with_the_device_code_and_the_test_succeeds() {
    let (env, oauth) = oauthenv();
    let vars = &oauth.vars;
    let idp = vars["OAUTHENV_IDP_URL"].clone();
    let dir = tempfile::Builder::new()
        .prefix("mwsi")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let alice = env.user("alice");
    let mut t = start(env, &keyring, &config, "en");

    let code = walk_to_device_code(&mut t, vars, &alice);
    // A QR code of the address, for a phone, under the code.
    assert!(
        t.screens
            .iter()
            .any(|s| s.contains("Or scan this code with your phone:") && s.contains('▄')),
        "no QR code:\n{}",
        t.screens.last().unwrap()
    );
    approve_and_test(&mut t, &idp, &code, &alice);
    // Signed in and tested with the token in memory: nothing stored yet.
    assert_eq!(
        tokens_entry(&keyring, &alice),
        None,
        "stored before the save"
    );
    // A test message with the token, then the account is saved.
    t.keys(&["Enter"]);
    t.wait_for("Send test message");
    t.keys(&["s"]);
    t.wait_for("250 ");
    t.keys(&["Enter"]);
    t.wait_for("is saved");
    let s = t.screen();
    assert!(s.contains(&format!("oauth:{alice}")), "{s}");

    let cfg = std::fs::read_to_string(&config).expect("the config is written");
    assert!(cfg.contains("auth = \"oauth2\""), "{cfg}");
    assert!(cfg.contains("client_id = \"mailwiz-test\""), "{cfg}");
    assert!(cfg.contains(&format!("{idp}/token")), "{cfg}");
    let stored = tokens_entry(&keyring, &alice).expect("the tokens are in the keyring");
    let tokens: serde_json::Value = serde_json::from_str(&stored).unwrap();
    for key in ["access_token", "refresh_token"] {
        let v = tokens[key].as_str().expect(key);
        for s in &t.screens {
            assert!(!s.contains(v), "a token was on screen:\n{s}");
        }
        for f in walk(&home) {
            let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap_or_default()).into_owned();
            assert!(!text.contains(v), "a token is in {}", f.display());
        }
    }
}

/// Issue 11: a sign-in abandoned in the wizard for an address that
/// already has an account leaves that account's tokens as they were; one
/// for a new address leaves no entry.
#[test]
fn an_abandoned_sign_in_leaves_the_keyring_as_it_was() {
    let (env, oauth) = oauthenv();
    let vars = &oauth.vars;
    let idp = vars["OAUTHENV_IDP_URL"].clone();
    let dir = tempfile::Builder::new()
        .prefix("mwsa")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let alice = env.user("alice");
    let bob = env.user("bob");
    // Alice's saved account, with its tokens in the keyring.
    let out = keyring
        .apply(&mut mailwiz(&config))
        .args(["add", "--email", &alice, "--auth", "oauth2"])
        .args(["--incoming", "imap", "--in-host", "127.0.0.1"])
        .args(["--in-security", "tls", "--ca-file"])
        .arg(&env.ca)
        .args(["--in-port", &vars["OAUTHENV_IMAPS_PORT"]])
        .args(["--smtp-host", "127.0.0.1", "--smtp-security", "tls"])
        .args(["--smtp-port", &vars["OAUTHENV_SMTPS_PORT"]])
        .args(["--oauth-client-id", "mailwiz-test"])
        .args(["--oauth-auth-url", &format!("{idp}/authorize")])
        .args(["--oauth-token-url", &format!("{idp}/token")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved = r#"{"access_token":"saved-access","refresh_token":"saved-refresh"}"#;
    let entry = format!("oauth:{alice}");
    keyring.secret_tool_store(
        "saved tokens",
        &[("service", "mailwiz"), ("username", &entry)],
        saved,
    );

    // A second run for alice: signed in and tested, then abandoned.
    let mut t = start(env, &keyring, &config, "en");
    let code = walk_to_device_code(&mut t, vars, &alice);
    approve_and_test(&mut t, &idp, &code, &alice);
    abandon(&mut t);
    drop(t);
    assert_eq!(tokens_entry(&keyring, &alice).as_deref(), Some(saved));

    // A run for a new address, abandoned after the sign-in: no entry.
    let mut t = start(env, &keyring, &config, "en");
    let code = walk_to_device_code(&mut t, vars, &bob);
    approve_and_test(&mut t, &idp, &code, &bob);
    abandon(&mut t);
    drop(t);
    assert_eq!(tokens_entry(&keyring, &bob), None);
}

/// Issue 15's journey: the organisation's system file provides the client
/// id (and, here, the test IdP as its endpoints); bob@outlook.com signs in
/// with a device code, both logins succeed, a message is sent, the account
/// is saved, and no client-id field (nor the words) was ever shown.
#[test]
fn outlook_with_a_provided_client_id_never_asks_for_one() {
    let (env, oauth) = oauthenv();
    let vars = &oauth.vars;
    let idp = vars["OAUTHENV_IDP_URL"].clone();
    let dir = tempfile::Builder::new()
        .prefix("mwsp")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let etc = dir.path().join("etc-mailwiz");
    std::fs::create_dir_all(&etc).unwrap();
    std::fs::write(
        etc.join("oauth-clients.toml"),
        format!(
            "[outlook]\nclient_id = \"mailwiz-test\"\nauth_url = \"{idp}/authorize\"\n\
             token_url = \"{idp}/token\"\ndevice_url = \"{idp}/device\"\n"
        ),
    )
    .unwrap();
    let extra = [(
        "MAILWIZ_SYSTEM_CONFIG_DIR".to_string(),
        etc.display().to_string(),
    )];
    let bob = "bob@outlook.com";
    let login = env.user("bob");
    let mut t = start_with(env, &keyring, &config, "en", &extra);
    t.wait_for("mailwiz");
    t.keys(&["Enter"]);
    t.wait_for("Who are you?");
    t.type_text("Bob Test");
    t.keys(&["Tab"]);
    t.type_text(bob);
    t.keys(&["Enter"]);
    t.wait_for("mailwiz knows Outlook.com");
    t.keys(&["Enter", "Enter"]);
    // The harness's servers instead of Microsoft's, and its user name.
    t.wait_for("Where your mail is fetched from");
    t.keys(&["C-u"]);
    t.type_text("127.0.0.1");
    t.keys(&["Tab", "C-u"]);
    t.type_text(&vars["OAUTHENV_IMAPS_PORT"]);
    t.keys(&["Tab", "Tab", "C-u"]);
    t.type_text(&login);
    t.keys(&["Enter"]);
    t.wait_for("The server that sends your mail");
    t.keys(&["C-u"]);
    t.type_text("127.0.0.1");
    t.keys(&["Tab", "C-u"]);
    t.type_text(&vars["OAUTHENV_SMTP_PORT"]);
    t.keys(&["Enter"]);
    // Servers typed by hand: the method is offered; OAuth2 it is.
    t.wait_for("Show the password");
    t.keys(&["Tab", "Tab", "Right"]);
    // Sign in: nothing to type; no display here, so Enter shows a code.
    t.wait_for("Everything is ready to sign in to Outlook.com");
    t.keys(&["Enter", "Enter"]);
    let s = t.wait_for("and enter this code:");
    let code = device_code(&s, &format!("{idp}/device"));
    approve_and_test(&mut t, &idp, &code, &login);
    t.keys(&["Enter"]);
    t.wait_for("Send test message");
    t.keys(&["s"]);
    t.wait_for("250 ");
    t.keys(&["Enter"]);
    t.wait_for("is saved");
    for s in &t.screens {
        for word in ["Client id", "client id", "Client secret", "client ID"] {
            assert!(!s.contains(word), "{word:?} was shown:\n{s}");
        }
    }
    let cfg = std::fs::read_to_string(&config).unwrap();
    assert!(
        !cfg.contains("mailwiz-test"),
        "the provided id is not copied:\n{cfg}"
    );
    assert!(
        tokens_entry(&keyring, bob).is_some(),
        "the tokens are saved"
    );
}
