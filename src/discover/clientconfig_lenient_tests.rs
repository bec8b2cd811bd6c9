//! Each server read on its own, on the project's fixtures
//! (`tests/fixtures/clientconfig/`), and the bounds of the reader.

use super::*;
use crate::discover::{Candidate, Source};
use std::time::Instant;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/clientconfig/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn hosts(servers: &[ServerConfig]) -> Vec<(&str, &str, u16)> {
    servers
        .iter()
        .map(|s| (s.kind.as_str(), s.hostname.as_str(), s.port))
        .collect()
}

fn skipped(side: ServerSide, kind: &str, reason: SkipReason) -> SkippedServer {
    SkippedServer {
        side,
        kind: kind.into(),
        reason,
    }
}

#[test]
fn microsoft_365_keeps_its_mail_servers_and_skips_the_others() {
    let cfg = parse(&fixture("office365.com.xml")).expect("one bad server is not a bad document");
    let p = &cfg.providers[0];
    assert_eq!(
        hosts(&p.incoming),
        [
            ("imap", "outlook.office365.com", 993),
            ("pop3", "outlook.office365.com", 995)
        ]
    );
    assert_eq!(hosts(&p.outgoing), [("smtp", "smtp.office365.com", 587)]);
    assert_eq!(p.incoming[1].leave_messages_on_server, Some(true));
    use ServerSide::{Incoming, Outgoing};
    let unsupported = SkipReason::UnsupportedType;
    assert_eq!(
        cfg.skipped,
        [
            skipped(Incoming, "exchange", unsupported.clone()),
            skipped(Incoming, "ews", unsupported.clone()),
            skipped(Incoming, "owa", unsupported.clone()),
            skipped(Incoming, "graph", unsupported.clone()),
            skipped(Outgoing, "ews", unsupported),
        ]
    );
    let c = Candidate::from_client_config(&cfg, "a@contoso.test", Source::Ispdb, "x", true);
    assert!(c.is_usable());
    assert_eq!(c.incoming[0].host, "outlook.office365.com");
    assert_eq!(c.incoming[0].username, "a@contoso.test");
    assert_eq!(c.skipped.len(), 5, "the warnings travel with the settings");
}

#[test]
fn the_first_known_socket_type_wins() {
    let cfg = parse(&fixture("socket-types.xml")).unwrap();
    let p = &cfg.providers[0];
    assert_eq!(hosts(&p.incoming), [("imap", "imap.sockets.test", 143)]);
    assert_eq!(p.incoming[0].socket_type, SocketType::Starttls);
    assert_eq!(p.outgoing[0].socket_type, SocketType::Ssl);
    assert_eq!(
        p.incoming[0].authentication,
        ["GSSAPI", "password-cleartext"]
    );
    let bad = SkipReason::BadSocketType("quantum".into());
    assert_eq!(cfg.skipped, [skipped(ServerSide::Incoming, "pop3", bad)]);
}

#[test]
fn a_bad_server_among_good_ones_is_skipped_alone() {
    let cfg = parse(&fixture("bad-among-good.xml")).unwrap();
    let p = &cfg.providers[0];
    assert_eq!(hosts(&p.incoming), [("imap", "imap.mixed.test", 993)]);
    assert_eq!(p.incoming[0].username.as_deref(), Some("%EMAILLOCALPART%"));
    assert_eq!(hosts(&p.outgoing), [("smtp", "smtp.mixed.test", 587)]);
    use ServerSide::{Incoming, Outgoing};
    assert_eq!(
        cfg.skipped,
        [
            skipped(Incoming, "imap", SkipReason::NoHostname),
            skipped(Incoming, "imap", SkipReason::BadPort("99999".into())),
            skipped(Incoming, "pop3", SkipReason::NoHostname),
            skipped(Outgoing, "smtp", SkipReason::BadPort("abc".into())),
        ]
    );
}

