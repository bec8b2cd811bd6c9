#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 15 §2: a token broker as a first-class path. A fake `oama` on
//! PATH gets a real access token from the test IdP each time it runs (a
//! device sign-in approved through the IdP's test hook, as the real oama
//! would refresh one) and prints it; Dovecot's oauth2 passdb accepts it.
//! `oauth-clients` finds the broker, `add --oauth-broker oama` tests and
//! saves its command, `check` and `send-test --verify` log in with it, and
//! no token ever appears in an output or a file of the user's.

mod common;

use common::oauth::oauthenv;
use common::{KeyringSession, mailwiz};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A fake oama: `oama access EMAIL` prints a fresh token for EMAIL, and
/// appends it to `issued` (outside the user's HOME) so the test knows
/// which tokens to look for.
fn fake_oama(bin: &Path, idp: &str, issued: &Path) {
    std::fs::create_dir_all(bin).unwrap();
    let script = format!(
        r#"#!/bin/bash
set -eu
[ "$1" = access ] || exit 2
user="$2"
dev=$(curl -s -d client_id=oama-broker -d 'scope=mail offline_access' {idp}/device)
dc=$(printf '%s' "$dev" | python3 -c 'import json,sys; print(json.load(sys.stdin)["device_code"])')
uc=$(printf '%s' "$dev" | python3 -c 'import json,sys; print(json.load(sys.stdin)["user_code"])')
curl -s -d "user_code=$uc" -d "user=$user" {idp}/test/approve >/dev/null
tok=$(curl -s -d grant_type=urn:ietf:params:oauth:grant-type:device_code -d "device_code=$dc" \
      -d client_id=oama-broker {idp}/token \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
printf '%s\n' "$tok" >> {issued}
printf '%s\n' "$tok"
"#,
        issued = issued.display()
    );
    let p = bin.join("oama");
    std::fs::write(&p, script).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
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

#[test]
fn a_broker_on_path_signs_in_check_and_send_test() {
    let (env, oauth) = oauthenv();
    let dir = tempfile::Builder::new()
        .prefix("mwbr")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let bin = dir.path().join("bin");
    let issued = dir.path().join("issued");
    fake_oama(&bin, oauth.idp(), &issued);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let alice = env.user("alice");
    let outputs = std::cell::RefCell::new(Vec::<String>::new());
    let last = || outputs.borrow().last().cloned().unwrap_or_default();
    let run = |args: &[&str]| -> Output {
        let mut cmd = mailwiz(&config);
        keyring.apply(&mut cmd);
        let out = cmd.env("PATH", &path).args(args).output().unwrap();
        outputs.borrow_mut().push(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
        out
    };
    // Found, with how it would be used.
    let out = run(&["oauth-clients", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["brokers"][0]["broker"], "oama", "{v}");
    assert_eq!(
        v["brokers"][0]["recipe"]["command"], "oama access ADDRESS",
        "{v}"
    );
    // add: the broker's command is run once, then saved.
    let ca = env.ca.display().to_string();
    let out = run(&[
        "add",
        "--email",
        &alice,
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
        "--oauth-broker",
        "oama",
    ]);
    assert!(out.status.success(), "{}", last());
    let cfg = std::fs::read_to_string(&config).unwrap();
    assert!(
        cfg.contains(&format!("token_command = \"oama access {alice}\"")),
        "{cfg}"
    );
    // check and send-test --verify sign in with the broker's token.
    let out = run(&["check", &alice]);
    assert!(out.status.success(), "{}", last());
    let out = run(&["send-test", &alice, "--verify"]);
    assert!(out.status.success(), "{}", last());
    // The tokens it printed: in no output, no file of the user's.
    let tokens: Vec<String> = std::fs::read_to_string(&issued)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert!(tokens.len() >= 3, "{tokens:?}");
    for t in &tokens {
        assert!(t.starts_with("at-"), "{t}");
        for o in outputs.borrow().iter() {
            assert!(!o.contains(t.as_str()), "a token was printed:\n{o}");
        }
        for f in walk(&home) {
            let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap_or_default()).into_owned();
            assert!(!text.contains(t.as_str()), "a token is in {}", f.display());
        }
    }
    // A broker that prints nothing is refused at add, with the reason.
    std::fs::write(bin.join("oama"), "#!/bin/sh\nexit 1\n").unwrap();
    let bob = env.user("bob");
    let out = run(&[
        "add",
        "--email",
        &bob,
        "--in-host",
        "127.0.0.1",
        "--incoming",
        "imap",
        "--smtp-host",
        "127.0.0.1",
        "--auth",
        "oauth2",
        "--oauth-broker",
        "oama",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", last());
    assert!(last().contains("did not print a token"), "{}", last());
    // A local proxy is not a token command: its settings are said.
    let out = run(&[
        "add",
        "--email",
        &bob,
        "--in-host",
        "127.0.0.1",
        "--incoming",
        "imap",
        "--smtp-host",
        "127.0.0.1",
        "--auth",
        "oauth2",
        "--oauth-broker",
        "davmail",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(last().contains("--in-port 1143"), "{}", last());
}
