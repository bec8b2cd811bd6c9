//! The OAuth2 side of the harness: a local authorization server (IdP) and
//! a Dovecot instance whose passdb checks tokens against it, started once
//! per test binary next to the mail servers (`tests/harness/oauthenv.sh`;
//! stopped with them).

use super::{MailEnv, mailenv};
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

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
