//! The OAuth2 side of the harness: a local authorization server (IdP) and
//! a Dovecot instance whose passdb checks tokens against it, started once
//! per test binary next to the mail servers (`tests/harness/oauthenv.sh`;
//! stopped with them).

use super::{MailEnv, mailenv};
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

const HARNESS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/harness/oauthenv.sh");

pub struct OauthEnv {
    /// The `OAUTHENV_*` lines the start script printed.
    pub vars: HashMap<String, String>,
}

impl OauthEnv {
    pub fn idp(&self) -> &str {
        &self.vars["OAUTHENV_IDP_URL"]
    }

    pub fn port(&self, key: &str) -> u16 {
        self.vars[key].parse().unwrap()
    }
}

/// An HTTP client for the IdP: statuses as answers, no redirects, 10 s.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// POSTs a form to one of the IdP's test hooks (`/test/approve`,
/// `/test/expire`, `/test/revoke`…), which must answer 200.
pub fn idp_post(idp: &str, path: &str, form: &[(&str, &str)]) {
    let resp = agent()
        .post(format!("{idp}{path}"))
        .send_form(form.iter().copied())
        .expect("the IdP answers");
    assert_eq!(resp.status().as_u16(), 200, "{path}");
}

pub fn oauthenv() -> (&'static MailEnv, &'static OauthEnv) {
    static ENV: OnceLock<OauthEnv> = OnceLock::new();
    let mail = mailenv();
    let env = ENV.get_or_init(|| {
        let out = Command::new("bash")
            .arg(HARNESS)
            .arg("start")
            .arg(&mail.dir)
            .stdin(Stdio::null())
            .output()
            .expect("run oauthenv.sh");
        assert!(
            out.status.success(),
            "oauthenv.sh failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let vars = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        OauthEnv { vars }
    });
    (mail, env)
}

/// Hostile-peer runs of the real binary under `/usr/bin/time -v`: a machine
/// (keyring, config), and each run's exit code, outputs, time and peak RSS.
pub mod timed {
    use super::{OauthEnv, oauthenv};
    use crate::common::{KeyringSession, mailwiz};
    use std::io::Read;
    use std::path::PathBuf;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    pub const MAX_RSS_KB: u64 = 64 * 1024;
    pub const SLACK: Duration = Duration::from_millis(500);

    /// A user's machine: a keyring and a config.
    pub struct Machine {
        _dir: tempfile::TempDir,
        pub config: PathBuf,
        pub keyring: KeyringSession,
    }

    impl Machine {
        pub fn new() -> Machine {
            assert!(
                std::path::Path::new("/usr/bin/time").exists(),
                "install the package `time` (GNU time, /usr/bin/time)"
            );
            let dir = tempfile::Builder::new()
                .prefix("mwh")
                .tempdir_in("/tmp")
                .unwrap();
            let home = dir.path().join("home");
            let keyring = KeyringSession::start(&home);
            Machine {
                config: home.join(".config/mailwiz/accounts.toml"),
                keyring,
                _dir: dir,
            }
        }

        /// `mailwiz ARGS` under `/usr/bin/time -v`, killed after 30 s whatever
        /// happens (so a hang fails the test instead of holding it).
        pub fn timed(&self, args: &[&str]) -> Command {
            let mut inner = mailwiz(&self.config);
            self.keyring.apply(&mut inner);
            let mut cmd = Command::new("/usr/bin/time");
            cmd.args(["-v", "timeout", "-s", "KILL", "30"])
                .arg(inner.get_program())
                .args(inner.get_args())
                .args(args);
            for (k, v) in inner.get_envs() {
                match v {
                    Some(v) => cmd.env(k, v),
                    None => cmd.env_remove(k),
                };
            }
            cmd.stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            cmd
        }

        /// Adds an OAuth2 account with the given endpoints (never contacted
        /// by `add`).
        pub fn add(&self, env: &OauthEnv, email: &str, token_url: &str, device_url: &str) {
            let (mail, _) = oauthenv();
            let mut cmd = mailwiz(&self.config);
            self.keyring.apply(&mut cmd);
            let out = cmd
                .args(["add", "--email", email, "--incoming", "imap"])
                .args(["--in-host", "127.0.0.1", "--in-security", "starttls"])
                .args(["--in-port", &env.port("OAUTHENV_IMAP_PORT").to_string()])
                .args(["--smtp-host", "127.0.0.1", "--smtp-security", "starttls"])
                .args(["--smtp-port", &env.port("OAUTHENV_SMTP_PORT").to_string()])
                .arg("--ca-file")
                .arg(&mail.ca)
                .args(["--auth", "oauth2", "--oauth-client-id", "mailwiz-hostile"])
                .args(["--oauth-auth-url", &format!("{}/authorize", env.idp())])
                .args(["--oauth-token-url", token_url])
                .args(["--oauth-device-url", device_url])
                .args(["--oauth-scope", "mail offline_access"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "add failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }

        pub fn tokens(&self, name: &str) -> Option<String> {
            let entry = format!("oauth:{name}");
            self.keyring
                .secret_tool_lookup(&[("service", "mailwiz"), ("username", &entry)])
        }
    }

    /// A finished run: exit code, outputs, wall time and peak RSS.
    pub struct Run {
        pub code: i32,
        pub stdout: String,
        pub stderr: String,
        pub elapsed: Duration,
        pub max_rss_kb: u64,
    }

    impl Run {
        pub fn bounded(&self, deadline: Duration) {
            eprintln!(
                "measured: {:?} (deadline {deadline:?}), peak RSS {} kB",
                self.elapsed, self.max_rss_kb
            );
            assert!(
                self.elapsed <= deadline + SLACK,
                "took {:?}, deadline {deadline:?} + {SLACK:?}\n{}{}",
                self.elapsed,
                self.stdout,
                self.stderr
            );
            assert!(
                self.max_rss_kb < MAX_RSS_KB,
                "peak RSS {} kB ≥ {MAX_RSS_KB} kB",
                self.max_rss_kb
            );
            assert!(
                !self.stderr.contains("panicked"),
                "mailwiz panicked:\n{}",
                self.stderr
            );
        }
    }

    pub fn finish(mut child: Child, start: Instant, stdout_seen: String) -> Run {
        let mut rest = String::new();
        if let Some(mut out) = child.stdout.take() {
            let _ = out.read_to_string(&mut rest);
        }
        let mut stderr = String::new();
        if let Some(mut err) = child.stderr.take() {
            let _ = err.read_to_string(&mut stderr);
        }
        let status = child.wait().unwrap();
        let elapsed = start.elapsed();
        let max_rss_kb = stderr
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("Maximum resident set size (kbytes): ")
            })
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no RSS in /usr/bin/time's output:\n{stderr}"));
        // GNU time reports the command's exit status; "Command exited with
        // non-zero status N" or 0.
        let code = stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("Exit status: "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(status.code().unwrap_or(-1));
        Run {
            code,
            stdout: stdout_seen + &rest,
            stderr,
            elapsed,
            max_rss_kb,
        }
    }

    pub fn run(m: &Machine, args: &[&str]) -> Run {
        let start = Instant::now();
        let child = m.timed(args).spawn().expect("run mailwiz");
        finish(child, start, String::new())
    }
}
