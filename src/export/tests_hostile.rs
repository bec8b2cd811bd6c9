//! Hostile values through the formats whose readers are parsers we have:
//! himalaya's TOML (the toml crate) and Thunderbird's XML (mailwiz's own
//! clientConfig reader). The real msmtp, neomutt and mbsync are in
//! `tests/export_hostile.rs`.

use super::tests::sample;
use super::*;

const HOSTILE: &[&str] = &[
    "Bob's mail",
    "it's \"quoted\"",
    r"back\slash\\",
    "`touch MARKER`",
    "$(touch MARKER)",
    "$HOME",
    "a; b # c",
    "100% %s",
    "é and 中",
    "[x] = \"\"\"",
];

#[test]
fn himalaya_reads_hostile_values_back() {
    for v in HOSTILE {
        let mut a = sample();
        a.name = v.to_string();
        a.display_name = v.to_string();
        a.incoming.username = v.to_string();
        a.smtp.username = v.to_string();
        let t = export(&a, Format::Himalaya1, &ExportOptions::default())
            .unwrap()
            .text;
        let doc: toml::Value = toml::from_str(&t).unwrap_or_else(|e| panic!("{v:?}: {e}\n{t}"));
        let acct = &doc["accounts"][*v];
        assert_eq!(acct["display-name"].as_str(), Some(*v));
        assert_eq!(acct["backend"]["login"].as_str(), Some(*v));
        let cmd = acct["backend"]["auth"]["cmd"].as_str().unwrap();
        assert_eq!(
            cmd,
            format!("mailwiz password {} incoming", shell_word(v)),
            "{t}"
        );
    }
}

#[test]
fn thunderbird_reads_hostile_logins_back() {
    for v in HOSTILE {
        let mut a = sample();
        a.incoming.username = v.to_string();
        a.smtp.username = v.to_string();
        let xml = export(&a, Format::Thunderbird, &ExportOptions::default())
            .unwrap()
            .text;
        let cfg = crate::discover::parse_client_config(&xml).expect("valid XML");
        let back = crate::discover::Candidate::from_client_config(
            &cfg,
            &a.email,
            crate::discover::Source::Autoconfig,
            "t",
            true,
        )
        .to_account(&a.email);
        assert_eq!(back.incoming.username, *v, "{xml}");
    }
}

#[test]
fn control_characters_are_refused_by_every_format() {
    for bad in ["a\nb", "a\rb", "a\0b", "a\u{1b}]0;x\u{7}"] {
        let mut a = sample();
        a.incoming.username = bad.to_string();
        for f in Format::ALL {
            assert_eq!(
                export(&a, f, &ExportOptions::default()),
                Err(ExportError::UnsafeValue {
                    field: "incoming.username",
                    account: a.name.clone()
                }),
                "{f} {bad:?}"
            );
        }
        let opts = ExportOptions {
            maildir: Some(format!("/tmp/{bad}")),
            ..Default::default()
        };
        assert!(export(&sample(), Format::Mbsync, &opts).is_err());
    }
}

#[test]
fn slugs_never_look_like_options() {
    assert_eq!(slug("`x`"), "mailwiz-x-");
    assert_eq!(slug(""), "mailwiz");
    assert_eq!(plain_name("-a"), "mailwiz-a");
    assert_eq!(plain_name("bob@x.test"), "bob@x.test");
}

#[test]
fn himalaya2_reads_hostile_values_back_as_argument_lists() {
    for v in HOSTILE {
        let mut a = sample();
        a.name = v.to_string();
        a.display_name = v.to_string();
        a.incoming.username = v.to_string();
        a.smtp.username = v.to_string();
        let opts = ExportOptions {
            mailwiz: format!("mailwiz --config {}", shell_word("/tmp/it's a.toml")),
            ..Default::default()
        };
        let t = export(&a, Format::Himalaya, &opts).unwrap().text;
        let doc: toml::Value = toml::from_str(&t).unwrap_or_else(|e| panic!("{v:?}: {e}\n{t}"));
        let acct = &doc["accounts"][*v];
        assert_eq!(acct["display-name"].as_str(), Some(*v));
        let plain = &acct["imap"]["sasl"]["plain"];
        assert_eq!(plain["username"].as_str(), Some(*v));
        let words: Vec<&str> = plain["password"]["command"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        assert_eq!(
            words,
            [
                "mailwiz",
                "--config",
                "/tmp/it's a.toml",
                "password",
                v,
                "incoming"
            ],
            "{t}"
        );
    }
}

#[test]
fn himalaya2_servers_and_folders() {
    let t = export(&sample(), Format::Himalaya, &ExportOptions::default())
        .unwrap()
        .text;
    let doc: toml::Value = toml::from_str(&t).expect(&t);
    let acct = &doc["accounts"]["alice@example.test"];
    assert_eq!(
        acct["imap"]["server"].as_str(),
        Some("imaps://imap.example.test:993")
    );
    assert!(acct["imap"].get("starttls").is_none());
    assert_eq!(
        acct["smtp"]["server"].as_str(),
        Some("smtp://smtp.example.test:587")
    );
    assert_eq!(acct["smtp"]["starttls"].as_bool(), Some(true));
    assert_eq!(
        acct["imap"]["tls"]["cert"].as_str(),
        Some("/etc/ssl/company ca.pem")
    );
    assert_eq!(acct["mailbox"]["alias"]["sent"].as_str(), Some("Sent"));
    assert_eq!(acct["message"]["send"]["save-copy"].as_str(), Some("sent"));
    assert!(
        acct.get("backend").is_none(),
        "v1 keys in the v2 export:\n{t}"
    );
}
