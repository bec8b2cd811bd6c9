#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Discovery with sources slowed on purpose: the ISPDB answers after 300 ms
//! (a loopback HTTP server that sleeps before answering), SRV after 100 ms
//! (dnsmasq behind a 100 ms start delay; skipped without dnsmasq), and the
//! provider autoconfig hangs (a server that accepts and never answers).
//!
//! Printed before the criterion runs:
//! - wall time / latency of the fastest top-priority usable source (the
//!   ISPDB's): target ≤ 1.1;
//! - wall time of the same sources run one after another / parallel wall time.

use criterion::{Criterion, criterion_group, criterion_main};
use mailwiz::discover::{self, DiscoverOptions, Source, SourceStatus};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/ispdb/naver.com.xml"
);
const ISPDB_DELAY: Duration = Duration::from_millis(300);
const SRV_DELAY: Duration = Duration::from_millis(100);

fn slow_ispdb() -> SocketAddr {
    let xml = std::fs::read_to_string(SAMPLE).expect("the ISPDB fixture (tests/fixtures/ispdb)");
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let xml = xml.clone();
            std::thread::spawn(move || {
                let mut r = BufReader::new(s);
                let mut line = String::new();
                while r.read_line(&mut line).unwrap_or(0) > 2 {
                    line.clear();
                }
                std::thread::sleep(ISPDB_DELAY);
                let _ = write!(
                    r.get_mut(),
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
                    xml.len()
                );
            });
        }
    });
    addr
}

fn hanging() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut keep: Vec<TcpStream> = Vec::new();
        for s in l.incoming().flatten() {
            keep.push(s);
        }
    });
    addr
}

fn dnsmasq() -> Option<(Child, SocketAddr)> {
    let bin = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    let port = UdpSocket::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new(bin)
        .args([
            "-k",
            "--conf-file=/dev/null",
            &format!("--port={port}"),
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            "--no-resolv",
            "--no-hosts",
            "--pid-file=",
            "--local=/naver.com/",
            "--srv-host=_imaps._tcp.naver.com,imap.naver.com,993,0,1",
            "--srv-host=_submissions._tcp.naver.com,smtp.naver.com,465,0,1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().ok()?;
    let t0 = Instant::now();
    while TcpStream::connect(addr).is_err() && t0.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    Some((child, addr))
}

fn options(ispdb: SocketAddr, hang: SocketAddr, dns: Option<SocketAddr>) -> DiscoverOptions {
    let mut sources = vec![Source::Ispdb, Source::Autoconfig];
    if dns.is_some() {
        sources.push(Source::Srv);
    }
    DiscoverOptions {
        sources,
        ispdb_url: format!("http://{ispdb}/v1.1/"),
        dns_server: dns,
        timeout: Duration::from_secs(1),
        autoconfig_urls: vec![format!("http://{hang}/{{domain}}")],
        slow: vec![(Source::Srv, SRV_DELAY)],
        ..DiscoverOptions::default()
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn bench(c: &mut Criterion) {
    let (ispdb, hang) = (slow_ispdb(), hanging());
    let dns = dnsmasq();
    let parallel = options(ispdb, hang, dns.as_ref().map(|d| d.1));
    let sequential = DiscoverOptions {
        sequential: true,
        ..parallel.clone()
    };
    let email = "alice@naver.com";

    let (mut walls, mut fastest, mut seqs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..7 {
        let t0 = Instant::now();
        let r = discover::discover(email, &parallel, &|_| {});
        walls.push(t0.elapsed());
        let ispdb_report = r
            .sources
            .iter()
            .find(|s| s.source == Source::Ispdb)
            .unwrap();
        assert_eq!(ispdb_report.status, SourceStatus::Ok, "{:?}", r.sources);
        assert_eq!(r.candidates[0].source, Source::Ispdb);
        fastest.push(Duration::from_millis(ispdb_report.ms));
    }
    for _ in 0..3 {
        let t0 = Instant::now();
        discover::discover(email, &sequential, &|_| {});
        seqs.push(t0.elapsed());
    }
    let (wall, fast, seq) = (median(walls), median(fastest), median(seqs));
    eprintln!(
        "discover: parallel wall {wall:?}, fastest top-priority usable source (ISPDB) {fast:?}, \
         ratio {:.3} (target ≤ 1.1); sequential {seq:?}, sequential/parallel {:.2}{}",
        wall.as_secs_f64() / fast.as_secs_f64(),
        seq.as_secs_f64() / wall.as_secs_f64(),
        if dns.is_none() {
            " (no dnsmasq: SRV not run)"
        } else {
            ""
        }
    );

    let mut g = c.benchmark_group("discover");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.bench_function("parallel_ispdb300_srv100_hang", |b| {
        b.iter(|| discover::discover(email, &parallel, &|_| {}));
    });
    g.finish();
    if let Some((mut child, _)) = dns {
        let _ = child.kill();
        let _ = child.wait();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
