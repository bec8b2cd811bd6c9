//! Before an export: one login to read the server's special folders
//! (and create those the export names that are missing), with the same
//! credential and trust as `check`. Never fatal: without a credential or a
//! connection, the export uses the preset's names and says so.

use super::folders::Folders;
use crate::account::{Account, Protocol, Role};
use crate::check::Incoming;
use crate::net::{Deadline, NetError, NoSteps};
use std::time::Duration;

/// How long the folder look-up may take in all.
const LOOKUP_LIMIT: Duration = Duration::from_secs(15);

#[derive(Debug)]
pub enum FolderLookup {
    /// The server's names; `created` are folders the export names that
    /// did not exist and were created.
    Read {
        folders: Folders,
        created: Vec<String>,
    },
    /// The account reads mail with POP3: there are no server folders.
    NotImap,
    /// No credential could be had (no keyring entry, no sign-in yet).
    NoCredential,
    /// The server could not be reached or refused the login.
    Failed(NetError),
}

/// Logs in once, reads LIST/NAMESPACE, creates the missing folders.
pub fn look_up_folders(account: &Account) -> FolderLookup {
    if account.incoming.protocol != Protocol::Imap {
        return FolderLookup::NotImap;
    }
    let Ok(secret) = crate::credentials::secret_for(account, Role::Incoming, false) else {
        return FolderLookup::NoCredential;
    };
    let deadline = Deadline::after(LOOKUP_LIMIT, None);
    let mut steps = NoSteps;
    let mut session = match Incoming::open(account, secret.as_ref(), &deadline, &mut steps) {
        Ok(s) => s,
        Err(e) => return FolderLookup::Failed(e),
    };
    let Incoming::Imap(imap) = &mut session else {
        return FolderLookup::NotImap;
    };
    let result = imap.special_folders().and_then(|server| {
        let folders = Folders::from_server(&server, account.provider.as_deref());
        let mut created = Vec::new();
        for name in folders.missing_on(&server) {
            imap.create_folder(&name)?;
            created.push(name);
        }
        Ok(FolderLookup::Read { folders, created })
    });
    let _ = session.close(&mut steps);
    result.unwrap_or_else(FolderLookup::Failed)
}
