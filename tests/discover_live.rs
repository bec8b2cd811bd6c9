#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Discovery against servers started here on loopback: an HTTP server with
//! the ISPDB sample in the ISPDB layout, provider autoconfig over http and
//! https (the test CA of the mail harness), dnsmasq with SRV, MX and address
//! records, a server that never answers, and real Dovecot for guessing.
//! Nothing here touches the internet.

mod common;
#[path = "discover_support/mod.rs"]
mod support;

use support::{Routes, opts, run, serve_http, tls_config};

use mailwiz::account::{Protocol, Security};
use mailwiz::discover::{self, Candidate, Source, SourceStatus};
use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const NO_DNSMASQ: &str =
    "dnsmasq did not start: install dnsmasq-base (scripts/install-test-deps.sh)";
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ispdb");

/// The sample files, by every domain they list.
fn ispdb_by_domain() -> Option<&'static BTreeMap<String, (String, String)>> {
    static MAP: OnceLock<Option<BTreeMap<String, (String, String)>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let dir = std::fs::read_dir(SAMPLE).ok()?;
        let mut map = BTreeMap::new();
        for e in dir.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if let Some(stem) = name.strip_suffix(".xml") {
                let text = std::fs::read_to_string(e.path()).unwrap();
                for d in between(&strip_comments(&text), "<domain>", "</domain>") {
                    map.insert(
                        d.trim().to_ascii_lowercase(),
                        (stem.to_string(), text.clone()),
                    );
                }
            }
        }
        Some(map)
    })
    .as_ref()
}

/// The ISPDB layout: `<base>/<domain>` for every domain of every file.
fn ispdb_server() -> Option<String> {
    static URL: OnceLock<Option<String>> = OnceLock::new();
    URL.get_or_init(|| {
        let map = ispdb_by_domain()?;
        let routes: Routes = Arc::new(move |path: &str| {
            let domain = path.strip_prefix("/v1.1/")?;
            map.get(domain).map(|(_, text)| text.clone())
        });
        Some(format!("http://{}/v1.1/", serve_http(routes, None)))
    })
    .clone()
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find("-->").unwrap() + 3..];
    }
    out + rest
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        let from = i + open.len();
        let to = from + rest[from..].find(close).unwrap();
        out.push(&rest[from..to]);
        rest = &rest[to + close.len()..];
    }
    out
}

/// What the XML says, read as plain text: (kind, host, port, security,
/// username, auth) per server, placeholders filled by hand.
fn expected(
    text: &str,
    tag: &str,
    email: &str,
) -> Vec<(String, String, u16, String, String, Vec<String>)> {
    let (local, domain) = email.split_once('@').unwrap();
    between(
        &strip_comments(text),
        &format!("<{tag} type=\""),
        &format!("</{tag}>"),
    )
    .into_iter()
    .map(|b| {
        let one = |f: &str| {
            between(b, &format!("<{f}>"), &format!("</{f}>"))
                .first()
                .map(|s| s.trim().to_string())
        };
        let security = match one("socketType").as_deref() {
            Some("SSL") => "tls",
            Some("STARTTLS") => "starttls",
            _ => "none",
        };
        let user = one("username")
            .unwrap_or("%EMAILADDRESS%".into())
            .replace("%EMAILADDRESS%", email)
            .replace("%EMAILLOCALPART%", local)
            .replace("%EMAILDOMAIN%", domain);
        let auth = between(b, "<authentication>", "</authentication>")
            .iter()
            .map(|s| s.trim().to_string())
            .collect();
        (
            b[..b.find('"').unwrap()].to_string(),
            one("hostname").unwrap(),
            one("port").unwrap().parse().unwrap(),
            security.to_string(),
            user,
            auth,
        )
    })
    .collect()
}

fn check_against_xml(c: &Candidate, text: &str, email: &str, what: &str) {
    let inc: Vec<_> = expected(text, "incomingServer", email)
        .into_iter()
        .filter(|s| s.0 == "imap" || s.0 == "pop3")
        .collect();
    let got: Vec<_> = c
        .incoming
        .iter()
        .map(|s| {
            (
                s.protocol.to_string(),
                s.host.clone(),
                s.port,
                s.security.to_string(),
                s.username.clone(),
                s.auth.clone(),
            )
        })
        .collect();
    assert_eq!(got, inc, "{what}: incoming");
    let out = expected(text, "outgoingServer", email);
    let got: Vec<_> = c
        .outgoing
        .iter()
        .map(|s| {
            (
                "smtp".to_string(),
                s.host.clone(),
                s.port,
                s.security.to_string(),
                s.username.clone(),
                s.auth.clone(),
            )
        })
        .collect();
    assert_eq!(got, out, "{what}: outgoing");
}

