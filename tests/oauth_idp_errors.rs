#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 15 §3: why a sign-in fails, said with a fix, in English and
//! French. The test IdP (tests/harness/idp.py) refuses each "refusal mode"
//! client id the way the real provider does (Microsoft's AADSTS codes,
//! Google's `invalid_grant` at 7 days for a "Testing" client, …); the real
//! binary signs in (`login --device`) or refreshes (`check`) and must name
//! the finding; `doctor` then reports the last refusal, never a token.

mod common;

use common::oauth::{OauthEnv, oauthenv};
use common::{KeyringSession, MailEnv, mailwiz};
use std::path::PathBuf;
use std::process::Output;

struct Machine {
    _dir: tempfile::TempDir,
    config: PathBuf,
    keyring: KeyringSession,
}

fn machine() -> Machine {
    let dir = tempfile::Builder::new()
        .prefix("mwie")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    Machine {
        config: home.join(".config/mailwiz/accounts.toml"),
        _dir: dir,
        keyring,
    }
}

fn run(m: &Machine, lang: &str, args: &[&str]) -> Output {
    let mut cmd = mailwiz(&m.config);
    m.keyring.apply(&mut cmd);
    cmd.args(["--lang", lang]).args(args).output().unwrap()
}

/// An account on the OAuth harness signing in with `client_id`, with
/// Microsoft-shaped addresses (`…/common/oauth2/v2.0/token`).
fn add(m: &Machine, env: &MailEnv, oauth: &OauthEnv, email: &str, client_id: &str, extra: &[&str]) {
    let idp = oauth.idp();
    let ca = env.ca.display().to_string();
    let args = [
        "add",
        "--email",
        email,
        "--incoming",
        "imap",
        "--in-host",
        "127.0.0.1",
        "--in-port",
        &oauth.vars["OAUTHENV_IMAPS_PORT"],
        "--in-security",
        "tls",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &oauth.vars["OAUTHENV_SMTPS_PORT"],
        "--smtp-security",
        "tls",
        "--ca-file",
        &ca,
        "--auth",
        "oauth2",
        "--oauth-client-id",
        client_id,
        "--oauth-auth-url",
        &format!("{idp}/authorize"),
        "--oauth-token-url",
        &format!("{idp}/common/oauth2/v2.0/token"),
        "--oauth-device-url",
        &format!("{idp}/common/oauth2/v2.0/devicecode"),
        "--oauth-scope",
        "mail offline_access",
    ];
    let out = run(m, "en", &[&args[..], extra].concat());
    assert!(
        out.status.success(),
        "add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// (client id, English words, French words) of each sign-in refusal.
const MODES: [(&str, &str, &str); 9] = [
    (
        "aad-personal",
        "does not accept this kind of account",
        "n’accepte pas ce type de compte",
    ),
    (
        "aad-single-tenant",
        "does not accept this kind of account",
        "n’accepte pas ce type de compte",
    ),
    (
        "aad-consent",
        "requires an administrator to approve",
        "exige qu’un administrateur approuve",
    ),
    (
        "aad-admin-only",
        "requires an administrator to approve",
        "exige qu’un administrateur approuve",
    ),
    (
        "aad-unknown",
        "does not know this client id",
        "ne connaît pas cet identifiant client",
    ),
    (
        "aad-public-off",
        "\"Allow public client flows\" is off",
        "«\u{a0}Autoriser les flux de clients publics\u{a0}» est désactivé",
    ),
    (
        "bad-client",
        "refused the client registration",
        "a refusé l’enregistrement du client",
    ),
    (
        "not-authorized",
        "not allowed to use this kind of sign-in",
        "n’est pas autorisé à utiliser ce type de connexion",
    ),
    (
        "redirect-mismatch",
        "does not accept mailwiz's return address",
        "n’accepte pas l’adresse de retour de mailwiz",
    ),
];

#[test]
fn each_refusal_of_a_sign_in_is_explained_in_both_languages() {
    let (env, oauth) = oauthenv();
    let m = machine();
    for (client_id, en, fr) in MODES {
        let email = format!("{client_id}@example.test");
        add(&m, env, oauth, &email, client_id, &[]);
        // Without a display (the keyring session removes it), the code
        // sign-in is the default: no --device needed.
        for (lang, words, flag) in [("en", en, "--timeout"), ("fr", fr, "--device")] {
            let args = ["login", &email, flag, "20"];
            let args = if flag == "--device" {
                vec!["login", &email, "--device"]
            } else {
                args.to_vec()
            };
            let out = run(&m, lang, &args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{client_id} {lang}: {err}");
            assert!(err.contains(words), "{client_id} {lang}: {err}");
        }
    }
    // The admin-consent address to hand to an administrator.
    let consent = format!("{}/common/adminconsent?client_id=aad-consent", oauth.idp());
    let out = run(&m, "en", &["login", "aad-consent@example.test", "--device"]);
    assert!(stderr(&out).contains(&consent), "{}", stderr(&out));
    // A refused consent (access_denied), through the browser's redirect.
    let email = "refused-consent@example.test";
    add(&m, env, oauth, email, "refused-consent", &[]);
    for (lang, words) in [
        ("en", "accept the requested access"),
        ("fr", "acceptez l’accès demandé"),
    ] {
        let err = browser_login(&m, lang, email);
        assert!(err.contains(words), "{lang}: {err}");
    }
}

/// `login --no-browser`, the address it prints opened by a "browser" that
/// follows the IdP's redirect back to mailwiz; its stderr.
fn browser_login(m: &Machine, lang: &str, email: &str) -> String {
    use std::io::{BufRead, BufReader, Read};
    let mut cmd = mailwiz(&m.config);
    m.keyring.apply(&mut cmd);
    let mut child = cmd
        .args([
            "--lang",
            lang,
            "login",
            email,
            "--no-browser",
            "--timeout",
            "20",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    assert!(url.contains("/authorize?"), "{url}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into();
    let _ = agent.get(url.trim()).call();
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    err
}

/// The last refusal is what `doctor` reports, with its fix; never a token.
#[test]
fn doctor_reports_the_last_refusal() {
    let (env, oauth) = oauthenv();
    let m = machine();
    let email = "aad-consent@example.test";
    add(&m, env, oauth, email, "aad-consent", &[]);
    let out = run(&m, "en", &["login", email, "--device"]);
    assert_eq!(out.status.code(), Some(1));
    for (lang, words) in [
        ("en", "requires an administrator"),
        ("fr", "exige qu’un administrateur"),
    ] {
        let out = run(&m, lang, &["doctor", email, "--json", "--timeout", "10"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let first = &v["findings"][0];
        assert!(
            first["evidence"]
                .as_str()
                .unwrap()
                .starts_with("admin_consent_required:"),
            "{first}"
        );
        assert!(first["title"].as_str().unwrap().contains(words), "{first}");
        assert!(
            first["fix"]
                .as_str()
                .unwrap()
                .contains("/common/adminconsent?client_id=aad-consent"),
            "{first}"
        );
    }
}

fn store_tokens(m: &Machine, email: &str, signed_in_secs_ago: u64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let json = format!(
        r#"{{"access_token":"at-old","refresh_token":"rt-7d-old","expires_at":1,"signed_in_at":{}}}"#,
        now - signed_in_secs_ago
    );
    let entry = format!("oauth:{email}");
    m.keyring.secret_tool_store(
        "tokens",
        &[("service", "mailwiz"), ("username", &entry)],
        &json,
    );
}

/// Google, consent screen in "Testing": the refresh token dies at 7 days.
#[test]
fn a_refresh_refused_at_seven_days_names_the_testing_consent_screen() {
    let (env, oauth) = oauthenv();
    let m = machine();
    let email = "testing-7d@gmail.com";
    add(
        &m,
        env,
        oauth,
        email,
        "testing-7d",
        &["--provider", "gmail"],
    );
    for (lang, words) in [
        ("en", "still in \"Testing\""),
        ("fr", "encore en «\u{a0}Test\u{a0}»"),
    ] {
        store_tokens(&m, email, 7 * 86400 + 120);
        let out = run(&m, lang, &["check", email]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{lang}: {err}");
        assert!(err.contains(words), "{lang}: {err}");
        assert!(
            !err.contains("rt-7d-old") && !err.contains("at-old"),
            "{err}"
        );
    }
    let out = run(&m, "en", &["doctor", email, "--json", "--timeout", "10"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("testing_consent_expired:"), "{text}");
    assert!(!text.contains("rt-7d-old"), "{text}");
    // Two days after the sign-in, the same refusal is not blamed on "Testing".
    store_tokens(&m, email, 2 * 86400);
    let out = run(&m, "en", &["check", email]);
    assert!(!stderr(&out).contains("Testing"), "{}", stderr(&out));
}
