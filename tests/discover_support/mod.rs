//! Loopback servers and helpers shared by the discovery tests: an HTTP(S)
//! server answering GETs from routes, one answering every request with a
//! full response (POSTs read), the harness's TLS certificate, and a run
//! that checks each source starts and finishes once.
#![allow(dead_code)] // each test file uses part of it

use mailwiz::discover::{self, DiscoverOptions, DiscoverReport, Source};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub type Routes = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Answers GET requests from `routes` (404 when None), each on its thread.
pub fn serve_http(routes: Routes, tls: Option<Arc<rustls::ServerConfig>>) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let (routes, tls) = (routes.clone(), tls.clone());
            std::thread::spawn(move || {
                let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
                match tls {
                    None => answer(s, &routes),
                    Some(cfg) => {
                        let conn = rustls::ServerConnection::new(cfg).unwrap();
                        answer(rustls::StreamOwned::new(conn, s), &routes);
                    }
                }
            });
        }
    });
    addr
}

pub fn answer<S: Read + Write>(s: S, routes: &Routes) {
    let mut r = BufReader::new(s);
    let mut first = String::new();
    if r.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (status, body) = match routes(&path) {
        Some(b) => ("200 OK", b),
        None => ("404 Not Found", "not found".to_string()),
    };
    let s = r.get_mut();
    let _ = write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = s.flush();
}

pub fn opts(sources: &[Source]) -> DiscoverOptions {
    DiscoverOptions {
        sources: sources.to_vec(),
        ispdb_url: "http://127.0.0.1:9/v1.1/".into(),
        dns_server: Some("127.0.0.1:9".parse().unwrap()),
        timeout: Duration::from_secs(5),
        autoconfig_urls: vec![],
        ..DiscoverOptions::default()
    }
}

pub fn run(email: &str, o: &DiscoverOptions) -> DiscoverReport {
    let events = Mutex::new(Vec::new());
    let report = discover::discover(email, o, &|e| events.lock().unwrap().push(e));
    let events = events.into_inner().unwrap();
    // Each source starts once and finishes once.
    for s in &o.sources {
        let n = events.iter().filter(|e| matches!(e, discover::SourceEvent::Finished { report, .. } if report.source == *s)).count();
        assert_eq!(n, 1, "{s}: {events:?}");
    }
    report
}

pub fn tls_config(dir: &Path) -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
    let tls: PathBuf = dir.join("tls");
    let certs: Vec<CertificateDer> = CertificateDer::pem_file_iter(tls.join("good.crt"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(tls.join("good.key")).unwrap();
    let cfg = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    Arc::new(cfg)
}

pub type RawRoutes = Arc<dyn Fn(&str, &str) -> String + Send + Sync>;

/// Answers every request with the full HTTP response `routes(path, body)`
/// gives (the request body read by its Content-Length, up to 64 KiB).
pub fn serve_raw(routes: RawRoutes, tls: Arc<rustls::ServerConfig>) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let (routes, tls) = (routes.clone(), tls.clone());
            std::thread::spawn(move || {
                let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
                let conn = rustls::ServerConnection::new(tls).unwrap();
                let mut r = BufReader::new(rustls::StreamOwned::new(conn, s));
                let mut first = String::new();
                if r.read_line(&mut first).is_err() {
                    return;
                }
                let mut length = 0usize;
                loop {
                    let mut h = String::new();
                    if r.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                    if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0).min(64 * 1024);
                    }
                }
                let mut body = vec![0u8; length];
                let _ = r.read_exact(&mut body);
                let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
                let answer = routes(&path, &String::from_utf8_lossy(&body));
                let s = r.get_mut();
                let _ = s.write_all(answer.as_bytes());
                let _ = s.flush();
            });
        }
    });
    addr
}

pub fn http_ok(content_type: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

pub fn http_redirect(to: &str) -> String {
    format!(
        "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
}
