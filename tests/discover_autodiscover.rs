#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Microsoft Autodiscover and the one trust policy, against loopback HTTPS
//! servers with the mail harness's test CA: the v2 JSON pointer, POX
//! answers, redirects that need the user's word, an Exchange without
//! IMAP/POP, hostile answers; and a CA in the system store trusted for
//! autoconfig. Nothing here touches the internet.

mod common;
#[path = "discover_support/mod.rs"]
mod support;

use mailwiz::account::Security;
use mailwiz::discover::{self, DiscoverOptions, Source, SourceStatus};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use support::{
    RawRoutes, Routes, http_ok, http_redirect, opts, run, serve_http, serve_raw, tls_config,
};

/// `mailwiz discover --json` for an https-only autoconfig on loopback,
/// with this environment (a separate process: the system store is read
/// once per process).
fn discover_cli(url: &str, env: &[(&str, &Path)], extra: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = common::mailwiz(&dir.path().join("accounts.toml"));
    cmd.args([
        "discover",
        "--json",
        "--sources",
        "autoconfig",
        "--timeout",
        "5",
    ])
    .arg("--autoconfig-url")
    .arg(url)
    .args(extra)
    .arg("eve@trust.test")
    .env_remove("SSL_CERT_FILE")
    .env_remove("SSL_CERT_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// One trust policy: a CA in the system store (here `SSL_CERT_FILE`, the
/// override every TLS client of the system honours) is trusted for
/// autoconfig over https, as it is for IMAP; without it, or with it only
/// as `--ca-file`, the outcome says the certificate is not trusted or the
/// document is found.
#[test]
fn a_company_ca_in_the_system_store_is_trusted_for_autoconfig() {
    let env = common::mailenv();
    let xml = "<clientConfig version=\"1.1\"><emailProvider id=\"trust.test\"><domain>trust.test</domain>\
         <incomingServer type=\"imap\"><hostname>imap.trust.test</hostname><port>993</port><socketType>SSL</socketType>\
         <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>\
         <outgoingServer type=\"smtp\"><hostname>smtp.trust.test</hostname><port>465</port><socketType>SSL</socketType>\
         <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>\
         </emailProvider></clientConfig>"
        .to_string();
    let https = serve_http(
        Arc::new(move |p: &str| p.starts_with("/mail/").then(|| xml.clone())),
        Some(tls_config(&env.dir)),
    );
    let url = format!("https://localhost:{}/mail/config-v1.1.xml", https.port());
    let empty = tempfile::tempdir().unwrap();

    // The test CA as the system store.
    let v = discover_cli(
        &url,
        &[("SSL_CERT_FILE", &env.ca), ("SSL_CERT_DIR", empty.path())],
        &[],
    );
    assert_eq!(v["sources"][0]["status"], "ok", "{v}");
    assert_eq!(v["candidates"][0]["secure"], true, "{v}");
    assert_eq!(
        v["candidates"][0]["incoming"][0]["host"], "imap.trust.test",
        "{v}"
    );

    // A system store without it: a typed certificate outcome, no document.
    let other_ca = env.dir.join("tls/self.crt");
    let v = discover_cli(
        &url,
        &[("SSL_CERT_FILE", &other_ca), ("SSL_CERT_DIR", empty.path())],
        &[],
    );
    assert_eq!(v["sources"][0]["status"], "error", "{v}");
    assert!(v["candidates"].as_array().unwrap().is_empty(), "{v}");
    let detail = v["sources"][0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("the server's certificate is not trusted"),
        "{detail}"
    );

    // The same CA given as the command's CA file works too.
    let ca = env.ca.display().to_string();
    let v = discover_cli(&url, &[("SSL_CERT_DIR", empty.path())], &["--ca-file", &ca]);
    assert_eq!(v["candidates"][0]["secure"], true, "{v}");
}

fn pox(account: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">\
         <Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">\
         <User><DisplayName>Eve</DisplayName></User><Account><AccountType>email</AccountType>{account}</Account>\
         </Response></Autodiscover>"
    )
}

const POX_MAIL: &str = "<Action>settings</Action>\
     <Protocol><Type>EXCH</Type><Server>ex01.corp.test</Server></Protocol>\
     <Protocol><Type>IMAP</Type><Server>mail.corp.test</Server><Port>993</Port><SSL>on</SSL><LoginName>eve@corp.test</LoginName></Protocol>\
     <Protocol><Type>SMTP</Type><Server>smtp.corp.test</Server><Port>587</Port><SSL>on</SSL><Encryption>TLS</Encryption></Protocol>";

/// Every request a test server saw: (path, body).
type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// A loopback Autodiscover service: the v2 JSON pointer, POX endpoints,
/// redirects, an Exchange-only mailbox, and hostile answers. Returns its
/// base URL and the (path, body) of every request.
fn autodiscover_server(dir: &Path) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let base: Arc<OnceLock<String>> = Arc::default();
    let (seen2, base2) = (seen.clone(), base.clone());
    let routes: RawRoutes = Arc::new(move |path: &str, body: &str| {
        seen2
            .lock()
            .unwrap()
            .push((path.to_string(), body.to_string()));
        let base = base2.get().cloned().unwrap_or_default();
        let route = path.split('?').next().unwrap_or("");
        match route {
            "/json" => http_ok(
                "application/json",
                &format!("{{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"{base}/pox\"}}"),
            ),
            "/pox" => http_ok("text/xml", &pox(POX_MAIL)),
            "/exchange-only" => http_ok(
                "text/xml",
                &pox(
                    "<Action>settings</Action><Protocol><Type>EXCH</Type><Server>ex01.corp.test</Server></Protocol>\
                      <Protocol><Type>WEB</Type></Protocol>",
                ),
            ),
            "/to-other" => http_redirect("https://mail.other.test/autodiscover/autodiscover.xml"),
            "/to-self" => http_redirect(&format!("{base}/pox")),
            "/to-plain" => http_redirect("http://localhost/pox"),
            "/redirect-addr" => http_ok(
                "text/xml",
                &pox("<Action>redirectAddr</Action><RedirectAddr>eve@other.test</RedirectAddr>"),
            ),
            "/huge" => http_ok("text/xml", &"<Autodiscover>".repeat(300_000)),
            "/deep" => http_ok("text/xml", &"<a>".repeat(50_000)),
            _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .to_string(),
        }
    });
    let addr = serve_raw(routes, tls_config(dir));
    let url = format!("https://localhost:{}", addr.port());
    base.set(url.clone()).unwrap();
    (url, seen)
}

