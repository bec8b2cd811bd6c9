#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 14.8: a server name with an IPv6 address that goes nowhere and an
//! IPv4 one that works. dnsmasq (the test DNS server, through
//! `$MAILWIZ_DNS_SERVER`) answers `mail.example.test` with A 127.0.0.1 and
//! AAAA ::1; the harness's Dovecot and SMTP relay listen on 127.0.0.1 only,
//! so IPv6 is refused. The doctor reports both families and `ipv6_broken`;
//! `--ipv6` fails, `--ipv4` works.

mod common;

use common::{MailEnv, add_imaps_account, mailenv, mailwiz};
use serde_json::Value;
use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Dns {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// dnsmasq on a free loopback port: `mail.example.test` in both families,
/// its IPv6 address `aaaa`. The port is found by binding and releasing it,
/// so another process may take it first: dnsmasq then exits at once, and
/// it is started again on another port.
fn dnsmasq_with(aaaa: &str) -> Dns {
    let bin = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("dnsmasq is missing: install dnsmasq-base (scripts/install-test-deps.sh)");
    // The socket the readiness queries come from, bound first so it can
    // never be given dnsmasq's port.
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    for _ in 0..5 {
        if let Some(dns) = try_dnsmasq(bin, aaaa, &sock) {
            return dns;
        }
    }
    panic!("dnsmasq did not start on a free loopback port in five tries");
}

/// One start of dnsmasq; None when it exited (its port was taken).
fn try_dnsmasq(bin: &str, aaaa: &str, sock: &UdpSocket) -> Option<Dns> {
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(bin)
        .args([
            "-k",
            "--conf-file=/dev/null",
            &format!("--port={port}"),
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            "--no-resolv",
            "--no-hosts",
            "--pid-file=",
            "--local=/example.test/",
            "--address=/mail.example.test/127.0.0.1",
            &format!("--address=/mail.example.test/{aaaa}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dnsmasq");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    // Ready when it answers (any answer) on UDP.
    let deadline = Instant::now() + Duration::from_secs(10);
    let query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x04mail\x07example\x04test\x00\x00\x01\x00\x01";
    loop {
        sock.send_to(query, addr).unwrap();
        let mut buf = [0u8; 512];
        if sock.recv_from(&mut buf).is_ok() {
            return Some(Dns { child, addr });
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        assert!(
            Instant::now() < deadline,
            "dnsmasq did not answer within 10 s"
        );
    }
}

fn dnsmasq() -> Dns {
    dnsmasq_with("::1")
}

fn setup(env: &MailEnv) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    add_imaps_account(env, &cfg, &env.tls_name, "alice", &["--name", "t"]);
    (dir, cfg)
}

fn run(cfg: &Path, dns: &Dns, args: &[&str]) -> (Value, String, i32) {
    let out = mailwiz(cfg)
        .args(args)
        .env("MAILWIZ_DNS_SERVER", dns.addr.to_string())
        .env("MAILWIZ_DOCTOR_SMTP_PORTS", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let text = format!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (json, text, out.status.code().unwrap_or(-1))
}

#[test]
fn doctor_reports_each_family_and_ipv6_broken() {
    let env = mailenv();
    let dns = dnsmasq();
    let (_dir, cfg) = setup(env);
    let (json, text, code) = run(&cfg, &dns, &["doctor", "t", "--json"]);
    assert_eq!(code, 0, "a warning alone does not fail the doctor:\n{text}");
    for side in ["incoming", "smtp"] {
        let fam = &json["servers"][side]["families"];
        let of = |f: &str| {
            fam.as_array()
                .unwrap_or_else(|| panic!("no families for {side}:\n{text}"))
                .iter()
                .find(|x| x["family"] == f)
                .unwrap_or_else(|| panic!("no {f} probe for {side}:\n{text}"))
                .clone()
        };
        assert_eq!(of("ipv6")["outcome"], "refused", "{side}: {text}");
        assert_eq!(of("ipv4")["outcome"], "open", "{side}: {text}");
        assert_eq!(of("ipv6")["addresses"][0], "::1");
        // Happy Eyeballs: the server itself works, over IPv4.
        assert!(json["servers"][side]["error"].is_null(), "{side}: {text}");
    }
    let findings = json["findings"].as_array().unwrap();
    let broken: Vec<&Value> = findings
        .iter()
        .filter(|f| f["code"] == "ipv6_broken")
        .collect();
    assert_eq!(broken.len(), 2, "one ipv6_broken per server:\n{text}");
    assert!(broken.iter().all(|f| f["severity"] == "warning"));
    assert!(
        broken[0]["evidence"]
            .as_str()
            .unwrap()
            .contains("IPv6 [::1]:"),
        "{text}"
    );
    // The text report, in French: both families, one line each.
    let (_, text, _) = run(&cfg, &dns, &["--lang", "fr", "doctor", "t"]);
    assert!(text.contains("IPv6 [::1]:"), "{text}");
    assert!(text.contains("refusé"), "{text}");
    assert!(
        text.contains("IPv4 127.0.0.1:") && text.contains("connecté en"),
        "{text}"
    );
    assert!(text.contains("IPv6 ne fonctionne pas"), "{text}");
}

#[test]
fn ipv4_and_ipv6_flags_force_one_family() {
    let env = mailenv();
    let dns = dnsmasq();
    let (_dir, cfg) = setup(env);
    let (json, text, code) = run(&cfg, &dns, &["check", "t", "--json", "--ipv4"]);
    assert_eq!(code, 0, "--ipv4 works:\n{text}");
    assert_eq!(json["incoming"]["ok"], true, "{text}");
    let (json, text, code) = run(&cfg, &dns, &["check", "t", "--json", "--ipv6"]);
    assert_ne!(
        code, 0,
        "--ipv6 must fail (nothing listens on ::1):\n{text}"
    );
    assert!(text.contains("[::1]"), "the IPv6 address tried:\n{text}");
    assert_eq!(json["incoming"]["ok"], false, "{text}");
    // The doctor probes only the forced family.
    let (json, text, _) = run(&cfg, &dns, &["doctor", "t", "--json", "--ipv4"]);
    let fam = json["servers"]["incoming"]["families"].as_array().unwrap();
    assert_eq!(fam.len(), 1, "{text}");
    assert_eq!(fam[0]["family"], "ipv4");
    assert!(!text.contains("ipv6_broken"), "{text}");
    let (_, text, code) = run(&cfg, &dns, &["send-test", "t", "--json", "--ipv6"]);
    assert_ne!(code, 0, "send-test --ipv6 must fail:\n{text}");
    let out = mailwiz(&cfg)
        .args(["check", "t", "--ipv4", "--ipv6"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--ipv4 with --ipv6 is a usage error"
    );
}

/// An IPv6 address with no route (2001:db8::/32, documentation only): the
/// check still works over IPv4, and the doctor says why. (Here the kernel
/// answers "no route" within about a second, so the time bound is only a
/// sanity check; a silent drop is what Happy Eyeballs guards against.)
#[test]
fn an_unroutable_ipv6_address_is_reported_and_ipv4_still_works() {
    let env = mailenv();
    let dns = dnsmasq_with("2001:db8::25");
    let (_dir, cfg) = setup(env);
    let start = Instant::now();
    let (json, text, code) = run(&cfg, &dns, &["check", "t", "--json"]);
    let took = start.elapsed();
    assert_eq!(code, 0, "{text}");
    assert_eq!(json["incoming"]["ok"], true, "{text}");
    assert!(took < Duration::from_secs(4), "the check took {took:?}");
    let (json, text, _) = run(&cfg, &dns, &["doctor", "t", "--json"]);
    let fam = json["servers"]["incoming"]["families"].as_array().unwrap();
    let v6 = fam.iter().find(|f| f["family"] == "ipv6").unwrap();
    assert_eq!(v6["addr"], format!("[2001:db8::25]:{}", env.imaps_port));
    assert_ne!(v6["outcome"], "open", "{text}");
    assert!(text.contains("ipv6_broken"), "{text}");
}
