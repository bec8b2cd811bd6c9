//! Keeps what the user wrote in the accounts file across a save: comments,
//! and keys mailwiz does not know (a newer version's, or the user's own
//! notes). The new content is merged into the old document: a key the model
//! knows takes its new value (keeping its comments), or goes when the model
//! no longer has it; a key the model does not know stays.

use super::{Config, to_toml};
use toml_edit::{DocumentMut, Item, Table};

/// The text to write for `config`, given the file's current text.
pub fn render(original: Option<&str>, config: &Config) -> String {
    let fresh = to_toml(config);
    original
        .and_then(|old| merged(old, &fresh))
        .unwrap_or(fresh)
}

/// None when the old text is not something to merge into (it does not
/// parse, or holds nothing the model reads).
fn merged(old_text: &str, fresh_text: &str) -> Option<String> {
    let mut old: DocumentMut = old_text.parse().ok()?;
    // What the model reads of the old file, in the same order: the keys
    // in it are "known"; the others are the user's.
    let known_config: Config = toml::from_str(old_text).ok()?;
    let known: DocumentMut = to_toml(&known_config).parse().ok()?;
    let fresh: DocumentMut = fresh_text.parse().ok()?;
    // The side table of older files: its settings are now in each account.
    old.as_table_mut().remove("oauth2");
    merge_table(old.as_table_mut(), fresh.as_table(), known.as_table());
    let mut next = 0;
    renumber(old.as_table_mut(), &mut next);
    Some(old.to_string())
}

fn merge_table(old: &mut Table, fresh: &Table, known: &Table) {
    let empty = Table::new();
    for (key, fresh_item) in fresh {
        let known_item = known.get(key);
        match (old.get_mut(key), fresh_item) {
            (Some(Item::Table(o)), Item::Table(f)) => {
                merge_table(o, f, known_item.and_then(Item::as_table).unwrap_or(&empty));
            }
            (Some(Item::ArrayOfTables(o)), Item::ArrayOfTables(f)) if key == "account" => {
                let known_list = known_item.and_then(Item::as_array_of_tables);
                let mut out = toml_edit::ArrayOfTables::new();
                for fresh_account in f {
                    out.push(merge_account(o, known_list, fresh_account));
                }
                *o = out;
            }
            (Some(Item::Value(o)), Item::Value(f)) => {
                let decor = o.decor().clone();
                *o = f.clone();
                *o.decor_mut() = decor;
            }
            (Some(slot), _) => *slot = fresh_item.clone(),
            (None, _) => {
                old.insert(key, fresh_item.clone());
            }
        }
    }
    let gone: Vec<String> = old
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| !fresh.contains_key(k) && known.contains_key(k))
        .collect();
    for key in gone {
        old.remove(&key);
    }
}

/// The old table of the account with the same name, updated; else the
/// fresh one.
fn merge_account(
    old: &toml_edit::ArrayOfTables,
    known: Option<&toml_edit::ArrayOfTables>,
    fresh: &Table,
) -> Table {
    let name = |t: &Table| t.get("name").and_then(Item::as_str).map(str::to_string);
    let wanted = name(fresh);
    let found = old
        .iter()
        .enumerate()
        .find(|(_, t)| wanted.is_some() && name(t) == wanted);
    match (found, known) {
        (Some((i, old_table)), Some(known)) => {
            let empty = Table::new();
            let mut table = old_table.clone();
            merge_table(&mut table, fresh, known.get(i).unwrap_or(&empty));
            table
        }
        _ => fresh.clone(),
    }
}

/// Tables print in the order of their positions; merged tables come from
/// two documents, so they are numbered again in tree order (each header
/// before its sub-tables).
fn renumber(table: &mut Table, next: &mut isize) {
    table.set_position(Some(*next));
    *next += 1;
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => renumber(t, next),
            Item::ArrayOfTables(list) => {
                for t in list.iter_mut() {
                    renumber(t, next);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{parse, tests::sample};
    use std::path::Path;

    const USER_FILE: &str = r#"# my accounts, managed by hand
schema_version = 1
editor_note = "keep me"

# the work account
[[account]]
name = "alice@example.test"
email = "alice@example.test"
display_name = "Old Name" # shown to recipients
color = "blue"

[account.incoming]
protocol = "imap"
host = "mail.example.test"
port = 993
security = "tls"
username = "alice@example.test"
folder_hint = "INBOX.work"

[account.smtp]
host = "mail.example.test"
port = 465
security = "tls"
username = "alice@example.test"
auth_required = true
same_password = true
"#;

    #[test]
    fn comments_and_unknown_keys_survive_an_update() {
        let mut cfg = parse(Path::new("a.toml"), USER_FILE).unwrap();
        cfg.accounts[0].display_name = "New Name".into();
        let mut other = sample();
        other.name = "bob@example.test".into();
        cfg.upsert(other);
        let text = render(Some(USER_FILE), &cfg);
        for kept in [
            "# my accounts, managed by hand",
            "editor_note = \"keep me\"",
            "# the work account",
            "color = \"blue\"",
            "folder_hint = \"INBOX.work\"",
            "# shown to recipients",
        ] {
            assert!(text.contains(kept), "lost {kept:?}:\n{text}");
        }
        assert!(!text.contains("Old Name"), "{text}");
        assert_eq!(parse(Path::new("a.toml"), &text).unwrap(), cfg, "{text}");
    }

    #[test]
    fn a_removed_account_and_a_cleared_field_go() {
        let mut cfg = parse(Path::new("a.toml"), USER_FILE).unwrap();
        let mut other = sample();
        other.name = "bob@example.test".into();
        other.ca_file = Some("/etc/ca.pem".into());
        cfg.upsert(other);
        let first = render(Some(USER_FILE), &cfg);
        cfg.find_mut("bob@example.test").unwrap().ca_file = None;
        let second = render(Some(&first), &cfg);
        assert!(!second.contains("/etc/ca.pem"), "{second}");
        cfg.remove("alice@example.test");
        let third = render(Some(&second), &cfg);
        assert!(!third.contains("folder_hint"), "{third}");
        assert_eq!(parse(Path::new("a.toml"), &third).unwrap(), cfg, "{third}");
    }
}
