#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! OAuth2's device grant against hostile endpoints, with the real binary
//! under `/usr/bin/time -v` (package `time`): 2^64−1 seconds of expiry and
//! of interval, an interval of 10^12 s, answers that never end (fast, or
//! one byte a second). `login --device --timeout N` ends within N + 0.5 s
//! and under 64 MB peak RSS, without a panic.

mod common;

use common::oauth::oauthenv;
use common::oauth::timed::{Machine, run};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

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