fn autodiscover_opts(ca: &Path, base: &str, json: &str, pox: &[&str]) -> DiscoverOptions {
    let mut o = opts(&[Source::Autodiscover]);
    o.ca_file = Some(ca.to_path_buf());
    o.autodiscover_json_url = if json.is_empty() {
        String::new()
    } else {
        format!("{base}{json}")
    };
    o.autodiscover_urls = pox.iter().map(|p| format!("{base}{p}")).collect();
    o.autodiscover_http_url = String::new();
    o
}

#[test]
fn autodiscover_finds_the_servers_an_exchange_publishes() {
    let env = common::mailenv();
    let (base, seen) = autodiscover_server(&env.dir);
    // The v2 JSON pointer, then the POX answer it names (same host as the
    // address's domain here: "localhost").
    let o = autodiscover_opts(&env.ca, &base, "/json?email={email}", &[]);
    let r = run("eve@localhost", &o);
    assert_eq!(r.sources[0].status, SourceStatus::Ok, "{r:?}");
    let c = &r.candidates[0];
    assert_eq!((c.source, c.secure), (Source::Autodiscover, true));
    assert_eq!(c.origin, format!("{base}/pox"));
    assert_eq!(c.incoming[0].host, "mail.corp.test");
    assert_eq!(
        (c.incoming[0].port, c.incoming[0].security),
        (993, Security::Tls)
    );
    assert_eq!(c.incoming[0].username, "eve@corp.test");
    assert_eq!(
        (c.outgoing[0].port, c.outgoing[0].security),
        (587, Security::Starttls)
    );
    assert_eq!(c.outgoing[0].username, "eve@localhost");
    let seen = seen.lock().unwrap().clone();
    assert!(seen[0].0.contains("email=eve%40localhost"), "{seen:?}");
    assert!(
        seen[1]
            .1
            .contains("<EMailAddress>eve@localhost</EMailAddress>"),
        "{seen:?}"
    );
}

