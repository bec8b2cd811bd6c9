use super::*;
use crate::account::{Protocol, Security};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/detect")
}

fn full() -> DetectReport {
    scan(&ScanRoots::for_home(&fixtures().join("home")))
}

fn by(r: &DetectReport, client: Client) -> Vec<&DetectedAccount> {
    r.accounts.iter().filter(|a| a.client == client).collect()
}

/// (protocol, host, port, security, username) of the incoming server.
fn inc(a: &DetectedAccount) -> (Protocol, &str, u16, Security, &str) {
    let i = a.incoming.as_ref().expect("an incoming server");
    (i.protocol, &i.host, i.port, i.security, &i.username)
}

fn out(a: &DetectedAccount) -> (&str, u16, Security, &str) {
    let o = a.outgoing.as_ref().expect("an outgoing server");
    (&o.host, o.port, o.security, &o.username)
}

#[test]
fn thunderbird_pop_and_imap_side_by_side() {
    let r = full();
    let tb = by(&r, Client::Thunderbird);
    assert_eq!(tb.len(), 2, "{tb:#?}");
    assert_eq!(tb[0].email, "alice@free.fr");
    assert_eq!(tb[0].protocol, DetectedProtocol::Imap);
    assert_eq!(
        inc(tb[0]),
        (Protocol::Imap, "imap.free.fr", 993, Security::Tls, "alice")
    );
    assert_eq!(out(tb[0]), ("smtp.free.fr", 465, Security::Tls, "alice"));
    assert_eq!(tb[1].email, "alice@example.org");
    assert_eq!(tb[1].protocol, DetectedProtocol::Pop3);
    assert_eq!(
        inc(tb[1]),
        (
            Protocol::Pop3,
            "pop.example.org",
            110,
            Security::Starttls,
            "alice@example.org"
        )
    );
    assert_eq!(
        out(tb[1]),
        (
            "smtp.example.org",
            587,
            Security::Starttls,
            "alice@example.org"
        )
    );
    assert!(
        tb[0]
            .file
            .ends_with(".thunderbird/k2x9.default-release/prefs.js")
    );
}

#[test]
fn evolution_links_account_identity_and_transport() {
    let r = full();
    let evo = by(&r, Client::Evolution);
    assert_eq!(evo.len(), 1, "{evo:#?}");
    assert_eq!(evo[0].email, "alice@gmail.com");
    assert_eq!(
        inc(evo[0]),
        (
            Protocol::Imap,
            "imap.gmail.com",
            993,
            Security::Tls,
            "alice@gmail.com"
        )
    );
    assert_eq!(
        out(evo[0]),
        ("smtp.gmail.com", 587, Security::Starttls, "alice@gmail.com")
    );
    assert!(evo[0].file.ends_with("1700000000.1234.1@laptop.source"));
}

#[test]
fn msmtp_accounts_with_defaults_and_inheritance() {
    let r = full();
    let m = by(&r, Client::Msmtp);
    let names: Vec<&str> = m.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["gmail", "free", "lan"], "{m:#?}");
    assert!(m.iter().all(|a| a.protocol == DetectedProtocol::SmtpOnly));
    assert_eq!(
        out(m[0]),
        ("smtp.gmail.com", 587, Security::Starttls, "alice@gmail.com")
    );
    assert_eq!(m[0].email, "alice@gmail.com");
    assert_eq!(out(m[1]), ("smtp.free.fr", 465, Security::Tls, "alice"));
    assert_eq!(m[1].email, "alice@free.fr");
    assert_eq!(out(m[2]), ("192.168.1.2", 25, Security::None, "alice"));
    assert_eq!(m[2].outgoing.as_ref().unwrap().auth, ["none"]);
}

#[test]
fn mbsync_accounts() {
    let r = full();
    let m = by(&r, Client::Mbsync);
    assert_eq!(m.len(), 2, "{m:#?}");
    assert_eq!(
        inc(m[0]),
        (
            Protocol::Imap,
            "imap.gmail.com",
            993,
            Security::Tls,
            "alice@gmail.com"
        )
    );
    assert_eq!(m[0].email, "alice@gmail.com");
    assert_eq!(
        inc(m[1]),
        (
            Protocol::Imap,
            "mail.example.org",
            143,
            Security::Starttls,
            "alice smith"
        )
    );
    assert_eq!(m[1].email, "");
    assert!(m[1].outgoing.is_none());
}

