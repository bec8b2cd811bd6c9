//! The command line, exactly as documented (other tools rely on the names).

use crate::account::{Protocol, Security};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "mailwiz",
    version,
    about = "Set up an email account end to end, and fix it when mail breaks.",
    long_about = "Set up an email account end to end, and fix it when mail breaks.\n\
                  Without a subcommand, mailwiz opens the full-screen wizard."
)]
pub struct Cli {
    /// The accounts file (default: $MAILWIZ_CONFIG, else ~/.config/mailwiz/accounts.toml)
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Language of the messages: fr or en (default: from the locale)
    #[arg(long, global = true, value_name = "fr|en")]
    pub lang: Option<String>,
    /// The wizard as plain questions and answers, one line at a time (screen
    /// readers, braille, dumb terminals, scripts); automatic with TERM=dumb
    /// or without a terminal
    #[arg(long)]
    pub plain: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add (or replace) an account
    Add(AddArgs),
    /// List the accounts
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one account's settings (never its password)
    Show {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Remove an account and its keyring entries
    Remove { name: String },
    /// Log in to the incoming server and authenticate to the SMTP server, both at once
    Check(CheckArgs),
    /// Send a real test message, and optionally wait until it arrives
    SendTest(SendTestArgs),
    /// Find an address's settings: presets, ISPDB, autoconfig, DNS SRV/MX, probing — all at once
    Discover(crate::cli::discover_cmd::DiscoverArgs),
    /// Find out what is wrong: probe every layer of both servers, explain, suggest a fix
    Doctor(crate::cli::doctor_cmd::DoctorArgs),
    /// Write an account's settings for another mail client (never its password)
    Export(crate::cli::export_cmd::ExportArgs),
    /// Find the mail clients you already use, and their accounts: POP3 or IMAP, which servers
    Detect(crate::cli::detect_cmd::DetectArgs),
    /// Sign in to an OAuth2 account (browser or device code); the tokens go to the keyring
    Login(LoginArgs),
    /// Print a current OAuth2 access token, refreshed if needed (for other mail clients' token commands)
    Token { name: String },
    /// Which OAuth2 client id each provider would use, and where it comes from
    OauthClients {
        #[arg(long)]
        json: bool,
    },
    /// Print the stored password (for other mail clients' password commands)
    Password {
        name: String,
        /// incoming (default) or smtp
        role: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long, value_name = "ADDR")]
    pub email: String,
    /// Account name (default: the address)
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub display_name: Option<String>,
    /// Fill the settings from a built-in preset (e.g. free, gmail); explicit flags override it
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,
    /// Find the settings automatically (ISPDB, autoconfig, DNS, probing); explicit flags override them
    #[arg(long, conflicts_with = "provider")]
    pub discover: bool,
    /// The preset's variant when it has several (e.g. Free: ssl or starttls)
    #[arg(long, value_name = "ID")]
    pub variant: Option<String>,
    #[arg(long, value_name = "imap|pop3")]
    pub incoming: Option<Protocol>,
    #[arg(long, value_name = "H")]
    pub in_host: Option<String>,
    #[arg(long, value_name = "P")]
    pub in_port: Option<u16>,
    #[arg(long, value_name = "tls|starttls|none")]
    pub in_security: Option<Security>,
    #[arg(long, value_name = "U")]
    pub in_user: Option<String>,
    #[arg(long, value_name = "H")]
    pub smtp_host: Option<String>,
    #[arg(long, value_name = "P")]
    pub smtp_port: Option<u16>,
    #[arg(long, value_name = "tls|starttls|none")]
    pub smtp_security: Option<Security>,
    /// The SMTP server requires authentication (the default)
    #[arg(long, overrides_with = "no_smtp_auth")]
    pub smtp_auth: bool,
    /// The SMTP server takes mail without authentication
    #[arg(long)]
    pub no_smtp_auth: bool,
    /// SMTP login when it differs from the incoming one (its password is then asked separately)
    #[arg(long, value_name = "U")]
    pub smtp_user: Option<String>,
    /// A PEM file of extra CA certificates to trust for this account
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Read the password from standard input (its first line only) and store it in the OS keyring
    #[arg(long)]
    pub password_stdin: bool,
    /// With --password-stdin: the SMTP login has its own password, on the second line of standard input
    #[arg(long, requires = "password_stdin")]
    pub smtp_password_stdin: bool,
    /// With --discover: accept settings that came over an unauthenticated channel (plain http, DNS)
    #[arg(long, requires = "discover")]
    pub accept_insecure_source: bool,
    /// Instead of the keyring: a command that prints the password
    #[arg(long, value_name = "CMD", conflicts_with = "password_stdin")]
    pub password_command: Option<String>,
    /// How to sign in: password (the default) or oauth2
    #[arg(long, value_name = "password|oauth2")]
    pub auth: Option<crate::account::AuthMethod>,
    /// OAuth2: the client id of your own app registration
    #[arg(long, value_name = "ID")]
    pub oauth_client_id: Option<String>,
    /// OAuth2: read the client secret from standard input and store it in the OS keyring
    #[arg(long, conflicts_with = "password_stdin")]
    pub oauth_client_secret_stdin: bool,
    /// OAuth2: the authorization endpoint (default: the provider preset's)
    #[arg(long, value_name = "URL")]
    pub oauth_auth_url: Option<String>,
    /// OAuth2: the token endpoint (default: the provider preset's)
    #[arg(long, value_name = "URL")]
    pub oauth_token_url: Option<String>,
    /// OAuth2: the device authorization endpoint (default: the provider preset's)
    #[arg(long, value_name = "URL")]
    pub oauth_device_url: Option<String>,
    /// OAuth2: the scope to ask for (default: the provider preset's)
    #[arg(long, value_name = "SCOPE")]
    pub oauth_scope: Option<String>,
    /// OAuth2: instead of signing in, a command that prints a current access token
    #[arg(long, value_name = "CMD")]
    pub oauth_token_command: Option<String>,
    /// OAuth2: get the tokens from a broker you run (oama, pizauth): its
    /// command becomes the token command, checked first
    #[arg(long, value_name = "BROKER", conflicts_with = "oauth_token_command")]
    pub oauth_broker: Option<crate::oauth::brokers::BrokerKind>,
    /// Pin the incoming server's certificate (SHA-256 fingerprint)
    #[arg(long, value_name = "SHA256")]
    pub in_pin: Option<String>,
    /// Pin the SMTP server's certificate (SHA-256 fingerprint)
    #[arg(long, value_name = "SHA256")]
    pub smtp_pin: Option<String>,
}

