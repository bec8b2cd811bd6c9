//! Files written before the OAuth2 settings moved into each account (a
//! side table `[oauth2."NAME"]`) load as they are, stay untouched on disk
//! until the next save, and are then written in the new shape, keeping
//! the user's comments and unknown keys.

use super::{load, lock};

const OLD_FILE: &str = r#"# my mail, by hand
schema_version = 1
my_note = "kept"

[[account]]
name = "bob@outlook.com"
email = "bob@outlook.com"
provider = "outlook"
# the office one
[account.incoming]
protocol = "imap"
host = "outlook.office365.com"
port = 993
security = "tls"
username = "bob@outlook.com"
auth = "oauth2"

[account.smtp]
host = "smtp-mail.outlook.com"
port = 587
security = "starttls"
auth_required = true
username = "bob@outlook.com"

[oauth2."bob@outlook.com"]
client_id = "old-side-table-id"
token_command = "oama access bob@outlook.com"
"#;

#[test]
fn an_old_file_loads_and_is_rewritten_in_the_new_shape_at_the_next_save() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("accounts.toml");
    std::fs::write(&path, OLD_FILE).expect("write");
    let cfg = load(&path).expect("the old file loads");
    let s = cfg
        .find("bob@outlook.com")
        .and_then(|a| a.oauth2.as_ref())
        .expect("settings migrated");
    assert_eq!(s.client_id, "old-side-table-id");
    assert_eq!(
        s.token_command.as_deref(),
        Some("oama access bob@outlook.com")
    );
    // Loading changes nothing on disk.
    assert_eq!(std::fs::read_to_string(&path).expect("read"), OLD_FILE);
    // The next save writes the new shape, keeping what the user wrote.
    let mut locked = lock(&path).expect("lock");
    locked.commit().expect("save");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        !text.contains("[oauth2."),
        "the side table is gone:\n{text}"
    );
    assert!(text.contains("[account.oauth2]"), "{text}");
    assert!(text.contains("client_id = \"old-side-table-id\""), "{text}");
    for kept in [
        "# my mail, by hand",
        "my_note = \"kept\"",
        "# the office one",
    ] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
    let again = load(&path).expect("the new file loads");
    assert_eq!(again, cfg);
}

#[test]
fn the_account_s_own_table_wins_over_a_leftover_side_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("accounts.toml");
    let text = OLD_FILE.replace(
        "[account.smtp]",
        "[account.oauth2]\nclient_id = \"own-id\"\n\n[account.smtp]",
    );
    std::fs::write(&path, text).expect("write");
    let cfg = load(&path).expect("loads");
    assert_eq!(
        cfg.find("bob@outlook.com")
            .and_then(|a| a.oauth2.as_ref())
            .map(|s| s.client_id.as_str()),
        Some("own-id")
    );
}
