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
        let t = export(&a, Format::Himalaya, &ExportOptions::default())
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
                    field: "incoming.username"
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
