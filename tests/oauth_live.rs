#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! OAuth2 end to end on loopback: the test IdP (tests/harness/idp.py) and a
//! Dovecot instance whose `oauth2` passdb validates tokens against it
//! (tests/harness/oauthenv.sh), on top of the mail servers of mailenv.sh.
//! Both sign-in flows from the CLI, check and send-test with XOAUTH2,
//! OAUTHBEARER through the library, refresh on expiry and on refusal,
//! rotation, a revoked refresh token giving "sign in again", a wrong PKCE
//! verifier refused, and the tokens found only in the keyring.

mod common;

use common::oauth::{OauthEnv, agent, oauthenv};

use common::{KeyringSession, mailwiz};
use mailwiz::account::{IncomingServer, Protocol, Security, Trust};
use mailwiz::net::{Deadline, ImapSession, NetError, NoSteps, Pop3Session, TlsSetup};
use mailwiz::oauth::OauthMechanism;
use mailwiz::secret::Secret;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// POST a form to the IdP; the JSON answer.
fn idp_post(env: &OauthEnv, path: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let mut resp = agent()
        .post(format!("{}{path}", env.idp()))
        .send_form(form.iter().copied())
        .expect("IdP answers");
    let status = resp.status().as_u16();
    let body = resp.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&body).unwrap_or_default())
}

fn idp_stats(env: &OauthEnv) -> serde_json::Value {
    let mut resp = agent()
        .get(format!("{}/test/stats", env.idp()))
        .call()
        .unwrap();
    serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap()
}

/// One user's machine: a keyring, a config, every output kept.
struct Machine {
    _dir: tempfile::TempDir,
    config: PathBuf,
    keyring: KeyringSession,
    outputs: Vec<String>,
}

