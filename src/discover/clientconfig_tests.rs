use super::*;
use std::path::{Path, PathBuf};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ispdb");

fn sample_files() -> Vec<PathBuf> {
    let dir = Path::new(SAMPLE);
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!("the ISPDB fixtures are part of the repository ({SAMPLE}): {e}")
    });
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    files
}

/// A deliberately naive second reading of the same file: plain text search
/// for each server block and its fields, comments removed first.
struct Naive {
    domains: Vec<String>,
    incoming: Vec<(String, String, u16, String, String, Vec<String>)>,
    outgoing: Vec<(String, String, u16, String, String, Vec<String>)>,
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("-->").expect("comment closes") + i + 3;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn all_between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        let from = i + open.len();
        let to = rest[from..].find(close).expect("closes") + from;
        out.push(&rest[from..to]);
        rest = &rest[to + close.len()..];
    }
    out
}

fn naive(text: &str) -> Naive {
    let text = strip_comments(text);
    let block = |tag: &str| {
        all_between(&text, &format!("<{tag} type=\""), &format!("</{tag}>"))
            .into_iter()
            .map(|b| {
                let kind = b[..b.find('"').unwrap()].to_string();
                let one = |f: &str| {
                    all_between(b, &format!("<{f}>"), &format!("</{f}>"))
                        .first()
                        .map(|s| s.trim().to_string())
                        .unwrap_or_default()
                };
                let auth = all_between(b, "<authentication>", "</authentication>")
                    .into_iter()
                    .map(|s| s.trim().to_string())
                    .collect();
                (
                    kind,
                    one("hostname"),
                    one("port").parse().unwrap(),
                    one("socketType"),
                    one("username"),
                    auth,
                )
            })
            .collect::<Vec<_>>()
    };
    Naive {
        domains: all_between(&text, "<domain>", "</domain>")
            .into_iter()
            .map(|d| d.trim().to_ascii_lowercase())
            .collect(),
        incoming: block("incomingServer"),
        outgoing: block("outgoingServer"),
    }
}

fn socket_name(s: SocketType) -> &'static str {
    match s {
        SocketType::Ssl => "SSL",
        SocketType::Starttls => "STARTTLS",
        SocketType::Plain => "plain",
    }
}

#[test]
fn every_sample_file_reads_as_its_text_says() {
    let files = sample_files();
    assert_eq!(files.len(), 20, "the sample has 20 files");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let cfg = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(cfg.version.as_deref(), Some("1.1"), "{name}");
        assert_eq!(cfg.providers.len(), 1, "{name}");
        let p = &cfg.providers[0];
        let id = all_between(&text, "<emailProvider id=\"", "\"")[0];
        assert_eq!(p.id, id, "{name}: provider id");
        let stem = name.trim_end_matches(".xml");
        assert!(
            p.domains.iter().any(|d| d == stem),
            "{name}: its own domain"
        );
        let n = naive(&text);
        assert_eq!(p.domains, n.domains, "{name}: domains");
        for (got, want, side) in [
            (&p.incoming, &n.incoming, "in"),
            (&p.outgoing, &n.outgoing, "out"),
        ] {
            assert_eq!(got.len(), want.len(), "{name}: {side} count");
            for (g, w) in got.iter().zip(want) {
                assert_eq!(g.kind, w.0, "{name}");
                assert_eq!(g.hostname, w.1, "{name}");
                assert_eq!(g.port, w.2, "{name}");
                assert_eq!(socket_name(g.socket_type), w.3, "{name}");
                assert_eq!(g.username.clone().unwrap_or_default(), w.4, "{name}");
                assert_eq!(g.authentication, w.5, "{name}");
            }
        }
        assert!(!p.incoming.is_empty() && !p.outgoing.is_empty(), "{name}");
    }
}

#[test]
fn gmail_in_detail() {
    let text = std::fs::read_to_string(format!("{SAMPLE}/googlemail.com.xml")).unwrap();
    let cfg = parse(&text).unwrap();
    let p = &cfg.providers[0];
    assert_eq!(
        p.domains,
        [
            "gmail.com",
            "googlemail.com",
            "google.com",
            "jazztel.es",
            "nyu.edu"
        ]
    );
    assert_eq!(p.display_name.as_deref(), Some("Google Mail"));
    assert_eq!(p.incoming.len(), 2);
    assert_eq!(p.incoming[0].kind, "imap");
    assert_eq!(p.incoming[1].kind, "pop3");
    assert_eq!(p.incoming[1].leave_messages_on_server, Some(true));
    assert_eq!(
        p.incoming[0].authentication,
        ["OAuth2", "password-cleartext"]
    );
    assert_eq!(p.outgoing[0].hostname, "smtp.gmail.com");
    assert_eq!(p.outgoing[0].port, 465);
    assert_eq!(p.documentation.len(), 4);
    let o = cfg.oauth2.as_ref().unwrap();
    assert_eq!(o.issuer, "accounts.google.com");
    assert_eq!(o.token_url, "https://www.googleapis.com/oauth2/v3/token");
    let en = cfg.enable.as_ref().unwrap();
    assert_eq!(
        en.visit_url,
        "https://mail.google.com/mail/?ui=2&shva=1#settings/fwdandpop"
    );
    assert_eq!(en.instructions[0].1, "You need to enable IMAP access");
    assert!(
        cfg.webmail_url
            .as_deref()
            .unwrap()
            .contains("service=mail&continue=")
    );
}