#[test]
fn every_sample_provider_comes_out_as_its_xml_says() {
    let base = ispdb_server().unwrap_or_else(|| panic!("the ISPDB fixtures are at {SAMPLE}"));
    let map = ispdb_by_domain().unwrap_or_else(|| panic!("the ISPDB fixtures are at {SAMPLE}"));
    let mut o = opts(&[Source::Ispdb]);
    o.ispdb_url = base.clone();
    let mut files = std::collections::BTreeSet::new();
    for (domain, (file, text)) in map {
        let email = format!("jean.dupont@{domain}");
        let r = run(&email, &o);
        assert_eq!(
            r.sources[0].status,
            SourceStatus::Ok,
            "{domain}: {:?}",
            r.sources
        );
        assert_eq!(r.candidates.len(), 1, "{domain}");
        let c = &r.candidates[0];
        assert_eq!(c.source, Source::Ispdb);
        assert_eq!(c.origin, format!("{base}{domain}"));
        assert!(!c.secure, "served over plain http here");
        check_against_xml(c, text, &email, &format!("{file} as {domain}"));
        let acct = c.to_account(&email);
        assert!(
            acct.validate().is_empty(),
            "{domain}: {:?}",
            acct.validate()
        );
        files.insert(file.clone());
    }
    assert_eq!(files.len(), 20);
    // The JSON shape, exactly.
    let r = run("alice@free.fr", &o);
    let v = serde_json::to_value(&r).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), ["candidates", "elapsed_ms", "email", "sources"]);
    assert_eq!(
        keys(&v["candidates"][0]),
        ["incoming", "origin", "outgoing", "secure", "source"]
    );
    assert_eq!(
        keys(&v["candidates"][0]["incoming"][0]),
        ["auth", "host", "port", "protocol", "security", "username"]
    );
    assert_eq!(
        keys(&v["candidates"][0]["outgoing"][0]),
        ["auth", "host", "port", "security", "username"]
    );
    assert_eq!(keys(&v["sources"][0]), ["detail", "ms", "source", "status"]);
    assert_eq!(v["candidates"][0]["incoming"][0]["username"], "alice");
    assert_eq!(v["candidates"][0]["incoming"][0]["security"], "tls");
    // Unknown domain: "none".
    let r = run("a@unknown-domain.test", &o);
    assert_eq!(r.sources[0].status, SourceStatus::None);
    assert!(r.candidates.is_empty());
}

/// dnsmasq on a free loopback port with the records of these tests.
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

fn dnsmasq() -> Option<&'static SocketAddr> {
    static DNS: OnceLock<Option<Dns>> = OnceLock::new();
    DNS.get_or_init(|| {
        let bin = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"]
            .into_iter()
            .find(|p| Path::new(p).exists())?;
        let port = UdpSocket::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let args = [
            "-k".to_string(),
            "--conf-file=/dev/null".into(),
            format!("--port={port}"),
            "--listen-address=127.0.0.1".into(),
            "--bind-interfaces".into(),
            "--no-resolv".into(),
            "--no-hosts".into(),
            "--pid-file=".into(),
            "--local=/example.test/".into(),
            "--local=/custom.test/".into(),
            "--local=/srv.test/".into(),
            "--srv-host=_imaps._tcp.srv.test,imap.srv.test,993,0,10".into(),
            "--srv-host=_imap._tcp.srv.test,imap-b.srv.test,143,10,5".into(),
            "--srv-host=_imap._tcp.srv.test,imap-a.srv.test,143,0,5".into(),
            "--srv-host=_submission._tcp.srv.test,smtp.srv.test,587,0,1".into(),
            "--srv-host=_pop3._tcp.srv.test".into(),
            "--mx-host=custom.test,mx1.naver.com,10".into(),
            "--local=/workspace.test/".into(),
            "--mx-host=workspace.test,alt1.aspmx.l.google.com,5".into(),
            "--mx-host=workspace.test,aspmx.l.google.com,1".into(),
            "--local=/contoso.test/".into(),
            "--mx-host=contoso.test,contoso-test.mail.protection.outlook.com,0".into(),
            "--mx-host=custom.test,backup.other.test,20".into(),
            "--address=/mail.example.test/127.0.0.1".into(),
            "--address=/imap.example.test/127.0.0.1".into(),
            "--address=/smtp.example.test/127.0.0.1".into(),
        ];
        let child = Command::new(bin)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        // Statics are never dropped: a watcher ends dnsmasq with this process.
        let watch = format!(
            "while kill -0 {} 2>/dev/null; do sleep 0.5; done; kill {}",
            std::process::id(),
            child.id()
        );
        let _ = Command::new("sh")
            .args(["-c", &watch])
            .stdin(Stdio::null())
            .spawn();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        // Ready when it answers on TCP.
        let t0 = Instant::now();
        while TcpStream::connect(addr).is_err() && t0.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Dns { child, addr })
    })
    .as_ref()
    .map(|d| &d.addr)
}