#[test]
fn mutt_main_sourced_and_hooked_accounts() {
    let r = full();
    let m = by(&r, Client::Mutt);
    assert_eq!(m.len(), 3, "{m:#?}");
    assert_eq!(
        inc(m[0]),
        (Protocol::Imap, "imap.free.fr", 993, Security::Tls, "alice")
    );
    assert_eq!(m[0].email, "alice@free.fr");
    assert_eq!(out(m[0]), ("smtp.free.fr", 465, Security::Tls, "alice"));
    // the POP box is listed by `mailboxes` at the top, before the sourced file
    assert_eq!(
        inc(m[1]),
        (Protocol::Pop3, "pop.example.net", 995, Security::Tls, "bob")
    );
    assert_eq!(m[1].email, "bob@example.net");
    assert_eq!(
        out(m[1]),
        ("smtp.example.net", 587, Security::Starttls, "bob")
    );
    assert_eq!(
        inc(m[2]),
        (
            Protocol::Imap,
            "mail.example.org",
            143,
            Security::Starttls,
            "alice@example.org"
        )
    );
    assert_eq!(m[2].email, "alice@example.org");
    assert!(m[2].file.ends_with(".mutt/work.muttrc"));
    assert_eq!(
        out(m[2]),
        (
            "mail.example.org",
            587,
            Security::Starttls,
            "alice@example.org"
        )
    );
}

#[test]
fn aerc_accounts() {
    let r = full();
    let a = by(&r, Client::Aerc);
    assert_eq!(a.len(), 2, "{a:#?}");
    assert_eq!(a[0].name, "Personal");
    assert_eq!(a[0].email, "alice@fastmail.com");
    assert_eq!(
        inc(a[0]),
        (
            Protocol::Imap,
            "imap.fastmail.com",
            993,
            Security::Tls,
            "alice@fastmail.com"
        )
    );
    assert_eq!(
        out(a[0]),
        (
            "smtp.fastmail.com",
            465,
            Security::Tls,
            "alice@fastmail.com"
        )
    );
    assert_eq!(a[1].name, "Work");
    assert_eq!(
        inc(a[1]),
        (Protocol::Imap, "10.0.0.5", 1143, Security::None, "alice")
    );
    assert_eq!(out(a[1]), ("10.0.0.5", 1025, Security::Starttls, "alice"));
}

#[test]
fn himalaya_accounts() {
    let r = full();
    let h = by(&r, Client::Himalaya);
    assert_eq!(h.len(), 2, "{h:#?}");
    assert_eq!(h[0].name, "personal");
    assert_eq!(
        inc(h[0]),
        (
            Protocol::Imap,
            "posteo.de",
            993,
            Security::Tls,
            "alice@posteo.de"
        )
    );
    assert_eq!(
        out(h[0]),
        ("posteo.de", 587, Security::Starttls, "alice@posteo.de")
    );
    assert_eq!(h[1].name, "work");
    assert_eq!(
        inc(h[1]),
        (
            Protocol::Imap,
            "mail.example.org",
            143,
            Security::Starttls,
            "alice"
        )
    );
    assert!(h[1].outgoing.is_none());
}

#[test]
fn fetchmail_polls() {
    let r = full();
    let f = by(&r, Client::Fetchmail);
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(
        inc(f[0]),
        (
            Protocol::Pop3,
            "pop.orange.fr",
            995,
            Security::Tls,
            "alice.l"
        )
    );
    assert_eq!(f[0].protocol, DetectedProtocol::Pop3);
    assert_eq!(
        inc(f[1]),
        (
            Protocol::Imap,
            "imap.example.net",
            143,
            Security::None,
            "alice@example.net"
        )
    );
    assert_eq!(f[1].email, "alice@example.net");
}

