//! mailwiz: set up an email account end to end, and troubleshoot it.
//!
//! The core (`account`, `config`, `secrets`, `providers`, `net`, `check`,
//! `send`, `i18n`) never imports ratatui or crossterm; `cli` and `tui` are
//! two thin faces over it.

pub mod account;
pub mod check;
pub mod cli;
pub mod config;
pub mod credentials;
pub mod detect;
pub mod discover;
pub mod doctor;
pub mod export;
pub mod i18n;
pub mod net;
pub mod oauth;
pub mod percent;
pub mod plain;
pub mod providers;
pub mod qr;
pub mod random;
pub mod secret;
pub mod secrets;
pub mod send;
pub mod service;
#[cfg(test)]
mod test_texts;
pub mod trust;
pub mod tui;