impl Machine {
    fn new() -> Machine {
        let dir = tempfile::Builder::new()
            .prefix("mwo")
            .tempdir_in("/tmp")
            .unwrap();
        let home = dir.path().join("home");
        let keyring = KeyringSession::start(&home);
        Machine {
            config: home.join(".config/mailwiz/accounts.toml"),
            keyring,
            outputs: Vec::new(),
            _dir: dir,
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = mailwiz(&self.config);
        self.keyring.apply(&mut cmd);
        cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd
    }

    fn run(&mut self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = self.command(args);
        if stdin.is_some() {
            cmd.stdin(Stdio::piped());
        }
        let mut child = cmd.spawn().expect("run mailwiz");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        self.keep(args, &out);
        out
    }

    fn keep(&mut self, args: &[&str], out: &Output) {
        self.outputs.push(format!(
            "$ mailwiz {}\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }

    fn last(&self) -> &str {
        self.outputs.last().map_or("", String::as_str)
    }

    /// The tokens in the keyring (`oauth:NAME`), as stored.
    fn tokens(&self, name: &str) -> Option<serde_json::Value> {
        let entry = format!("oauth:{name}");
        self.keyring
            .secret_tool_lookup(&[("service", "mailwiz"), ("username", &entry)])
            .map(|s| serde_json::from_str(&s).expect("tokens are JSON"))
    }

    /// No token value is in any output or in the config file.
    fn assert_nowhere(&self, secrets: &[String]) {
        let cfg = std::fs::read_to_string(&self.config).unwrap_or_default();
        for s in secrets.iter().filter(|s| s.len() > 8) {
            assert!(
                !cfg.contains(s.as_str()),
                "a token is in the config:\n{cfg}"
            );
            for out in &self.outputs {
                assert!(!out.contains(s.as_str()), "a token was printed:\n{out}");
            }
        }
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn token_values(t: &serde_json::Value) -> Vec<String> {
    ["access_token", "refresh_token"]
        .iter()
        .filter_map(|k| t[k].as_str().map(str::to_string))
        .collect()
}

/// Spawns `mailwiz login …` and reads stdout lines as they come.
fn spawn_login(m: &Machine, args: &[&str]) -> (Child, BufReader<std::process::ChildStdout>) {
    let mut child = m.command(args).spawn().expect("run mailwiz login");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    (child, stdout)
}

fn finish_login(m: &mut Machine, args: &[&str], mut child: Child, seen: String) -> i32 {
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    m.outputs
        .push(format!("$ mailwiz {}\n{seen}{err}", args.join(" ")));
    status.code().unwrap_or(-1)
}

#[allow(clippy::too_many_arguments)]
fn add_args(
    env: &OauthEnv,
    ca: &str,
    email: &str,
    incoming: &str,
    in_port: u16,
    in_security: &str,
    smtp_port: u16,
    smtp_security: &str,
    client_id: &str,
) -> Vec<String> {
    let idp = env.idp();
    [
        "add",
        "--email",
        email,
        "--incoming",
        incoming,
        "--in-host",
        "127.0.0.1",
        "--in-port",
        &in_port.to_string(),
        "--in-security",
        in_security,
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &smtp_port.to_string(),
        "--smtp-security",
        smtp_security,
        "--ca-file",
        ca,
        "--auth",
        "oauth2",
        "--oauth-client-id",
        client_id,
        "--oauth-auth-url",
        &format!("{idp}/authorize"),
        "--oauth-token-url",
        &format!("{idp}/token"),
        "--oauth-device-url",
        &format!("{idp}/device"),
        "--oauth-scope",
        "mail offline_access",
    ]
    .iter()
    .map(std::string::ToString::to_string)
    .collect()
}

#[test]
fn browser_sign_in_check_send_refresh_and_revoke() {
    let (mail, env) = oauthenv();
    let mut m = Machine::new();
    let alice = mail.user("alice");
    let ca = mail.ca.display().to_string();
    let args = add_args(
        env,
        &ca,
        &alice,
        "imap",
        env.port("OAUTHENV_IMAP_PORT"),
        "starttls",
        env.port("OAUTHENV_SMTP_PORT"),
        "starttls",
        "mailwiz-test",
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(code(&m.run(&args, None)), 0, "{}", m.last());
    assert!(m.last().contains("mailwiz login"), "{}", m.last());

    // Before signing in: a clear "sign in" (exit 3), never a raw error.
    assert_eq!(code(&m.run(&["check", &alice], None)), 3, "{}", m.last());
    assert!(m.last().contains("not signed in"), "{}", m.last());

    // Sign in: the test plays the browser.
    let login = ["login", alice.as_str(), "--no-browser"];
    let (child, mut stdout) = spawn_login(&m, &login);
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let url = url.trim().to_string();
    assert!(
        url.starts_with(&format!("{}/authorize?", env.idp())),
        "first line is the URL alone: {url:?}"
    );
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    let resp = agent().get(&url).call().unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("http://127.0.0.1:"), "{location}");
    let mut page = agent().get(&location).call().unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(
        page.body_mut()
            .read_to_string()
            .unwrap()
            .contains("signed in")
    );
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let seen = format!("{url}\n{rest}");
    assert_eq!(finish_login(&mut m, &login, child, seen), 0, "{}", m.last());
    let first = m.tokens(&alice).expect("tokens in the keyring");
    let mut secrets = token_values(&first);
    assert_eq!(secrets.len(), 2, "access and refresh token stored");

    // check and send-test --verify with XOAUTH2 (IMAP and SMTP).
    assert_eq!(code(&m.run(&["check", &alice], None)), 0, "{}", m.last());
    assert!(m.last().contains("AUTHENTICATE XOAUTH2"), "{}", m.last());
    assert!(m.last().contains("AUTH XOAUTH2"), "{}", m.last());
    assert_eq!(
        code(&m.run(&["send-test", &alice, "--verify"], None)),
        0,
        "{}",
        m.last()
    );

    // The doctor signs in with the token too; its transcript hides it.
    let transcript = m.config.with_file_name("transcript.txt");
    let out = m.run(
        &[
            "doctor",
            &alice,
            "--json",
            "--transcript",
            transcript.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code(&out), 0, "{}", m.last());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["code"], "ok", "{report}");
    }
    let text = std::fs::read_to_string(&transcript).unwrap();
    assert!(text.contains("XOAUTH2"), "{text}");
    assert!(text.contains("[redacted]"), "{text}");
    m.outputs.push(text);

    // The server refuses the access token (expired at the IdP): refresh, retry.
    let before = idp_stats(env)["refresh_grants"].as_u64().unwrap();
    idp_post(env, "/test/access_ttl", &[("ttl", "30")]);
    idp_post(env, "/test/expire", &[("user", &alice)]);
    assert_eq!(code(&m.run(&["check", &alice], None)), 0, "{}", m.last());
    assert!(m.last().contains("new one was obtained"), "{}", m.last());
    let second = m.tokens(&alice).unwrap();
    secrets.extend(token_values(&second));
    assert_ne!(first["refresh_token"], second["refresh_token"], "rotation");
    // The old refresh token is dead after rotation.
    let (status, body) = idp_post(
        env,
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", "mailwiz-test"),
            ("refresh_token", first["refresh_token"].as_str().unwrap()),
        ],
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // The new access token expires in 30 s (< the 60 s margin): the next
    // use refreshes it first, without a refused login.
    assert_eq!(code(&m.run(&["check", &alice], None)), 0, "{}", m.last());
    assert!(!m.last().contains("new one was obtained"), "{}", m.last());
    let third = m.tokens(&alice).unwrap();
    secrets.extend(token_values(&third));
    assert_ne!(second["access_token"], third["access_token"]);
    let after = idp_stats(env)["refresh_grants"].as_u64().unwrap();
    assert!(after >= before + 2, "refreshed twice: {before} → {after}");
    idp_post(env, "/test/access_ttl", &[("ttl", "3600")]);
    assert_eq!(code(&m.run(&["check", &alice], None)), 0, "{}", m.last());
    secrets.extend(token_values(&m.tokens(&alice).unwrap()));

    // Revoked at the IdP: "sign in again", exit 3, with the command to run.
    idp_post(env, "/test/revoke", &[("user", &alice)]);
    assert_eq!(code(&m.run(&["check", &alice], None)), 3, "{}", m.last());
    assert!(m.last().contains("sign in again"), "{}", m.last());
    assert!(
        m.last().contains(&format!("mailwiz login {alice}")),
        "{}",
        m.last()
    );
    assert_eq!(
        code(&m.run(&["send-test", &alice], None)),
        3,
        "{}",
        m.last()
    );
    m.run(&["--lang", "fr", "check", &alice], None);
    assert!(
        m.last().contains("reconnectez-vous") || m.last().contains("pas encore connecté"),
        "{}",
        m.last()
    );

    m.assert_nowhere(&secrets);
    let idp_log = std::fs::read_to_string(&env.vars["OAUTHENV_IDP_LOG"]).unwrap();
    let dovecot_log = std::fs::read_to_string(&env.vars["OAUTHENV_LOG"]).unwrap();
    for s in &secrets {
        assert!(!idp_log.contains(s.as_str()), "token in the IdP log");
        assert!(
            !dovecot_log.contains(s.as_str()),
            "token in the Dovecot log"
        );
    }
    // remove clears the keyring entries.
    assert_eq!(code(&m.run(&["remove", &alice], None)), 0, "{}", m.last());
    assert!(m.tokens(&alice).is_none());
}

#[test]
fn device_sign_in_pop3_confidential_client_and_oauthbearer() {
    let (mail, env) = oauthenv();
    let mut m = Machine::new();
    let bob = mail.user("bob");
    let ca = mail.ca.display().to_string();
    let mut args = add_args(
        env,
        &ca,
        &bob,
        "pop3",
        env.port("OAUTHENV_POP3S_PORT"),
        "tls",
        env.port("OAUTHENV_SMTPS_PORT"),
        "tls",
        "confidential-mailwiz",
    );
    args.push("--oauth-client-secret-stdin".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let secret = env.vars["OAUTHENV_CONFIDENTIAL_SECRET"].clone();
    assert_eq!(
        code(&m.run(&args, Some(&format!("{secret}\n")))),
        0,
        "{}",
        m.last()
    );
    let cfg = std::fs::read_to_string(&m.config).unwrap();
    assert!(
        !cfg.contains(&secret),
        "client secret in the config:\n{cfg}"
    );
    assert_eq!(
        m.keyring
            .secret_tool_lookup(&[
                ("service", "mailwiz"),
                ("username", &format!("oauth-client-secret:{bob}"))
            ])
            .as_deref(),
        Some(secret.as_str())
    );

    let login = ["login", bob.as_str(), "--device"];
    let (child, mut stdout) = spawn_login(&m, &login);
    let (mut uri, mut code_line) = (String::new(), String::new());
    stdout.read_line(&mut uri).unwrap();
    stdout.read_line(&mut code_line).unwrap();
    assert_eq!(uri.trim(), format!("{}/device", env.idp()));
    let user_code = code_line
        .trim()
        .strip_prefix("code: ")
        .unwrap_or_else(|| panic!("a `code: …` line: {code_line:?}"))
        .to_string();
    // Let it poll once or twice (authorization_pending) before approving.
    std::thread::sleep(Duration::from_millis(1500));
    let (status, _) = idp_post(
        env,
        "/test/approve",
        &[("user_code", &user_code), ("user", &bob)],
    );
    assert_eq!(status, 200);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let seen = format!("{uri}{code_line}{rest}");
    assert_eq!(finish_login(&mut m, &login, child, seen), 0, "{}", m.last());
    assert_eq!(
        idp_stats(env)["slow_down"].as_u64(),
        Some(0),
        "polled too fast"
    );
    let tokens = m.tokens(&bob).expect("tokens in the keyring");
    let secrets = token_values(&tokens);

    assert_eq!(code(&m.run(&["check", &bob], None)), 0, "{}", m.last());
    assert!(m.last().contains("AUTH XOAUTH2"), "{}", m.last());
    assert_eq!(
        code(&m.run(&["send-test", &bob, "--verify"], None)),
        0,
        "{}",
        m.last()
    );
    m.assert_nowhere(&secrets);

    // OAUTHBEARER (RFC 7628) through the library, IMAP and POP3; a bad token is AuthFailed.
    let access = Secret::new(tokens["access_token"].as_str().unwrap());
    let trust = Trust {
        ca_file: Some(ca.clone()),
        pinned_sha256: None,
    };
    let setup = TlsSetup::new("127.0.0.1", &trust).unwrap();
    let server = |protocol, port| IncomingServer {
        protocol,
        host: "127.0.0.1".into(),
        port,
        security: Security::Tls,
        username: bob.clone(),
        auth: mailwiz::account::AuthMethod::Oauth2,
        keep_on_server: true,
        pinned_sha256: None,
    };
    let deadline = || Deadline::after(Duration::from_secs(10), None);
    let imap = server(Protocol::Imap, env.port("OAUTHENV_IMAPS_PORT"));
    let mut s = ImapSession::connect(&imap, &setup, &deadline(), &mut NoSteps, None).unwrap();
    s.login_oauth(
        &bob,
        &access,
        Some(OauthMechanism::Oauthbearer),
        &mut NoSteps,
    )
    .expect("IMAP OAUTHBEARER");
    s.logout(&mut NoSteps).unwrap();
    let mut s = ImapSession::connect(&imap, &setup, &deadline(), &mut NoSteps, None).unwrap();
    let bad = s.login_oauth(
        &bob,
        &Secret::new("not-a-token"),
        Some(OauthMechanism::Oauthbearer),
        &mut NoSteps,
    );
    assert!(matches!(bad, Err(NetError::AuthFailed { .. })), "{bad:?}");
    let pop3 = server(Protocol::Pop3, env.port("OAUTHENV_POP3S_PORT"));
    let mut p = Pop3Session::connect(&pop3, &setup, &deadline(), &mut NoSteps, None).unwrap();
    p.login_oauth(
        &bob,
        &access,
        Some(OauthMechanism::Oauthbearer),
        &mut NoSteps,
    )
    .expect("POP3 OAUTHBEARER");
    p.quit(&mut NoSteps).unwrap();
    // Alice's token does not log in as bob (and XOAUTH2 refuses it too).
    let mut p = Pop3Session::connect(&pop3, &setup, &deadline(), &mut NoSteps, None).unwrap();
    let bad = p.login_oauth(
        "alice@example.test",
        &access,
        Some(OauthMechanism::Xoauth2),
        &mut NoSteps,
    );
    assert!(matches!(bad, Err(NetError::AuthFailed { .. })), "{bad:?}");
    // SMTP XOAUTH2: the error challenge is answered, so the refusal is the
    // server's own 5xx reply, not a made-up one.
    let smtp = mailwiz::account::SmtpServer {
        host: "127.0.0.1".into(),
        port: env.port("OAUTHENV_SMTPS_PORT"),
        security: Security::Tls,
        auth_required: true,
        username: bob.clone(),
        same_password: true,
        pinned_sha256: None,
    };
    let mut s =
        mailwiz::net::SmtpSession::connect(&smtp, &setup, &deadline(), &mut NoSteps, None).unwrap();
    s.login_oauth(&bob, &access, &mut NoSteps)
        .expect("SMTP XOAUTH2");
    s.quit(&mut NoSteps).unwrap();
    let mut s =
        mailwiz::net::SmtpSession::connect(&smtp, &setup, &deadline(), &mut NoSteps, None).unwrap();
    match s.login_oauth(&bob, &Secret::new("not-a-token"), &mut NoSteps) {
        Err(NetError::AuthFailed { reply }) => {
            assert!(reply.code.is_some_and(|c| c >= 500), "{reply:?}");
        }
        other => panic!("SMTP XOAUTH2 with a bad token: {other:?}"),
    }
}

#[test]
fn wrong_pkce_verifier_is_refused() {
    let (_, env) = oauthenv();
    let verifier = mailwiz::oauth::new_verifier();
    let challenge = mailwiz::oauth::challenge_s256(&verifier);
    let url = format!(
        "{}/authorize?response_type=code&client_id=pkce-test&redirect_uri={}&scope=mail&state=s&code_challenge={challenge}&code_challenge_method=S256&login_hint=alice%40example.test",
        env.idp(),
        mailwiz::oauth::url_encode("http://127.0.0.1:9/")
    );
    let resp = agent().get(&url).call().unwrap();
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let query = location.split_once('?').unwrap().1;
    let code = mailwiz::oauth::query_pairs(query)
        .into_iter()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1;
    let other = mailwiz::oauth::new_verifier();
    let (status, body) = idp_post(
        env,
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "pkce-test"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/"),
            ("code_verifier", &other),
        ],
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

/// `mailwiz token NAME` prints the current access token alone, and msmtp
/// sends with the exported OAuth2 settings (`auth xoauth2`, `passwordeval
/// "mailwiz … token NAME"`) through the Dovecot that checks tokens at the IdP.
#[test]
fn msmtp_sends_with_the_oauth2_export() {
    let (mail, env) = oauthenv();
    let mut m = Machine::new();
    let bob = mail.user("bob");
    let ca = mail.ca.display().to_string();
    let args = add_args(
        env,
        &ca,
        &bob,
        "imap",
        env.port("OAUTHENV_IMAPS_PORT"),
        "tls",
        env.port("OAUTHENV_SMTP_PORT"),
        "starttls",
        "msmtp-export-test",
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(code(&m.run(&args, None)), 0, "{}", m.last());
    // Before signing in: `token` says so, exit 3.
    assert_eq!(code(&m.run(&["token", &bob], None)), 3, "{}", m.last());

    let login = ["login", bob.as_str(), "--device"];
    let (child, mut stdout) = spawn_login(&m, &login);
    let (mut uri, mut code_line) = (String::new(), String::new());
    stdout.read_line(&mut uri).unwrap();
    stdout.read_line(&mut code_line).unwrap();
    let user_code = code_line.trim().strip_prefix("code: ").unwrap().to_string();
    let (status, _) = idp_post(
        env,
        "/test/approve",
        &[("user_code", &user_code), ("user", &bob)],
    );
    assert_eq!(status, 200);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let seen = format!("{uri}{code_line}{rest}");
    assert_eq!(finish_login(&mut m, &login, child, seen), 0, "{}", m.last());
    assert!(m.tokens(&bob).is_some(), "tokens in the keyring");

    // `token` prints the current access token: the stored one, or a fresh
    // one it refreshed and stored (another test of this binary may have
    // shortened the IdP's token lifetime below the refresh margin).
    let out = m.run(&["token", &bob], None);
    assert_eq!(code(&out), 0, "{}", m.last());
    let tokens = m.tokens(&bob).expect("tokens in the keyring");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}\n", tokens["access_token"].as_str().unwrap())
    );
    // The token printed on purpose is not a leak; forget that output.
    m.outputs.pop();

    let file = m.config.with_file_name("msmtprc");
    let export = [
        "export",
        bob.as_str(),
        "--format",
        "msmtp",
        "--output",
        file.to_str().unwrap(),
    ];
    assert_eq!(code(&m.run(&export, None)), 0, "{}", m.last());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.lines().any(|l| l == "auth xoauth2"), "{text}");
    assert!(text.contains(" token "), "{text}");
    m.assert_nowhere(&token_values(&tokens));
    assert!(!text.contains(tokens["access_token"].as_str().unwrap()));

    let id = format!("msmtp-oauth-{}", std::process::id());
    let msg = format!(
        "From: {bob}\r\nTo: {bob}\r\nSubject: {id}\r\n\r\nsent by msmtp with an OAuth2 export\r\n"
    );
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_mailwiz"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = Command::new("msmtp");
    m.keyring.apply(&mut c);
    c.env("PATH", path)
        .arg("-C")
        .arg(&file)
        .args(["-a", &bob, "--", &bob])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // msmtp refuses a config file others can read.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut child = c.spawn().expect("msmtp is installed");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(msg.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "msmtp failed: {}{}\n--- config\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        mail.wait_for_message(&bob, &id, Duration::from_secs(20))
            .is_some(),
        "the message sent by msmtp did not arrive"
    );
}