#[test]
fn a_full_home_has_no_warnings_and_no_password() {
    let r = full();
    assert!(r.warnings.is_empty(), "{:#?}", r.warnings);
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("SECRET"), "a password leaked: {json}");
    assert!(
        !json.contains("pass show"),
        "a password command leaked: {json}"
    );
}

#[test]
fn an_empty_home_gives_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let r = scan(&ScanRoots::for_home(dir.path()));
    assert_eq!(r, DetectReport::default());
}

#[test]
fn broken_files_warn_by_name_and_the_rest_is_reported() {
    let home = fixtures().join("broken");
    let r = scan(&ScanRoots::for_home(&home));
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("SECRET"), "{json}");
    // prefs.js: two bad lines, the server still found (port from the default)
    let tb = by(&r, Client::Thunderbird);
    assert_eq!(tb.len(), 1);
    assert_eq!(
        inc(tb[0]),
        (
            Protocol::Imap,
            "imap.free.fr",
            993,
            Security::Tls,
            "alice@free.fr"
        )
    );
    let warned = |c: Client| {
        r.warnings
            .iter()
            .filter(|w| w.client == c)
            .map(|w| {
                (
                    w.file.file_name().unwrap().to_string_lossy().into_owned(),
                    w.line,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        warned(Client::Thunderbird),
        [
            ("prefs.js".to_string(), Some(3)),
            ("prefs.js".to_string(), Some(4))
        ]
    );
    assert_eq!(
        warned(Client::Himalaya),
        [("config.toml".to_string(), Some(1))]
    );
    assert_eq!(warned(Client::Msmtp), [(".msmtprc".to_string(), Some(3))]);
    assert!(r.warnings.iter().all(|w| w.kind == WarningKind::Malformed));
    // msmtp: the account is still there, with the default port
    assert_eq!(
        out(by(&r, Client::Msmtp)[0]),
        ("smtp.ok.example", 25, Security::None, "")
    );
}

#[test]
fn an_unreadable_file_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    // a folder where a file should be: unreadable even for root
    std::fs::create_dir(dir.path().join(".msmtprc")).unwrap();
    std::fs::write(
        dir.path().join(".fetchmailrc"),
        "poll pop.x.org proto pop3 user bob pass x\n",
    )
    .unwrap();
    let r = scan(&ScanRoots::for_home(dir.path()));
    assert_eq!(r.warnings.len(), 1, "{:#?}", r.warnings);
    assert_eq!(r.warnings[0].kind, WarningKind::Unreadable);
    assert!(r.warnings[0].file.ends_with(".msmtprc"));
    assert_eq!(r.accounts.len(), 1);
    assert_eq!(
        inc(&r.accounts[0]),
        (Protocol::Pop3, "pop.x.org", 110, Security::None, "bob")
    );
}

#[test]
fn json_shape() {
    let r = full();
    let v = serde_json::to_value(&r).unwrap();
    let a = &v["accounts"][0];
    assert_eq!(a["client"], "thunderbird");
    assert_eq!(a["protocol"], "imap");
    assert_eq!(a["incoming"]["protocol"], "imap");
    assert_eq!(a["incoming"]["security"], "tls");
    assert_eq!(a["outgoing"]["port"], 465);
    let msmtp = v["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["client"] == "msmtp")
        .unwrap();
    assert_eq!(msmtp["protocol"], "smtp-only");
    assert!(msmtp["incoming"].is_null());
}

#[test]
fn fetchmail_auto_protocol_is_a_warning() {
    let p = parse_fetchmail("poll mail.x.org user bob\n", Path::new("f"));
    assert!(p.accounts.is_empty());
    assert_eq!(p.problems.len(), 1);
}

#[test]
fn mutt_plain_imap_without_starttls() {
    let p = parse_mutt(
        "set ssl_starttls=no\nset folder=imap://u@h/\n",
        Path::new("m"),
        &|_| None,
    );
    assert_eq!(
        inc(&p.accounts[0]),
        (Protocol::Imap, "h", 143, Security::None, "u")
    );
}
