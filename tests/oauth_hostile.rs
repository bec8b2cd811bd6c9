//! OAuth2 against hostile peers, with the real binary under
//! `/usr/bin/time -v` (package `time`): the loopback redirect listener
//! meets a client that drips, one that never ends its request line, and
//! redirects with a wrong or missing `state` (answered with an error page
//! and ignored: the real redirect still signs in); the device grant meets
//! an endpoint announcing 2^64−1 seconds of expiry and of interval, and one
//! that never ends its answer; `login --timeout 2^64−1` is a usage error.
//! Every command ends within its deadline + 0.5 s and under 64 MB peak RSS.
//! The rotating-IdP refresh race (two `check`s at once, and the wizard's
//! two checks in one process) is in tests/oauth_race.rs.

mod common;

use common::oauth::{OauthEnv, oauthenv};
use common::{KeyringSession, mailwiz};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const MAX_RSS_KB: u64 = 64 * 1024;
const SLACK: Duration = Duration::from_millis(500);

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// A user's machine: a keyring and a config.
struct Machine {
    _dir: tempfile::TempDir,
    config: PathBuf,
    keyring: KeyringSession,
}

impl Machine {
    fn new() -> Machine {
        assert!(
            std::path::Path::new("/usr/bin/time").exists(),
            "install the package `time` (GNU time, /usr/bin/time)"
        );
        let dir = tempfile::Builder::new()
            .prefix("mwh")
            .tempdir_in("/tmp")
            .unwrap();
        let home = dir.path().join("home");
        let keyring = KeyringSession::start(&home);
        Machine {
            config: home.join(".config/mailwiz/accounts.toml"),
            keyring,
            _dir: dir,
        }
    }

    /// `mailwiz ARGS` under `/usr/bin/time -v`, killed after 30 s whatever
    /// happens (so a hang fails the test instead of holding it).
    fn timed(&self, args: &[&str]) -> Command {
        let mut inner = mailwiz(&self.config);
        self.keyring.apply(&mut inner);
        let mut cmd = Command::new("/usr/bin/time");
        cmd.args(["-v", "timeout", "-s", "KILL", "30"])
            .arg(inner.get_program())
            .args(inner.get_args())
            .args(args);
        for (k, v) in inner.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Adds an OAuth2 account with the given endpoints (never contacted
    /// by `add`).
    fn add(&self, env: &OauthEnv, email: &str, token_url: &str, device_url: &str) {
        let (mail, _) = oauthenv();
        let mut cmd = mailwiz(&self.config);
        self.keyring.apply(&mut cmd);
        let out = cmd
            .args(["add", "--email", email, "--incoming", "imap"])
            .args(["--in-host", "127.0.0.1", "--in-security", "starttls"])
            .args(["--in-port", &env.port("OAUTHENV_IMAP_PORT").to_string()])
            .args(["--smtp-host", "127.0.0.1", "--smtp-security", "starttls"])
            .args(["--smtp-port", &env.port("OAUTHENV_SMTP_PORT").to_string()])
            .arg("--ca-file")
            .arg(&mail.ca)
            .args(["--auth", "oauth2", "--oauth-client-id", "mailwiz-hostile"])
            .args(["--oauth-auth-url", &format!("{}/authorize", env.idp())])
            .args(["--oauth-token-url", token_url])
            .args(["--oauth-device-url", device_url])
            .args(["--oauth-scope", "mail offline_access"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "add failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn tokens(&self, name: &str) -> Option<String> {
        let entry = format!("oauth:{name}");
        self.keyring
            .secret_tool_lookup(&[("service", "mailwiz"), ("username", &entry)])
    }
}

/// A finished run: exit code, outputs, wall time and peak RSS.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    max_rss_kb: u64,
}

impl Run {
    fn bounded(&self, deadline: Duration) {
        eprintln!(
            "measured: {:?} (deadline {deadline:?}), peak RSS {} kB",
            self.elapsed, self.max_rss_kb
        );
        assert!(
            self.elapsed <= deadline + SLACK,
            "took {:?}, deadline {deadline:?} + {SLACK:?}\n{}{}",
            self.elapsed,
            self.stdout,
            self.stderr
        );
        assert!(
            self.max_rss_kb < MAX_RSS_KB,
            "peak RSS {} kB ≥ {MAX_RSS_KB} kB",
            self.max_rss_kb
        );
        assert!(
            !self.stderr.contains("panicked"),
            "mailwiz panicked:\n{}",
            self.stderr
        );
    }
}

fn finish(mut child: Child, start: Instant, stdout_seen: String) -> Run {
    let mut rest = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut rest);
    }
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    let status = child.wait().unwrap();
    let elapsed = start.elapsed();
    let max_rss_kb = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no RSS in /usr/bin/time's output:\n{stderr}"));
    // GNU time reports the command's exit status; "Command exited with
    // non-zero status N" or 0.
    let code = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Exit status: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(status.code().unwrap_or(-1));
    Run {
        code,
        stdout: stdout_seen + &rest,
        stderr,
        elapsed,
        max_rss_kb,
    }
}

fn run(m: &Machine, args: &[&str]) -> Run {
    let start = Instant::now();
    let child = m.timed(args).spawn().expect("run mailwiz");
    finish(child, start, String::new())
}

/// `login NAME --no-browser --timeout SECS` started; its sign-in URL and
/// the redirect listener's port.
fn start_login(m: &Machine, name: &str, timeout: &str) -> (Child, Instant, String, u16) {
    let start = Instant::now();
    let mut child = m
        .timed(&["login", name, "--no-browser", "--timeout", timeout])
        .spawn()
        .expect("run mailwiz login");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let url = url.trim().to_string();
    let redirect = mailwiz::oauth::query_pairs(url.split_once('?').map_or("", |x| x.1))
        .into_iter()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no redirect_uri in {url:?}"));
    let port: u16 = redirect
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap_or_else(|_| panic!("not a loopback redirect: {redirect}"));
    // Put stdout back so `finish` reads the rest.
    child.stdout = Some(stdout.into_inner());
    (child, start, url, port)
}

/// A client that sends one byte every 200 ms until told to stop or cut off.
fn drip(port: u16, stop: Arc<AtomicBool>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
            return;
        };
        for b in b"GET /?code=a&state=b HTTP/1.1\r\nHost: x\r\n"
            .iter()
            .cycle()
        {
            if stop.load(Ordering::Relaxed) || s.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    })
}