#[test]
fn srv_records_in_rfc_order() {
    let dns = dnsmasq().expect(NO_DNSMASQ);
    let mut o = opts(&[Source::Srv]);
    o.dns_server = Some(*dns);
    let r = run("bob@srv.test", &o);
    assert_eq!(r.sources[0].status, SourceStatus::Ok, "{:?}", r.sources);
    let c = &r.candidates[0];
    assert!(!c.secure);
    let inc: Vec<_> = c
        .incoming
        .iter()
        .map(|s| (s.protocol, s.host.as_str(), s.port, s.security))
        .collect();
    assert_eq!(
        inc,
        [
            (Protocol::Imap, "imap.srv.test", 993, Security::Tls),
            (Protocol::Imap, "imap-a.srv.test", 143, Security::Starttls),
            (Protocol::Imap, "imap-b.srv.test", 143, Security::Starttls),
        ],
        "the '.' target of _pop3 means not offered"
    );
    assert_eq!(c.outgoing.len(), 1);
    assert_eq!(
        (
            c.outgoing[0].host.as_str(),
            c.outgoing[0].port,
            c.outgoing[0].security
        ),
        ("smtp.srv.test", 587, Security::Starttls)
    );
    assert_eq!(c.incoming[0].username, "bob@srv.test");
    // No record at all: none.
    let r = run("bob@example.test", &o);
    assert_eq!(r.sources[0].status, SourceStatus::None, "{:?}", r.sources);
}

#[test]
fn mx_of_a_custom_domain_gives_its_host_settings() {
    let dns = dnsmasq().expect(NO_DNSMASQ);
    let base = ispdb_server().unwrap_or_else(|| panic!("the ISPDB fixtures are at {SAMPLE}"));
    let mut o = opts(&[Source::Mx, Source::Ispdb]);
    o.dns_server = Some(*dns);
    o.ispdb_url = base;
    o.stop_early = false;
    let r = run("carol@custom.test", &o);
    assert_eq!(
        r.sources
            .iter()
            .find(|s| s.source == Source::Ispdb)
            .unwrap()
            .status,
        SourceStatus::None
    );
    let mx = r.sources.iter().find(|s| s.source == Source::Mx).unwrap();
    assert_eq!(mx.status, SourceStatus::Ok, "{mx:?}");
    let c = &r.candidates[0];
    assert_eq!(c.source, Source::Mx);
    assert!(
        c.origin.contains("mx1.naver.com") && c.origin.ends_with("/naver.com"),
        "{}",
        c.origin
    );
    assert!(!c.secure, "inferred from unauthenticated DNS");
    let text = &ispdb_by_domain().unwrap()["naver.com"].1;
    check_against_xml(c, text, "carol@custom.test", "naver via MX");
}

