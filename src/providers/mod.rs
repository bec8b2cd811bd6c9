//! Built-in provider presets: the servers, login form and caveats of the
//! common mailbox providers, from `assets/providers.toml` (embedded).
//!
//! A provider owns its domains (each domain belongs to one provider only).
//! Its settings come in one or more *variants* (Free documents two: implicit
//! TLS with the local part as login, and STARTTLS with the full address);
//! most providers have a single variant called `default`. Within a variant,
//! servers are listed in order of preference; the first of a protocol is the
//! one an [`Account`] gets, the others are fallbacks a wizard may try.
//!
//! Pure data; no I/O.

mod catalog;
mod model;
mod variants;

pub use catalog::{all, by_id, for_email, for_mx_host};
pub use model::{
    IncomingPreset, LoginForm, Provider, ProviderAuth, ProviderOAuth2, SmtpPreset, Variant,
};

#[cfg(test)]
use catalog::{PROVIDERS_TOML, parse};

#[cfg(test)]
mod tests_accounts;
#[cfg(test)]
mod tests_data;
#[cfg(test)]
mod tests_ispdb;