/// A client whose request line never ends; returns how many bytes it got
/// to send before the listener cut it off.
fn flood(port: u16, stop: Arc<AtomicBool>) -> JoinHandle<usize> {
    std::thread::spawn(move || {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
            return 0;
        };
        let _ = s.write_all(b"GET /");
        let junk = vec![b'a'; 64 * 1024];
        let mut sent = 0;
        while !stop.load(Ordering::Relaxed) {
            match s.write(&junk) {
                Ok(n) => sent += n,
                Err(_) => break,
            }
        }
        sent
    })
}

/// A GET to the redirect listener: status and body.
fn get(port: u16, target: &str) -> (u16, String) {
    let mut resp = agent()
        .get(format!("http://127.0.0.1:{port}{target}"))
        .call()
        .expect("the listener answers");
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap_or_default())
}

#[test]
fn the_redirect_listener_ignores_hostile_requests_then_signs_in() {
    let (mail, env) = oauthenv();
    let m = Machine::new();
    let name = mail.user("hostile-redirect");
    m.add(
        env,
        &name,
        &format!("{}/token", env.idp()),
        &format!("{}/device", env.idp()),
    );
    let (child, start, url, port) = start_login(&m, &name, "20");

    let stop = Arc::new(AtomicBool::new(false));
    let dripping = drip(port, stop.clone());
    std::thread::sleep(Duration::from_millis(100));
    let flooding = flood(port, stop.clone());
    std::thread::sleep(Duration::from_millis(100));
    // Forged redirects: wrong state, missing state, a refusal with a wrong
    // state. Each gets an error page; none ends the sign-in.
    for target in [
        "/?code=forged&state=wrong",
        "/?code=forged",
        "/?error=access_denied&state=wrong",
    ] {
        let (status, body) = get(port, target);
        assert_eq!(status, 400, "{target}: {body}");
        assert!(body.contains("ignored"), "{target}: {body}");
    }
    // The real browser: the IdP redirects to the listener with the code.
    let resp = agent().get(&url).call().unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let mut page = agent().get(&location).call().unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(
        page.body_mut()
            .read_to_string()
            .unwrap()
            .contains("signed in")
    );
    let run = finish(child, start, format!("{url}\n"));
    stop.store(true, Ordering::Relaxed);
    dripping.join().unwrap();
    let sent = flooding.join().unwrap();

    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // Slow and endless clients are cut off within their own 3 s, so the
    // whole sign-in took well under the 20 s allowed.
    run.bounded(Duration::from_secs(8));
    assert!(sent < 64 * 1024 * 1024, "the listener read {sent} bytes");
    assert!(m.tokens(&name).is_some(), "no tokens stored");
}