#[test]
fn free_docs_in_two_languages() {
    let text = std::fs::read_to_string(format!("{SAMPLE}/free.fr.xml")).unwrap();
    let p = &parse(&text).unwrap().providers[0];
    let d = &p.documentation[0];
    assert_eq!(
        d.descriptions[0],
        ("en".into(), "How to set up Thunderbird with Free.fr".into())
    );
    assert_eq!(d.descriptions[1].0, "fr");
    assert_eq!(p.incoming[0].username.as_deref(), Some("%EMAILLOCALPART%"));
}

#[test]
fn placeholders() {
    let e = "alice@dd.iij4u.or.jp";
    assert_eq!(fill_placeholders("%EMAILADDRESS%", e), e);
    assert_eq!(fill_placeholders("%EMAILLOCALPART%", e), "alice");
    assert_eq!(
        fill_placeholders("%EMAILLOCALPART%.%EMAILDOMAIN%", e),
        "alice.dd.iij4u.or.jp"
    );
    assert_eq!(
        fill_placeholders("%EMAILDOMAIN%\\%EMAILLOCALPART%", e),
        "dd.iij4u.or.jp\\alice"
    );
    assert_eq!(fill_placeholders("fixed", e), "fixed");
}

const MINIMAL: &str = r#"<clientConfig version="1.1"><emailProvider id="x.test">
  <domain>X.test</domain><unknown><deep a="1">ignored</deep></unknown>
  <incomingServer type="IMAP"><hostname>imap.x.test</hostname><port>143</port>
    <socketType>plain</socketType><authentication>none</authentication><future/></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.x.test</hostname><port>25</port>
    <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>
    <authentication>client-IP-address</authentication><authentication>smtp-after-pop</authentication>
    <authentication>GSSAPI</authentication><authentication>NTLM</authentication>
    <authentication>TLS-client-cert</authentication><authentication>password-encrypted</authentication>
  </outgoingServer></emailProvider></clientConfig>"#;

#[test]
fn unknown_elements_are_skipped_and_every_auth_kept() {
    let cfg = parse(MINIMAL).unwrap();
    let p = &cfg.providers[0];
    assert_eq!(p.domains, ["x.test"]);
    assert_eq!(p.incoming[0].kind, "imap");
    assert_eq!(p.incoming[0].socket_type, SocketType::Plain);
    assert_eq!(p.incoming[0].authentication, ["none"]);
    assert_eq!(p.incoming[0].username, None);
    assert_eq!(p.outgoing[0].authentication.len(), 6);
    assert_eq!(p.outgoing[0].socket_type, SocketType::Starttls);
}

#[test]
fn malformed_input_is_an_error() {
    let bad = [
        "",
        "not xml at all",
        "<html><body/></html>",
        "<clientConfig><emailProvider id='a'>",
        "<clientConfig><emailProvider></clientConfig>",
        "<clientConfig></clientConfig>",
        "<clientConfig><emailProvider><domain>&nope;</domain></emailProvider></clientConfig>",
        "<clientConfig a='1' a='2'/>",
    ];
    for b in bad {
        assert!(parse(b).is_err(), "accepted: {b:?}");
    }
}

#[test]
fn truncations_never_panic() {
    let files = sample_files();
    for path in files.iter().take(5) {
        let text = std::fs::read_to_string(path).unwrap();
        for cut in (0..text.len())
            .step_by(7)
            .filter(|c| text.is_char_boundary(*c))
        {
            let _ = parse(&text[..cut]);
        }
        // Every strict prefix that cuts before the root closes is an error.
        let end = text.rfind("</clientConfig>").unwrap();
        assert!(parse(&text[..end]).is_err());
    }
}

#[test]
fn entities_and_cdata() {
    let x = "<clientConfig><emailProvider id='e'><domain>a&#46;test</domain>\
             <incomingServer type='pop3'><hostname><![CDATA[pop.a.test]]></hostname><port>995</port>\
             <socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>";
    let p = &parse(x).unwrap().providers[0];
    assert_eq!(p.domains, ["a.test"]);
    assert_eq!(p.incoming[0].hostname, "pop.a.test");
}
