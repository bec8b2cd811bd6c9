//! The non-interactive face: the same core as the wizard, for scripts and
//! power users. Exit codes: 0 success, 1 a check or send failed, 2 usage or
//! configuration error, 3 an OAuth2 account must sign in (again).

mod accounts;
mod add_args;
mod add_cmd;
mod args;
mod credentials;
mod detect_cmd;
mod discover_cmd;
mod doctor_cmd;
mod doctor_replay;
pub mod environment;
mod export_cmd;
pub mod help_text;
mod login_cmd;
mod oauth_clients_cmd;
mod output;
mod run_checks;
mod usage_error;

pub use args::{Cli, Command};
pub use environment::Environment;
pub use output::clean_line;

use crate::config::{self, Config, ConfigError};
use crate::i18n::Lang;
use clap::{CommandFactory, FromArgMatches};
use std::path::PathBuf;

pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
/// An OAuth2 account must sign in (again): `mailwiz login NAME`.
pub const EXIT_SIGN_IN: i32 = 3;

/// Everything a command needs besides its own arguments.
pub struct Ctx {
    pub lang: Lang,
    pub config_path: PathBuf,
    /// The variables, read once at start-up.
    pub env: Environment,
}

impl Ctx {
    pub fn load(&self) -> Result<Config, ConfigError> {
        config::load(&self.config_path)
    }
}

/// Parses the process arguments and runs; returns the exit code.
pub fn main() -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let env = Environment::read();
    // `--help` and its texts in the user's language.
    let command = help_text::localized(Cli::command(), usage_error::lang_of(&args, &env));
    let parsed = command
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            if !e.use_stderr() {
                let _ = e.print();
                return EXIT_OK;
            }
            let text = usage_error::message(&e, usage_error::lang_of(&args, &env));
            for l in text.lines().filter(|l| !l.is_empty()) {
                output::error(l);
            }
            return EXIT_USAGE;
        }
    };
    run(cli, env)
}

/// Runs the parsed command with the variables `env`.
pub fn run(cli: Cli, env: Environment) -> i32 {
    let lang = env.lang(cli.lang.as_deref());
    let config_path = match env.config_path(cli.config.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            output::error(&e.localized(lang));
            return EXIT_USAGE;
        }
    };
    // The client-id files: beside the configuration, and the system's
    // (its folder overridable, for tests and unusual installs).
    let system_dir = env.var_os("MAILWIZ_SYSTEM_CONFIG_DIR").map(PathBuf::from);
    crate::oauth::clients::install(&crate::oauth::ClientFiles::new(&config_path, system_dir));
    env.hand_to_core();
    let path = env.var_os("PATH").unwrap_or_default();
    crate::oauth::brokers::install(crate::oauth::brokers::detect(&path));
    let ctx = Ctx {
        lang,
        config_path,
        env,
    };
    crate::net::force_family(cli.command.as_ref().and_then(Command::family));
    match cli.command {
        None if crate::plain::wanted(cli.plain, &ctx.env) => {
            crate::plain::run(ctx.config_path, ctx.lang, &ctx.env)
        }
        None => crate::tui::run(ctx.config_path, ctx.lang, &ctx.env),
        Some(Command::Add(a)) => add_cmd::add(&ctx, a),
        Some(Command::List { json }) => accounts::list(&ctx, json),
        Some(Command::Show { name, json }) => accounts::show(&ctx, name.as_deref(), json),
        Some(Command::Remove { name }) => accounts::remove(&ctx, &name),
        Some(Command::Login(a)) => login_cmd::login(&ctx, a),
        Some(Command::Token { name }) => login_cmd::token(&ctx, &name),
        Some(Command::OauthClients { json }) => oauth_clients_cmd::list(&ctx, json),
        Some(Command::Password { name, role }) => accounts::password(&ctx, &name, role.as_deref()),
        Some(Command::Check(a)) => run_checks::check(&ctx, a),
        Some(Command::SendTest(a)) => run_checks::send_test(&ctx, a),
        Some(Command::Discover(a)) => discover_cmd::discover(&ctx, a),
        Some(Command::Doctor(a)) => doctor_cmd::doctor(&ctx, a),
        Some(Command::Export(a)) => export_cmd::export(&ctx, a),
        Some(Command::Detect(a)) => detect_cmd::detect(&ctx, a),
    }
}