#[test]
fn login_timeout_holds_against_a_dripping_and_a_flooding_client() {
    let (mail, env) = oauthenv();
    let m = Machine::new();
    let name = mail.user("hostile-timeout");
    m.add(
        env,
        &name,
        &format!("{}/token", env.idp()),
        &format!("{}/device", env.idp()),
    );
    let (child, start, _url, port) = start_login(&m, &name, "5");
    let stop = Arc::new(AtomicBool::new(false));
    // New hostile connections for the whole run.
    let keep_at_it = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let d = drip(port, stop.clone());
                let f = flood(port, stop.clone());
                std::thread::sleep(Duration::from_millis(300));
                let _ = (d, f);
            }
        })
    };
    let run = finish(child, start, String::new());
    stop.store(true, Ordering::Relaxed);
    keep_at_it.join().unwrap();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("not completed in time"),
        "{}",
        run.stderr
    );
    run.bounded(Duration::from_secs(5));
    assert!(m.tokens(&name).is_none());
}

#[test]
fn a_huge_login_timeout_is_a_usage_error() {
    let m = Machine::new();
    let run = run(
        &m,
        &["login", "anyone", "--timeout", "18446744073709551615"],
    );
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("--timeout: at most"), "{}", run.stderr);
    run.bounded(Duration::from_secs(2));
}

/// A device and token endpoint that answers `device` to every POST to
/// /device and `token` to every POST to /token; `/flood` paths answer an
/// endless body, 64 KiB every 10 ms, and `/drip` paths one byte a second.
fn hostile_idp(device: &'static str, token: &'static str) -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, device, token));
        }
    });
    port
}

fn serve(stream: TcpStream, device: &str, token: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map_or(true, |n| n == 0) || h.trim().is_empty() {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length.min(65536)];
    let _ = reader.read_exact(&mut body);
    let mut s = reader.into_inner();
    if line.contains("/flood") {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n{\"x\":\"",
        );
        let chunk = vec![b'a'; 64 * 1024];
        while s.write_all(&chunk).is_ok() {
            std::thread::sleep(Duration::from_millis(10));
        }
        return;
    }
    if line.contains("/drip") {
        // A valid start, then one byte a second: only the overall deadline
        // (not a per-read timeout) stops it.
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{",
        );
        while s.write_all(b" ").is_ok() {
            std::thread::sleep(Duration::from_secs(1));
        }
        return;
    }
    let answer = if line.contains("/device") {
        device
    } else {
        token
    };
    let status = if answer.contains("\"error\"") {
        "400 Bad Request"
    } else {
        "200 OK"
    };
    let _ = write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
}

const PENDING: &str = r#"{"error":"authorization_pending"}"#;

#[test]
fn device_grant_with_huge_expiry_and_interval_ends_at_the_timeout() {
    let (mail, env) = oauthenv();
    for (i, (expires, interval)) in [
        ("18446744073709551615", "18446744073709551615"),
        ("600", "1000000000000"),
    ]
    .into_iter()
    .enumerate()
    {
        let device: &'static str = Box::leak(
            format!(
                r#"{{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"http://127.0.0.1:9/device","expires_in":{expires},"interval":{interval}}}"#
            )
            .into_boxed_str(),
        );
        let port = hostile_idp(device, PENDING);
        let m = Machine::new();
        let name = mail.user(&format!("hostile-device{i}"));
        let base = format!("http://127.0.0.1:{port}");
        m.add(
            env,
            &name,
            &format!("{base}/token"),
            &format!("{base}/device"),
        );
        let run = run(&m, &["login", &name, "--device", "--timeout", "3"]);
        assert_eq!(
            run.code, 1,
            "{expires}/{interval}: {}{}",
            run.stdout, run.stderr
        );
        assert!(run.stdout.contains("code: ABCD-EFGH"), "{}", run.stdout);
        assert!(
            run.stderr.contains("not completed in time"),
            "{}",
            run.stderr
        );
        run.bounded(Duration::from_secs(3));
    }
}

#[test]
fn an_endless_or_dripping_device_or_token_answer_is_bounded() {
    let (mail, env) = oauthenv();
    let port = hostile_idp(
        r#"{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"http://127.0.0.1:9/d","expires_in":600,"interval":1}"#,
        PENDING,
    );
    let base = format!("http://127.0.0.1:{port}");
    for (i, (token, device)) in [
        (format!("{base}/token"), format!("{base}/flood/device")),
        (format!("{base}/flood/token"), format!("{base}/device")),
        (format!("{base}/drip/token"), format!("{base}/device")),
        (format!("{base}/token"), format!("{base}/drip/device")),
    ]
    .into_iter()
    .enumerate()
    {
        let m = Machine::new();
        let name = mail.user(&format!("hostile-flood{i}"));
        m.add(env, &name, &token, &device);
        let run = run(&m, &["login", &name, "--device", "--timeout", "4"]);
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        run.bounded(Duration::from_secs(4));
        assert!(m.tokens(&name).is_none());
    }
}