/// Google Workspace and Microsoft 365 domains get their provider's preset
/// from their MX alone, offline (the ISPDB is not reachable here).
#[test]
fn mx_of_hosted_domains_maps_to_the_provider_preset_offline() {
    let dns = dnsmasq().expect(NO_DNSMASQ);
    let mut o = opts(&[Source::Mx]);
    o.dns_server = Some(*dns);
    for (email, preset, imap) in [
        ("eve@workspace.test", "preset:gmail", "imap.gmail.com"),
        (
            "eve@contoso.test",
            "preset:outlook",
            "outlook.office365.com",
        ),
    ] {
        let r = run(email, &o);
        assert_eq!(
            r.sources[0].status,
            SourceStatus::Ok,
            "{email}: {:?}",
            r.sources
        );
        let c = &r.candidates[0];
        assert!(c.origin.ends_with(preset), "{email}: {}", c.origin);
        assert_eq!(c.incoming[0].host, imap, "{email}");
        assert!(!c.secure, "{email}: inferred from unauthenticated DNS");
    }
}

/// A document like Microsoft 365's (servers of types mailwiz does not
/// speak first) is read: its IMAP/POP3/SMTP servers are the settings, and
/// the others come back as warnings.
#[test]
fn an_ispdb_entry_with_exchange_servers_gives_its_mail_servers() {
    let xml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/clientconfig/office365.com.xml"
    ))
    .expect("the fixture is part of the repository");
    let routes: Routes = Arc::new(move |p: &str| (p == "/v1.1/contoso.test").then(|| xml.clone()));
    let mut o = opts(&[Source::Ispdb]);
    o.ispdb_url = format!("http://{}/v1.1/", serve_http(routes, None));
    let r = run("eve@contoso.test", &o);
    assert_eq!(r.sources[0].status, SourceStatus::Ok, "{:?}", r.sources);
    let c = &r.candidates[0];
    let got: Vec<_> = c.incoming.iter().map(|s| (s.protocol, s.port)).collect();
    assert_eq!(got, [(Protocol::Imap, 993), (Protocol::Pop3, 995)]);
    assert_eq!(c.outgoing[0].host, "smtp.office365.com");
    let kinds: Vec<&str> = c.skipped.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(kinds, ["exchange", "ews", "owa", "graph", "ews"]);
}

#[test]
fn provider_autoconfig_https_first_http_last_and_a_hanging_source() {
    let env = common::mailenv();
    let xml = |host: &str| {
        format!(
            "<clientConfig version=\"1.1\"><emailProvider id=\"auto.test\"><domain>auto.test</domain>\
             <incomingServer type=\"imap\"><hostname>{host}</hostname><port>993</port><socketType>SSL</socketType>\
             <username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication></incomingServer>\
             <outgoingServer type=\"smtp\"><hostname>{host}</hostname><port>465</port><socketType>SSL</socketType>\
             <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>\
             </emailProvider></clientConfig>"
        )
    };
    let (https_xml, http_xml) = (xml("imap.secure.test"), xml("imap.plain.test"));
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen2 = seen.clone();
    let routes: Routes = Arc::new(move |p: &str| {
        seen2.lock().unwrap().push(p.to_string());
        p.starts_with("/mail/config-v1.1.xml?emailaddress=dan%40auto.test")
            .then(|| https_xml.clone())
    });
    let tls = tls_config(&env.dir);
    let https = serve_http(routes, Some(tls));
    let plain = serve_http(
        Arc::new(move |p: &str| p.contains("/.well-known/").then(|| http_xml.clone())),
        None,
    );
    let hang = TcpListener::bind("127.0.0.1:0").unwrap();
    let hang_addr = hang.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut keep = Vec::new();
        for s in hang.incoming().flatten() {
            keep.push(s); // accepted, never answered
        }
    });
    let mut o = opts(&[Source::Autoconfig]);
    o.ca_file = Some(env.ca.clone());
    // https via "localhost" (in the test certificate), then plain http.
    o.autoconfig_urls = vec![
        format!(
            "https://localhost:{}/mail/config-v1.1.xml?emailaddress={{email}}",
            https.port()
        ),
        format!("http://{plain}/{{domain}}/.well-known/autoconfig/mail/config-v1.1.xml"),
    ];
    let r = run("dan@auto.test", &o);
    let c = &r.candidates[0];
    assert!(c.secure, "{r:?}");
    assert_eq!(c.incoming[0].host, "imap.secure.test");
    assert_eq!(c.incoming[0].username, "dan");
    assert_eq!(c.outgoing[0].username, "dan@auto.test");
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|p| p.contains("emailaddress=dan%40auto.test"))
    );

    // Without the test CA the https server is not trusted: the http one
    // answers, marked insecure.
    o.ca_file = None;
    let r = run("dan@auto.test", &o);
    let c = &r.candidates[0];
    assert!(!c.secure);
    assert_eq!(c.incoming[0].host, "imap.plain.test");
    assert!(
        matches!(
            r.sources[0].detail,
            discover::SourceDetail::Document { secure: false, .. }
        ) && r.sources[0]
            .detail
            .to_string()
            .contains("not authenticated"),
        "{:?}",
        r.sources
    );

    // A source that hangs: the run still ends by the deadline, and says so.
    let (base, ()) = (ispdb_server(), ());
    let mut o = opts(&[Source::Autoconfig, Source::Ispdb]);
    o.autoconfig_urls = vec![format!("http://{hang_addr}/{{domain}}")];
    o.timeout = Duration::from_millis(1500);
    o.stop_early = false;
    if let Some(b) = base {
        o.ispdb_url = b;
    }
    let t0 = Instant::now();
    let r = run("dan@free.fr", &o);
    let took = t0.elapsed();
    assert!(took < Duration::from_millis(1500 + 300), "took {took:?}");
    assert!(took >= Duration::from_millis(1400), "took {took:?}");
    let auto = r
        .sources
        .iter()
        .find(|s| s.source == Source::Autoconfig)
        .unwrap();
    assert_eq!(auto.status, SourceStatus::Timeout, "{auto:?}");

    // With an early stop, a top-priority answer ends the run at once.
    if ispdb_server().is_some() {
        o.stop_early = true;
        let t0 = Instant::now();
        let r = run("dan@free.fr", &o);
        assert!(
            t0.elapsed() < Duration::from_millis(700),
            "{:?}",
            t0.elapsed()
        );
        assert_eq!(r.candidates[0].source, Source::Ispdb);
        let auto = r
            .sources
            .iter()
            .find(|s| s.source == Source::Autoconfig)
            .unwrap();
        assert_eq!(auto.status, SourceStatus::Timeout);
        assert_eq!(
            auto.detail,
            discover::SourceDetail::StoppedEarly,
            "{auto:?}"
        );
    }
}

