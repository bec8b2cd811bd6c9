//! The special folders an export names: where sent mail and drafts go,
//! whether the client copies sent mail itself, and the archive of all
//! mail that mbsync must not download twice. From the server (SPECIAL-USE,
//! RFC 6154, read once with the account's credential), else the provider
//! preset's names, else `Sent` and `Drafts`.

use serde::{Deserialize, Serialize};

/// A preset's folders (`folders = { … }` in `assets/providers.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetFolders {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafts: Option<String>,
    /// The `\All` folder (Gmail's `[Gmail]/All Mail`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<String>,
    /// The server files each sent message in Sent itself (Gmail, Outlook):
    /// a client that also copies it there makes every message twice.
    #[serde(default)]
    pub server_files_sent: bool,
}

/// Where the names came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderSource {
    Server,
    Preset,
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folders {
    pub sent: String,
    pub drafts: String,
    pub all: Option<String>,
    /// The client copies sent mail to `sent` (off when the server does).
    pub copy_sent: bool,
    pub source: FolderSource,
}

impl Default for Folders {
    fn default() -> Self {
        Folders {
            sent: "Sent".into(),
            drafts: "Drafts".into(),
            all: None,
            copy_sent: true,
            source: FolderSource::Default,
        }
    }
}

/// What a logged-in LIST and NAMESPACE showed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerFolders {
    /// Every mailbox name, as listed.
    pub names: Vec<String>,
    pub sent: Option<String>,
    pub drafts: Option<String>,
    pub all: Option<String>,
    /// The personal namespace's prefix (`INBOX.` on some servers) and
    /// hierarchy delimiter, for folders that must be created.
    pub prefix: String,
    pub delimiter: Option<char>,
}

impl Folders {
    /// The preset's folders (by provider id), else the defaults.
    pub fn for_preset(provider: Option<&str>) -> Folders {
        let preset = provider
            .and_then(crate::providers::by_id)
            .and_then(|p| p.folders.clone());
        let Some(p) = preset else {
            return Folders::default();
        };
        let d = Folders::default();
        Folders {
            sent: p.sent.unwrap_or(d.sent),
            drafts: p.drafts.unwrap_or(d.drafts),
            all: p.all,
            copy_sent: !p.server_files_sent,
            source: FolderSource::Preset,
        }
    }

    /// The server's special-use names over the preset's; the preset still
    /// says whether the server files sent mail itself. A folder the server
    /// has not flagged gets the default name under its namespace prefix.
    pub fn from_server(server: &ServerFolders, provider: Option<&str>) -> Folders {
        let preset = Folders::for_preset(provider);
        let prefixed = |name: &str| format!("{}{name}", server.prefix);
        let pick = |found: &Option<String>, preset_name: &str, default: &str| {
            found.clone().unwrap_or_else(|| {
                if server.names.iter().any(|n| n == preset_name) {
                    preset_name.to_string()
                } else {
                    prefixed(default)
                }
            })
        };
        Folders {
            sent: pick(&server.sent, &preset.sent, "Sent"),
            drafts: pick(&server.drafts, &preset.drafts, "Drafts"),
            all: server.all.clone().or(preset.all),
            copy_sent: preset.copy_sent,
            source: FolderSource::Server,
        }
    }

    /// The folders the export names that the server does not have.
    pub fn missing_on(&self, server: &ServerFolders) -> Vec<String> {
        [&self.sent, &self.drafts]
            .into_iter()
            .filter(|f| !server.names.iter().any(|n| n == *f))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_win_and_the_preset_says_who_files_sent_mail() {
        let server = ServerFolders {
            names: vec!["INBOX".into(), "Envoyes".into(), "Brouillons".into()],
            sent: Some("Envoyes".into()),
            drafts: Some("Brouillons".into()),
            all: Some("Tous".into()),
            ..Default::default()
        };
        let f = Folders::from_server(&server, Some("gmail"));
        assert_eq!(
            (f.sent.as_str(), f.drafts.as_str()),
            ("Envoyes", "Brouillons")
        );
        assert_eq!(f.all.as_deref(), Some("Tous"));
        assert!(!f.copy_sent);
        assert!(Folders::from_server(&server, None).copy_sent);
        let gmail = Folders::for_preset(Some("gmail"));
        assert_eq!(gmail.all.as_deref(), Some("[Gmail]/All Mail"));
        assert_eq!(gmail.sent, "[Gmail]/Sent Mail");
        assert!(!Folders::for_preset(Some("outlook")).copy_sent);
        assert_eq!(Folders::for_preset(None), Folders::default());
    }

    #[test]
    fn unflagged_folders_get_the_namespace_prefix_and_are_reported_missing() {
        let server = ServerFolders {
            names: vec!["INBOX".into()],
            prefix: "INBOX.".into(),
            ..Default::default()
        };
        let f = Folders::from_server(&server, None);
        assert_eq!(f.sent, "INBOX.Sent");
        assert_eq!(f.missing_on(&server), vec!["INBOX.Sent", "INBOX.Drafts"]);
    }
}