#[test]
fn autodiscover_asks_before_following_a_redirect_to_another_domain() {
    let env = common::mailenv();
    let (base, seen) = autodiscover_server(&env.dir);
    // An HTTP redirect from corp.test's endpoint to "localhost": another
    // domain, so not followed without the user's word.
    let mut o = autodiscover_opts(&env.ca, &base, "", &["/to-self"]);
    let r = run("eve@corp.test", &o);
    assert_eq!(r.sources[0].status, SourceStatus::None, "{r:?}");
    assert_eq!(
        r.sources[0].detail,
        discover::SourceDetail::RedirectNeedsConsent {
            host: "localhost".into()
        }
    );
    assert!(r.candidates.is_empty());
    assert_eq!(seen.lock().unwrap().len(), 1, "the redirect was followed");
    // Allowed: followed.
    o.autodiscover_allow = vec!["localhost".into()];
    let r = run("eve@corp.test", &o);
    assert_eq!(r.candidates[0].incoming[0].host, "mail.corp.test", "{r:?}");
    // A redirect address in another domain, and one to plain http.
    let o = autodiscover_opts(&env.ca, &base, "", &["/redirect-addr"]);
    let r = run("eve@localhost", &o);
    assert_eq!(
        r.sources[0].detail,
        discover::SourceDetail::RedirectNeedsConsent {
            host: "other.test".into()
        }
    );
    let o = autodiscover_opts(&env.ca, &base, "", &["/to-plain"]);
    let r = run("eve@localhost", &o);
    assert!(r.candidates.is_empty());
    assert!(
        r.sources[0].detail.to_string().contains("plain-http"),
        "{r:?}"
    );
}

#[test]
fn autodiscover_says_plainly_when_exchange_offers_no_imap() {
    let env = common::mailenv();
    let (base, _) = autodiscover_server(&env.dir);
    let o = autodiscover_opts(&env.ca, &base, "", &["/exchange-only"]);
    let r = run("eve@localhost", &o);
    assert_eq!(r.sources[0].status, SourceStatus::None, "{r:?}");
    assert_eq!(
        r.sources[0].detail,
        discover::SourceDetail::ExchangeOnly {
            host: "localhost".into()
        }
    );
    let fr = r.sources[0].detail.localized(mailwiz::i18n::Lang::Fr);
    assert!(
        fr.contains("DavMail") && fr.contains("ni IMAP ni POP3"),
        "{fr}"
    );
}

#[test]
fn autodiscover_hostile_answers_end_bounded() {
    let env = common::mailenv();
    let (base, _) = autodiscover_server(&env.dir);
    let t0 = Instant::now();
    let o = autodiscover_opts(&env.ca, &base, "", &["/huge", "/deep"]);
    let r = run("eve@localhost", &o);
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    assert!(r.candidates.is_empty());
    let discover::SourceDetail::Failed { failures } = &r.sources[0].detail else {
        panic!("{r:?}");
    };
    assert_eq!(failures[0].why, discover::Why::TooLarge, "{failures:?}");
    assert_eq!(
        failures[1].why,
        discover::Why::NotAutodiscover,
        "{failures:?}"
    );
    assert_eq!(r.sources[0].status, SourceStatus::Error);
}

#[test]
fn autodiscover_is_not_asked_when_the_ispdb_answered() {
    let env = common::mailenv();
    let doc = "<clientConfig version=\"1.1\"><emailProvider id=\"auto.test\"><domain>auto.test</domain>\
         <incomingServer type=\"imap\"><hostname>imap.auto.test</hostname><port>993</port><socketType>SSL</socketType>\
         <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>\
         <outgoingServer type=\"smtp\"><hostname>smtp.auto.test</hostname><port>465</port><socketType>SSL</socketType>\
         <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>\
         </emailProvider></clientConfig>";
    let ispdb: Routes = Arc::new(move |p: &str| (p == "/v1.1/auto.test").then(|| doc.to_string()));
    let base_ispdb = format!("http://{}/v1.1/", serve_http(ispdb, None));
    let (base, seen) = autodiscover_server(&env.dir);
    let mut o = autodiscover_opts(&env.ca, &base, "/json", &["/pox"]);
    o.sources = vec![Source::Ispdb, Source::Autodiscover];
    o.ispdb_url = base_ispdb;
    o.stop_early = false;
    let r = run("dan@auto.test", &o);
    let auto = r
        .sources
        .iter()
        .find(|s| s.source == Source::Autodiscover)
        .unwrap();
    assert_eq!(auto.detail, discover::SourceDetail::AutodiscoverNotNeeded);
    assert!(seen.lock().unwrap().is_empty(), "Autodiscover was asked");
    assert_eq!(r.candidates[0].source, Source::Ispdb);
}