#[test]
fn entities_cdata_and_comments_everywhere() {
    let cfg = parse(&fixture("entities-comments.xml")).unwrap();
    let p = &cfg.providers[0];
    assert_eq!(p.id, "ent&ities.test");
    assert_eq!(p.domains, ["entities.test", "alias.test"]);
    assert_eq!(p.display_name.as_deref(), Some("Tom & Jerry's <mail>"));
    assert_eq!(hosts(&p.incoming), [("imap", "imap.entities.test", 993)]);
    assert_eq!(p.incoming[0].socket_type, SocketType::Ssl);
    assert_eq!(
        p.incoming[0].username.as_deref(),
        Some("%EMAILLOCALPART%@entities.test")
    );
    assert_eq!(hosts(&p.outgoing), [("smtp", "smtp.entities.test", 465)]);
    assert!(cfg.skipped.is_empty(), "{:?}", cfg.skipped);
}

#[test]
fn a_server_alone_without_host_port_or_socket_type_is_skipped() {
    let wrap = |server: &str| {
        format!("<clientConfig><emailProvider>{server}</emailProvider></clientConfig>")
    };
    let cases = [
        (
            "<incomingServer type='imap'><port>1</port></incomingServer>",
            SkipReason::NoHostname,
        ),
        (
            "<incomingServer type='imap'><hostname>h</hostname><port>99999</port></incomingServer>",
            SkipReason::BadPort("99999".into()),
        ),
        (
            "<incomingServer type='imap'><hostname>h</hostname><port>1</port><socketType>weird</socketType></incomingServer>",
            SkipReason::BadSocketType("weird".into()),
        ),
        ("<incomingServer type='ews'/>", SkipReason::UnsupportedType),
        (
            "<outgoingServer type='imap'><hostname>h</hostname><port>1</port></outgoingServer>",
            SkipReason::UnsupportedType,
        ),
    ];
    for (server, reason) in cases {
        let cfg = parse(&wrap(server)).unwrap_or_else(|e| panic!("{server}: {e}"));
        assert_eq!(cfg.skipped.len(), 1, "{server}");
        assert_eq!(cfg.skipped[0].reason, reason, "{server}");
        assert!(cfg.providers[0].incoming.is_empty() && cfg.providers[0].outgoing.is_empty());
    }
}

/// 349k nested elements (the document) are refused for their
/// depth, before the reader does any quadratic work.
#[test]
fn a_very_deep_document_is_refused_for_its_depth() {
    let depth = 349_000;
    let mut xml = String::from("<clientConfig>");
    xml.push_str(&"<a>".repeat(depth));
    xml.push_str(&"</a>".repeat(depth));
    xml.push_str("</clientConfig>");
    assert!(xml.len() > MAX_DOCUMENT_BYTES / 2, "a big document");
    let t0 = Instant::now();
    assert_eq!(parse(&xml), Err(ConfigError::TooDeep));
    eprintln!("refused in {:?}", t0.elapsed());
    // Just under the bound is read (and ignored: unknown elements).
    let ok = format!(
        "<clientConfig><emailProvider>{}{}</emailProvider></clientConfig>",
        "<a>".repeat(MAX_DEPTH - 2),
        "</a>".repeat(MAX_DEPTH - 2)
    );
    assert!(parse(&ok).is_ok());
    let deep = ok
        .replacen("<a>", "<a><a>", 1)
        .replacen("</a>", "</a></a>", 1);
    assert_eq!(parse(&deep), Err(ConfigError::TooDeep));
}

#[test]
fn size_and_element_count_are_bounded() {
    let many = format!(
        "<clientConfig><emailProvider>{}</emailProvider></clientConfig>",
        "<x/>".repeat(MAX_ELEMENTS)
    );
    assert_eq!(parse(&many), Err(ConfigError::TooManyElements));
    let fewer = many.replacen("<x/>", "", 2);
    assert!(parse(&fewer).is_ok(), "exactly the bound is read");
    let big = format!(
        "<clientConfig><emailProvider>{}</emailProvider></clientConfig>",
        " ".repeat(MAX_DOCUMENT_BYTES)
    );
    assert_eq!(parse(&big), Err(ConfigError::TooLarge));
    // A long value is cut, not kept whole.
    let long = format!(
        "<clientConfig><emailProvider><displayName>{}</displayName></emailProvider></clientConfig>",
        "é".repeat(100_000)
    );
    let name = parse(&long).unwrap().providers[0]
        .display_name
        .clone()
        .unwrap();
    assert!(
        name.len() <= 4096 && name.starts_with('é'),
        "{}",
        name.len()
    );
}
