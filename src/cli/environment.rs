//! The process environment, read once and in this one place. The faces
//! (the CLI, the wizard, the plain wizard) take their variables from here
//! and hand the core the values it needs, as parameters, option fields, or
//! once at start-up ([`Environment::hand_to_core`]) for the deep knobs. The
//! core reads no environment: `tests/core_reads_no_environment.rs` keeps
//! it so.

use crate::config::{self, ConfigError};
use crate::i18n::Lang;
use std::collections::HashMap;
use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A snapshot of the variables, taken once when the program starts.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: HashMap<OsString, OsString>,
}

impl Environment {
    /// The process's variables (the one read of the environment).
    pub fn read() -> Environment {
        Environment::from_pairs(std::env::vars_os())
    }

    /// Given variables (tests, and any caller with its own environment).
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Environment
    where
        K: Into<OsString>,
        V: Into<OsString>,
    {
        Environment {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable as the system has it (set, possibly empty).
    pub fn var_os(&self, name: &str) -> Option<OsString> {
        self.vars.get(std::ffi::OsStr::new(name)).cloned()
    }

    /// A variable that is valid Unicode (as `std::env::var(name).ok()`).
    pub fn var(&self, name: &str) -> Option<String> {
        self.var_os(name).and_then(|v| v.into_string().ok())
    }

    /// Set to something non-empty.
    pub fn is_set(&self, name: &str) -> bool {
        self.vars
            .get(std::ffi::OsStr::new(name))
            .is_some_and(|v| !v.is_empty())
    }

    /// `--lang` wins, else the locale variables (see `Lang::detect`).
    pub fn lang(&self, explicit: Option<&str>) -> Lang {
        Lang::detect(explicit, |k| self.var(k))
    }

    /// `--config`, else `$MAILWIZ_CONFIG`, else the platform folder's.
    pub fn config_path(&self, explicit: Option<&Path>) -> Result<PathBuf, ConfigError> {
        // The platform folder comes from `$XDG_CONFIG_HOME` or `$HOME`
        // (the `directories` crate reads them; nothing else does).
        let platform =
            directories::ProjectDirs::from("", "", "mailwiz").map(|d| d.config_dir().to_path_buf());
        config::resolve_path(
            explicit,
            self.var_os("MAILWIZ_CONFIG").as_deref(),
            platform.as_deref(),
        )
    }

    /// `$MAILWIZ_DNS_SERVER` (`IP:PORT`), when it parses.
    pub fn dns_server(&self) -> Option<SocketAddr> {
        self.var("MAILWIZ_DNS_SERVER")
            .and_then(|v| v.trim().parse::<SocketAddr>().ok())
    }

    /// The doctor's SMTP ports: `$MAILWIZ_DOCTOR_SMTP_PORTS` when it names
    /// any, else the usual ones.
    pub fn doctor_smtp_ports(&self) -> Vec<u16> {
        crate::doctor::parse_ports(self.var(crate::doctor::PORTS_ENV).as_deref())
            .unwrap_or_else(|| crate::doctor::SMTP_PORTS.to_vec())
    }

    /// Where OAuth2 refreshes take their file lock: `$XDG_RUNTIME_DIR/mailwiz`,
    /// else the folder of the default configuration file.
    pub fn refresh_lock_folder(&self) -> Option<PathBuf> {
        if let Some(dir) = self.var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(dir).join("mailwiz"));
        }
        self.config_path(None).ok()?.parent().map(Path::to_path_buf)
    }

    /// A graphical display is here (`$DISPLAY` or `$WAYLAND_DISPLAY`).
    pub fn display(&self) -> bool {
        self.is_set("DISPLAY") || self.is_set("WAYLAND_DISPLAY")
    }

    /// A browser can be opened from here: a display, and not over SSH.
    pub fn browser_here(&self) -> bool {
        crate::oauth::browser_likely(
            self.display(),
            self.is_set("SSH_CONNECTION") || self.is_set("SSH_TTY"),
        )
    }

    /// The first locale variable set (for the doctor's ticket).
    pub fn locale_variable(&self) -> Option<String> {
        crate::i18n::locale_variable(|k| self.var(k))
    }

    /// Hands the core, once at start-up, the values that sit too deep to
    /// pass down: the DNS server every name is resolved with, the keyring
    /// store, the refresh lock folder, the display, the doctor's SMTP ports
    /// (the wizard's default), the ticket's locale.
    pub fn hand_to_core(&self) {
        if let Some(server) = self.dns_server() {
            crate::net::use_dns_server(server);
        }
        crate::secrets::select_backend(self.var("MAILWIZ_KEYRING"));
        if let Some(dir) = self.refresh_lock_folder() {
            crate::oauth::use_lock_folder(dir);
        }
        crate::oauth::record_display(self.display());
        crate::doctor::record_smtp_ports(self.doctor_smtp_ports());
        crate::oauth::set_browser_available(self.browser_here());
        crate::doctor::bundle::record_locale_variable(self.locale_variable());
    }
}

#[cfg(test)]
mod tests {
    use super::Environment;
    use std::path::PathBuf;

    fn env(pairs: &[(&str, &str)]) -> Environment {
        Environment::from_pairs(pairs.iter().map(|(k, v)| (*k, *v)))
    }

    #[test]
    fn typed_values_follow_the_documented_variables() {
        let e = env(&[
            ("MAILWIZ_DNS_SERVER", " 127.0.0.1:5353 "),
            ("MAILWIZ_DOCTOR_SMTP_PORTS", "10465,x"),
            ("XDG_RUNTIME_DIR", "/run/user/7"),
            ("MAILWIZ_CONFIG", "/tmp/a.toml"),
            ("LC_ALL", ""),
            ("LANG", "fr_FR.UTF-8"),
            ("WAYLAND_DISPLAY", "wayland-0"),
        ]);
        assert_eq!(e.dns_server(), "127.0.0.1:5353".parse().ok());
        assert_eq!(e.doctor_smtp_ports(), vec![10465]);
        assert_eq!(
            e.refresh_lock_folder(),
            Some(PathBuf::from("/run/user/7/mailwiz"))
        );
        assert_eq!(e.config_path(None).ok(), Some(PathBuf::from("/tmp/a.toml")));
        assert_eq!(e.lang(None), crate::i18n::Lang::Fr);
        assert_eq!(e.locale_variable().as_deref(), Some("fr_FR.UTF-8"));
        assert!(e.display() && e.browser_here());
    }

    #[test]
    fn absent_or_unparsable_values_fall_back() {
        let e = env(&[
            ("MAILWIZ_DNS_SERVER", "not an address"),
            ("MAILWIZ_DOCTOR_SMTP_PORTS", "0"),
            ("XDG_RUNTIME_DIR", ""),
            ("MAILWIZ_CONFIG", "/tmp/conf/a.toml"),
            ("DISPLAY", ":0"),
            ("SSH_TTY", "/dev/pts/1"),
        ]);
        assert_eq!(e.dns_server(), None);
        assert_eq!(e.doctor_smtp_ports(), vec![465, 587, 25]);
        assert_eq!(e.refresh_lock_folder(), Some(PathBuf::from("/tmp/conf")));
        assert_eq!(e.lang(None), crate::i18n::Lang::En);
        assert!(e.display() && !e.browser_here());
    }
}