/// The wizard with these discovery options, on "Settings found" for
/// `email`: the search it starts (id, options).
fn wizard_at_settings(
    o: DiscoverOptions,
    email: &str,
) -> (mailwiz::tui::App, u64, Box<DiscoverOptions>) {
    use crossterm::event::KeyCode;
    use mailwiz::tui::{App, AppOptions, Step, key, update};
    let mut ao = AppOptions::new(
        std::path::PathBuf::from("/home/eve/.config/mailwiz/accounts.toml"),
        mailwiz::i18n::Lang::En,
        Ok(mailwiz::config::Config::default()),
    );
    ao.discover = Some(o);
    let mut app = App::new(ao);
    update(&mut app, key(KeyCode::Enter));
    for c in "Eve".chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    update(&mut app, key(KeyCode::Tab));
    for c in email.chars() {
        update(&mut app, key(KeyCode::Char(c)));
    }
    let effects = update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.step, Step::SettingsFound);
    let (id, options) = discover_effect(effects);
    (app, id, options)
}

fn discover_effect(effects: Vec<mailwiz::tui::Effect>) -> (u64, Box<DiscoverOptions>) {
    match effects.as_slice() {
        [mailwiz::tui::Effect::Discover { id, options, .. }] => (*id, options.clone()),
        other => panic!("no search started: {other:?}"),
    }
}

/// The wizard asks before following a redirect to another domain; yes
/// runs discovery again with that domain allowed, and the servers the
/// other domain publishes fill the form.
#[test]
fn the_wizard_follows_a_redirect_after_the_user_said_yes() {
    use crossterm::event::KeyCode;
    use mailwiz::tui::{Msg, key, update};
    let env = common::mailenv();
    let (base, seen) = autodiscover_server(&env.dir);
    let o = autodiscover_opts(&env.ca, &base, "", &["/to-self"]);
    let (mut app, id, options) = wizard_at_settings(o, "eve@corp.test");
    let report = run("eve@corp.test", &options);
    update(
        &mut app,
        Msg::Discovered {
            id,
            report: Box::new(report),
        },
    );
    assert_eq!(seen.lock().unwrap().len(), 1, "followed without asking");
    let question = "Autodiscover for corp.test sends to another domain, localhost.";
    assert!(screen(&app).contains(question), "{}", screen(&app));
    assert!(app.form.discovered.is_none(), "nothing found yet");
    // Yes: the new search may follow the redirect, and finds the servers.
    let (id, options) = discover_effect(update(&mut app, key(KeyCode::Char('y'))));
    assert_eq!(options.autodiscover_allow, ["localhost"]);
    let report = run("eve@corp.test", &options);
    update(
        &mut app,
        Msg::Discovered {
            id,
            report: Box::new(report),
        },
    );
    let found = app.form.discovered.as_deref().expect("servers in the form");
    assert_eq!(found.source, Source::Autodiscover);
    assert_eq!(found.incoming[0].host, "mail.corp.test");
    assert_eq!(found.outgoing[0].host, "smtp.corp.test");
    assert!(!screen(&app).contains(question), "{}", screen(&app));
}

/// The wizard's screen, wide enough that no sentence wraps.
fn screen(app: &mailwiz::tui::App) -> String {
    use ratatui::{Terminal, backend::TestBackend};
    let mut t = Terminal::new(TestBackend::new(240, 40)).unwrap();
    t.draw(|f| mailwiz::tui::render(app, f)).unwrap();
    t.backend().to_string()
}
