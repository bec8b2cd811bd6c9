#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! OAuth2's loopback redirect listener against hostile local peers, with
//! the real binary under `/usr/bin/time -v` (package `time`): a client that
//! drips, one that never ends its request line, and redirects with a wrong
//! or missing `state` (answered with an error page and ignored: the real
//! redirect still signs in); `login --timeout 2^64−1` is a usage error.
//! Every command ends within its deadline + 0.5 s and under 64 MB peak RSS.
//! Hostile device and token endpoints: tests/oauth_hostile_device.rs; the
//! rotating-IdP refresh race: tests/oauth_race.rs.

mod common;

use common::oauth::agent;
use common::oauth::oauthenv;
use common::oauth::timed::{Machine, finish, run};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

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
        .map_or_else(|| panic!("no redirect_uri in {url:?}"), |(_, v)| v);
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
    let stored: serde_json::Value =
        serde_json::from_str(&m.tokens(&name).expect("no tokens stored")).unwrap();
    for key in ["access_token", "refresh_token"] {
        let token = stored[key].as_str().expect("token stored");
        assert!(
            !run.stdout.contains(token) && !run.stderr.contains(token),
            "the {key} was printed"
        );
    }
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
