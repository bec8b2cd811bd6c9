//! An I/O error's kind in the user's words (`net.io.*`): the OS's English
//! text (`io::Error`'s `Display`) never reaches a localised sentence.

use crate::i18n::{self, Lang};
use std::io::ErrorKind;

/// The i18n key naming `kind`; `net.io.other` for the kinds without one.
pub fn io_kind_key(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::NotFound => "net.io.not_found",
        ErrorKind::PermissionDenied => "net.io.permission_denied",
        ErrorKind::IsADirectory => "net.io.is_a_directory",
        ErrorKind::NotADirectory => "net.io.not_a_directory",
        ErrorKind::AlreadyExists => "net.io.already_exists",
        ErrorKind::StorageFull => "net.io.storage_full",
        ErrorKind::ReadOnlyFilesystem => "net.io.read_only",
        ErrorKind::InvalidData => "net.io.invalid_data",
        ErrorKind::TimedOut | ErrorKind::WouldBlock => "net.io.timed_out",
        ErrorKind::UnexpectedEof
        | ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::BrokenPipe => "net.io.closed",
        ErrorKind::ConnectionRefused => "net.io.refused",
        ErrorKind::AddrNotAvailable | ErrorKind::AddrInUse => "net.io.address",
        ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => "net.io.unreachable",
        _ => "net.io.other",
    }
}

/// `kind` in `lang`.
pub fn io_kind_words(lang: Lang, kind: ErrorKind) -> String {
    i18n::t(lang, io_kind_key(kind)).to_string()
}
