//! mbsync (isync): IMAPAccount, IMAPStore, MaildirStore and Channel for
//! `~/.mbsyncrc`; `mbsync NAME` then mirrors every folder into a Maildir.
//! Written with the isync 1.4 keywords (`SSLType`, `Far`/`Near`), which
//! 1.5 still reads.

use super::quote::mbsync_string;
use super::{ExportOptions, Exported, Note, slug};
use crate::account::{Account, Role, Security};
use std::fmt::Write;

/// The local Maildir root, as written in the file (`~` for the home
/// folder): mbsync does not create it ("Maildir error: cannot open store"),
/// so the face creates it, or tells the user to.
pub(super) fn maildir(a: &Account, o: &ExportOptions) -> String {
    match &o.maildir {
        Some(m) if m.ends_with('/') => m.clone(),
        Some(m) => format!("{m}/"),
        None => format!("~/Mail/{}/", slug(&a.name)),
    }
}

pub(super) fn export(a: &Account, o: &ExportOptions) -> Exported {
    let i = &a.incoming;
    let n = slug(&a.name);
    let maildir = maildir(a, o);
    let mut t = String::new();
    let _ = writeln!(t, "# mailwiz export of account {} (mbsync)", a.name);
    let _ = writeln!(t, "IMAPAccount {n}");
    let _ = writeln!(t, "Host {}", i.host);
    let _ = writeln!(t, "Port {}", i.port);
    let _ = writeln!(t, "User {}", mbsync_string(&i.username));
    let oauth = super::is_oauth(a);
    let cmd = if oauth {
        o.token_command(a)
    } else {
        o.password_command(a, Role::Incoming)
    };
    let _ = writeln!(t, "PassCmd {}", mbsync_string(&cmd));
    let ssl = match i.security {
        Security::Tls => "IMAPS",
        Security::Starttls => "STARTTLS",
        Security::None => "None",
    };
    let _ = writeln!(t, "SSLType {ssl}");
    if let Some(ca) = &a.ca_file
        && i.security != Security::None
    {
        let _ = writeln!(t, "CertificateFile {}", mbsync_string(ca));
    }
    if oauth {
        let _ = writeln!(t, "AuthMechs XOAUTH2");
    } else if i.security == Security::None {
        // isync refuses to send a password in clear unless LOGIN is named.
        let _ = writeln!(t, "AuthMechs LOGIN");
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "IMAPStore {n}-remote");
    let _ = writeln!(t, "Account {n}");
    let _ = writeln!(t);
    let _ = writeln!(t, "MaildirStore {n}-local");
    let _ = writeln!(t, "Path {}", mbsync_string(&maildir));
    let _ = writeln!(t, "Inbox {}", mbsync_string(&format!("{maildir}INBOX")));
    let _ = writeln!(t, "SubFolders Verbatim");
    let _ = writeln!(t);
    let _ = writeln!(t, "Channel {n}");
    let _ = writeln!(t, "Far :{n}-remote:");
    let _ = writeln!(t, "Near :{n}-local:");
    match o.folders_for(a).all {
        // The archive of all mail holds every message a second time.
        Some(all) => {
            let _ = writeln!(t, "Patterns * !{}", mbsync_string(&all));
        }
        None => {
            let _ = writeln!(t, "Patterns *");
        }
    }
    let _ = writeln!(t, "Create Near");
    let _ = writeln!(t, "SyncState *");
    let mut notes = Vec::new();
    if oauth {
        notes.push(Note::SaslXoauth2Plugin);
    }
    if i.pinned_sha256.is_some() {
        notes.push(Note::PinNotCarried);
    }
    Exported { text: t, notes }
}
