//! Lookups by address and the accounts a preset gives.

use super::*;
use crate::account::{AuthMethod, Protocol, Security};

fn free() -> &'static Provider {
    by_id("free").expect("free preset")
}

#[test]
fn lookup_by_email() {
    assert_eq!(
        for_email("Alice@FREE.fr").map(|p| p.id.as_str()),
        Some("free")
    );
    assert_eq!(
        for_email("  bob@Wanadoo.FR ").map(|p| p.id.as_str()),
        Some("orange")
    );
    assert_eq!(for_email("c@neuf.fr").map(|p| p.id.as_str()), Some("sfr"));
    assert_eq!(
        for_email("c@cegetel.net").map(|p| p.id.as_str()),
        Some("sfr")
    );
    assert_eq!(
        for_email("c@club-internet.fr").map(|p| p.id.as_str()),
        Some("sfr")
    );
    assert_eq!(
        for_email("d@googlemail.com").map(|p| p.id.as_str()),
        Some("gmail")
    );
    assert_eq!(
        for_email("e@ymail.com").map(|p| p.id.as_str()),
        Some("yahoo")
    );
    assert_eq!(for_email("f@me.com").map(|p| p.id.as_str()), Some("icloud"));
    assert_eq!(for_email("g@gmx.de").map(|p| p.id.as_str()), Some("gmx"));
    assert_eq!(
        for_email("g@gmx.fr").map(|p| p.id.as_str()),
        Some("gmx_com")
    );
    assert_eq!(
        for_email("h@zohomail.eu").map(|p| p.id.as_str()),
        Some("zoho_eu")
    );
    assert_eq!(
        for_email("i@magenta.de").map(|p| p.id.as_str()),
        Some("tonline")
    );
    assert!(for_email("someone@example.com").is_none());
    assert!(for_email("free.fr").is_none());
    assert!(for_email("").is_none());
    // Only exact domains: no sub-domain or look-alike matches.
    assert!(for_email("a@mail.free.fr").is_none());
    assert!(for_email("a@notfree.fr").is_none());
    assert_eq!(by_id("free").map(|p| p.name.as_str()), Some("Free"));
    assert!(by_id("Free").is_none());
}

#[test]
fn account_for_uses_the_login_form() {
    let p = free();
    let a = p.account_for("alice@free.fr", None, None);
    assert_eq!(a.name, "alice@free.fr");
    assert_eq!(a.email, "alice@free.fr");
    assert_eq!(a.display_name, "");
    assert_eq!(a.provider.as_deref(), Some("free"));
    assert_eq!(a.incoming.protocol, Protocol::Imap);
    assert_eq!(
        (a.incoming.host.as_str(), a.incoming.port),
        ("imap.free.fr", 993)
    );
    assert_eq!(a.incoming.security, Security::Tls);
    assert_eq!(a.incoming.username, "alice");
    assert_eq!(a.incoming.auth, AuthMethod::Password);
    assert_eq!((a.smtp.host.as_str(), a.smtp.port), ("smtp.free.fr", 465));
    assert!(a.smtp.auth_required && a.smtp.same_password);
    assert_eq!(a.smtp.username, "alice");

    let a = p.account_for("alice@free.fr", Some(Protocol::Imap), Some("starttls"));
    assert_eq!(
        (a.incoming.port, a.incoming.security),
        (143, Security::Starttls)
    );
    assert_eq!(a.incoming.username, "alice@free.fr");
    assert_eq!((a.smtp.port, a.smtp.security), (587, Security::Starttls));
    assert_eq!(a.smtp.username, "alice@free.fr");

    let a = p.account_for("alice@free.fr", Some(Protocol::Pop3), Some("ssl"));
    assert_eq!(a.incoming.protocol, Protocol::Pop3);
    assert_eq!(
        (a.incoming.host.as_str(), a.incoming.port),
        ("pop.free.fr", 995)
    );
    assert!(a.incoming.keep_on_server);

    // POP3 with the STARTTLS variant: Free's POP server, full address.
    let v = p.variant(Some("starttls")).unwrap();
    assert!(v.offers(Protocol::Pop3));
    let a = p.account_for("alice@free.fr", Some(Protocol::Pop3), Some("starttls"));
    assert_eq!(
        (
            a.incoming.protocol,
            a.incoming.host.as_str(),
            a.incoming.port
        ),
        (Protocol::Pop3, "pop.free.fr", 995)
    );
    assert_eq!(a.incoming.username, "alice@free.fr");
    // An unknown variant falls back to the default one.
    let a = p.account_for("alice@free.fr", None, Some("nope"));
    assert_eq!(a.incoming.port, 993);

    let a = by_id("gmail")
        .unwrap()
        .account_for(" bob@gmail.com ", None, None);
    assert_eq!(a.email, "bob@gmail.com");
    assert_eq!(a.incoming.username, "bob@gmail.com");
    assert_eq!(a.smtp.username, "bob@gmail.com");
    let a = by_id("webde")
        .unwrap()
        .account_for("carl@web.de", None, None);
    assert_eq!(a.incoming.username, "carl");
    // iCloud has no POP3.
    let a = by_id("icloud")
        .unwrap()
        .account_for("d@icloud.com", Some(Protocol::Pop3), None);
    assert_eq!(a.incoming.protocol, Protocol::Imap);
}

#[test]
fn every_preset_gives_a_valid_account() {
    for p in all() {
        let email = format!("user.name@{}", p.domains[0]);
        for v in &p.variants {
            for proto in [None, Some(Protocol::Imap), Some(Protocol::Pop3)] {
                let a = p.account_for(&email, proto, Some(&v.id));
                assert_eq!(a.validate(), vec![], "{}/{}/{proto:?}", p.id, v.id);
                if let Some(proto) = proto
                    && v.offers(proto)
                {
                    assert_eq!(a.incoming.protocol, proto);
                }
                assert_eq!(a.incoming.username, v.login.username(&email));
                assert_eq!(a.smtp.username, a.incoming.username);
            }
        }
    }
}