/// `--ipv4` / `--ipv6`: connect over one address family only.
#[derive(Debug, Args, Default, Clone, Copy)]
pub struct FamilyArgs {
    /// Connect over IPv4 only
    #[arg(long, conflicts_with = "ipv6")]
    pub ipv4: bool,
    /// Connect over IPv6 only
    #[arg(long)]
    pub ipv6: bool,
}

impl FamilyArgs {
    pub fn family(self) -> Option<crate::net::Family> {
        match (self.ipv4, self.ipv6) {
            (true, _) => Some(crate::net::Family::Ipv4),
            (_, true) => Some(crate::net::Family::Ipv6),
            _ => None,
        }
    }
}

impl Command {
    /// The address family a command is limited to, if any.
    pub fn family(&self) -> Option<crate::net::Family> {
        match self {
            Command::Check(a) => a.family.family(),
            Command::SendTest(a) => a.family.family(),
            Command::Doctor(a) => a.family.family(),
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    pub name: Option<String>,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub family: FamilyArgs,
    /// Deadline per server, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub timeout: f64,
}

#[derive(Debug, Args)]
pub struct SendTestArgs {
    pub name: Option<String>,
    /// Recipient (default: the account itself)
    #[arg(long, value_name = "ADDR")]
    pub to: Option<String>,
    /// Then watch the incoming server until the message arrives
    #[arg(long)]
    pub verify: bool,
    #[command(flatten)]
    pub family: FamilyArgs,
    #[arg(long)]
    pub json: bool,
    /// Deadline for sending, and for the arrival check, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub timeout: f64,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    pub name: String,
    /// Sign in with a code entered on another device (RFC 8628 device grant)
    #[arg(long)]
    pub device: bool,
    /// Do not open a browser: print the sign-in address alone on one line, then wait
    #[arg(long, conflicts_with = "device")]
    pub no_browser: bool,
    /// Sign in with the browser even where none seems available (the default
    /// there, without a display or over SSH, is the code sign-in)
    #[arg(long, conflicts_with = "device")]
    pub browser: bool,
    /// How long to wait for the browser sign-in, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub timeout: u64,
}