#[test]
fn guessing_finds_only_the_ports_that_answer() {
    let dns = dnsmasq().expect(NO_DNSMASQ);
    let env = common::mailenv();
    let mut o = opts(&[Source::Guess]);
    o.dns_server = Some(*dns);
    o.ca_file = Some(env.ca.clone());
    o.timeout = Duration::from_secs(4);
    o.guess_ports = BTreeMap::from([
        (993, env.imaps_port),
        (143, env.imap_port),
        (995, env.pop3s_port),
        (110, env.closed_port),
        (465, env.smtps_port),
        (587, env.tarpit_port),
    ]);
    let t0 = Instant::now();
    let r = run("alice@example.test", &o);
    assert!(t0.elapsed() < Duration::from_millis(4500));
    assert_eq!(r.sources[0].status, SourceStatus::Ok, "{:?}", r.sources);
    let c = &r.candidates[0];
    let inc: Vec<_> = c
        .incoming
        .iter()
        .map(|s| (s.protocol, s.host.as_str(), s.port, s.security))
        .collect();
    // imap.example.test answers too, but its certificate is not for that
    // name; mail.example.test is in the certificate.
    assert_eq!(
        inc,
        [
            (
                Protocol::Imap,
                "mail.example.test",
                env.imaps_port,
                Security::Tls
            ),
            (
                Protocol::Imap,
                "mail.example.test",
                env.imap_port,
                Security::Starttls
            ),
            (
                Protocol::Pop3,
                "mail.example.test",
                env.pop3s_port,
                Security::Tls
            ),
        ]
    );
    let out: Vec<_> = c
        .outgoing
        .iter()
        .map(|s| (s.host.as_str(), s.port, s.security))
        .collect();
    assert_eq!(
        out,
        [("mail.example.test", env.smtps_port, Security::Tls)],
        "the silent 587 gives nothing"
    );
    assert!(
        c.incoming[0]
            .auth
            .contains(&"password-cleartext".to_string()),
        "{:?}",
        c.incoming[0].auth
    );
    assert_eq!(c.incoming[0].username, "alice@example.test");
    let acct = c.to_account("alice@example.test");
    assert_eq!(acct.incoming.port, env.imaps_port);
}
