//! Shared helpers for mailwiz's integration tests (`mod common;` in each test binary).
//!
//! * [`mailenv()`] starts real mail servers on loopback (Dovecot IMAP/POP3/submission,
//!   an aiosmtpd relay delivering through LMTP, plus fault variants) once per test
//!   binary, through `tests/harness/mailenv.sh`. See that script for the port layout.
//! * [`KeyringSession`] runs a private D-Bus session bus with an unlocked
//!   gnome-keyring Secret Service.
//! * [`mailwiz()`] builds a `Command` for the binary under test.
//!
//! System packages needed: see `scripts/install-test-deps.sh`.
#![allow(dead_code)]

pub mod http;
pub mod oauth;
pub mod tmux;

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The start/stop script of the test mail servers.
pub const MAILENV_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/harness/mailenv.sh");

/// Test users (local parts); their domain is [`MailEnv::domain`].
pub const USERS: [&str; 3] = ["alice", "bob", "limited"];

/// The running test mail servers. All instances share users, password and Maildirs.
#[derive(Debug)]
pub struct MailEnv {
    /// Folder with configs, logs, certificates, Maildirs (removed when the test process exits).
    pub dir: PathBuf,
    /// The per-run CA certificate (PEM) that signed every server certificate.
    pub ca: PathBuf,
    /// "127.0.0.1": main, notls, badcert, relay, tarpit, closed.
    pub host: String,
    /// "127.0.0.2": the strict instance (not "secured": STARTTLS required before AUTH).
    pub strict_host: String,
    /// Name in the good certificate besides localhost/127.0.0.1/127.0.0.2: "mail.example.test".
    pub tls_name: String,
    /// The only name in the badcert certificate: "wrong.example.invalid".
    pub badcert_name: String,
    /// "example.test".
    pub domain: String,
    /// Password of every user (random per run, "MWtest" + letters/digits, 20 chars).
    pub password: String,
    /// Full addresses: alice@, bob@, limited@example.test.
    pub users: Vec<String>,
    /// "carol": a user whose login is the local part only (address carol@example.test;
    /// the login carol@example.test is refused).
    pub localpart_user: String,
    pub port_base: u16,
    // main instance (127.0.0.1)
    pub imap_port: u16,
    pub imaps_port: u16,
    pub pop3_port: u16,
    pub pop3s_port: u16,
    /// Submission with STARTTLS (587-like).
    pub smtp_port: u16,
    /// Submission with implicit TLS (465-like).
    pub smtps_port: u16,
    // strict instance (127.0.0.2)
    pub strict_imap_port: u16,
    pub strict_imaps_port: u16,
    pub strict_pop3_port: u16,
    pub strict_pop3s_port: u16,
    pub strict_smtp_port: u16,
    pub strict_smtps_port: u16,
    // notls instance (ssl = no, plaintext login allowed)
    pub notls_imap_port: u16,
    pub notls_pop3_port: u16,
    pub notls_smtp_port: u16,
    // badcert instance (certificate for wrong.example.invalid, same CA)
    pub badcert_imap_port: u16,
    pub badcert_imaps_port: u16,
    pub badcert_pop3_port: u16,
    pub badcert_pop3s_port: u16,
    pub badcert_smtp_port: u16,
    pub badcert_smtps_port: u16,
    // selfsigned instance: a self-signed certificate (not from the CA) for the good names
    pub selfsigned_imaps_port: u16,
    pub selfsigned_smtps_port: u16,
    /// That certificate (PEM).
    pub selfsigned_cert: PathBuf,
    // expired instance: the good names, signed by the CA, valid only in January 2020
    pub expired_imaps_port: u16,
    pub expired_smtps_port: u16,
    /// The plain SMTP relay behind submission (no AUTH, no TLS).
    pub relay_port: u16,
    /// Accepts TCP, never sends a byte.
    pub tarpit_port: u16,
    /// Nothing listens here.
    pub closed_port: u16,
    /// `<maildir_root>/<local part>/Maildir`.
    pub maildir_root: PathBuf,
    /// Mail the relay accepted for other domains, one file per message.
    pub outbound: PathBuf,
    /// How long `mailenv.sh start` took (wall clock, measured here).
    pub start_time: Duration,
    /// Every `MAILENV_*` line the start script printed.
    pub vars: HashMap<String, String>,
}

static MAILENV: OnceLock<Result<MailEnv, String>> = OnceLock::new();

/// The test mail servers, started on first use, once per test binary.
///
/// They run in a fresh `/tmp/mw-XXXXXX` on a free port slot and are stopped (and the
/// folder removed) by a watcher once this test process has exited.
pub fn mailenv() -> &'static MailEnv {
    match MAILENV.get_or_init(MailEnv::start) {
        Ok(env) => env,
        Err(e) => panic!("{e}"),
    }
}

impl MailEnv {
    fn start() -> Result<MailEnv, String> {
        let dir = tempfile::Builder::new()
            .prefix("mw-")
            .tempdir_in("/tmp")
            .map_err(|e| format!("mailenv: cannot create a temp dir in /tmp: {e}"))?
            .keep();
        let password = random_password();
        let t0 = Instant::now();
        let out = Command::new("bash")
            .arg(MAILENV_SCRIPT)
            .arg("start")
            .arg(&dir)
            .arg("auto")
            .arg("--watch")
            .arg(std::process::id().to_string())
            .env("MAILENV_PASSWORD", &password)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("mailenv: cannot run bash {MAILENV_SCRIPT}: {e}"))?;
        let start_time = t0.elapsed();
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!(
                "mailenv: `{MAILENV_SCRIPT} start {}` failed ({}); logs are kept in that dir.\n\
                 (missing packages? run scripts/install-test-deps.sh as root)\n\
                 --- stderr\n{}\n--- stdout\n{stdout}",
                dir.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr),
            ));
        }
        let vars: HashMap<String, String> = stdout
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let s = |k: &str| -> Result<String, String> {
            vars.get(k)
                .cloned()
                .ok_or_else(|| format!("mailenv: {k} missing in the start output:\n{stdout}"))
        };
        let p = |k: &str| -> Result<u16, String> {
            s(k)?
                .parse()
                .map_err(|e| format!("mailenv: {k} is not a port: {e}"))
        };
        Ok(MailEnv {
            dir: PathBuf::from(s("MAILENV_DIR")?),
            ca: PathBuf::from(s("MAILENV_CA")?),
            host: s("MAILENV_HOST")?,
            strict_host: s("MAILENV_STRICT_HOST")?,
            tls_name: s("MAILENV_TLS_NAME")?,
            badcert_name: s("MAILENV_BADCERT_NAME")?,
            domain: s("MAILENV_DOMAIN")?,
            password,
            users: s("MAILENV_USERS")?.split(',').map(str::to_string).collect(),
            localpart_user: s("MAILENV_LOCALPART_USER")?,
            port_base: p("MAILENV_PORT_BASE")?,
            imap_port: p("MAILENV_IMAP_PORT")?,
            imaps_port: p("MAILENV_IMAPS_PORT")?,
            pop3_port: p("MAILENV_POP3_PORT")?,
            pop3s_port: p("MAILENV_POP3S_PORT")?,
            smtp_port: p("MAILENV_SMTP_PORT")?,
            smtps_port: p("MAILENV_SMTPS_PORT")?,
            strict_imap_port: p("MAILENV_STRICT_IMAP_PORT")?,
            strict_imaps_port: p("MAILENV_STRICT_IMAPS_PORT")?,
            strict_pop3_port: p("MAILENV_STRICT_POP3_PORT")?,
            strict_pop3s_port: p("MAILENV_STRICT_POP3S_PORT")?,
            strict_smtp_port: p("MAILENV_STRICT_SMTP_PORT")?,
            strict_smtps_port: p("MAILENV_STRICT_SMTPS_PORT")?,
            notls_imap_port: p("MAILENV_NOTLS_IMAP_PORT")?,
            notls_pop3_port: p("MAILENV_NOTLS_POP3_PORT")?,
            notls_smtp_port: p("MAILENV_NOTLS_SMTP_PORT")?,
            badcert_imap_port: p("MAILENV_BADCERT_IMAP_PORT")?,
            badcert_imaps_port: p("MAILENV_BADCERT_IMAPS_PORT")?,
            badcert_pop3_port: p("MAILENV_BADCERT_POP3_PORT")?,
            badcert_pop3s_port: p("MAILENV_BADCERT_POP3S_PORT")?,
            badcert_smtp_port: p("MAILENV_BADCERT_SMTP_PORT")?,
            badcert_smtps_port: p("MAILENV_BADCERT_SMTPS_PORT")?,
            selfsigned_imaps_port: p("MAILENV_SELFSIGNED_IMAPS_PORT")?,
            selfsigned_smtps_port: p("MAILENV_SELFSIGNED_SMTPS_PORT")?,
            selfsigned_cert: PathBuf::from(s("MAILENV_SELFSIGNED_CERT")?),
            expired_imaps_port: p("MAILENV_EXPIRED_IMAPS_PORT")?,
            expired_smtps_port: p("MAILENV_EXPIRED_SMTPS_PORT")?,
            relay_port: p("MAILENV_RELAY_PORT")?,
            tarpit_port: p("MAILENV_TARPIT_PORT")?,
            closed_port: p("MAILENV_CLOSED_PORT")?,
            maildir_root: PathBuf::from(s("MAILENV_MAILDIR_ROOT")?),
            outbound: PathBuf::from(s("MAILENV_OUTBOUND")?),
            start_time,
            vars,
        })
    }

    /// `user("alice")` → `alice@example.test`.
    pub fn user(&self, local: &str) -> String {
        format!("{local}@{}", self.domain)
    }

    /// The Maildir of a user, given as `alice`, `alice@example.test` or `alice+tag@example.test`.
    pub fn maildir(&self, user: &str) -> PathBuf {
        let local = user.split('@').next().unwrap_or(user);
        let local = local.split('+').next().unwrap_or(local).to_lowercase();
        self.maildir_root.join(local).join("Maildir")
    }

    /// Waits until a message file containing `needle` is in the user's Maildir (`new/` or
    /// `cur/`), read straight from disk (not through any mail client). Returns its path
    /// (which may later move from new/ to cur/), or None after `timeout`.
    pub fn wait_for_message(&self, user: &str, needle: &str, timeout: Duration) -> Option<PathBuf> {
        let md = self.maildir(user);
        wait_for_file(&[md.join("new"), md.join("cur")], needle, timeout)
    }

    /// Like [`wait_for_message`](Self::wait_for_message), for mail the relay accepted for
    /// other domains (files in [`outbound`](Self::outbound), starting with
    /// `X-Mailenv-From:` / `X-Mailenv-To:` envelope lines).
    pub fn wait_for_outbound(&self, needle: &str, timeout: Duration) -> Option<PathBuf> {
        wait_for_file(std::slice::from_ref(&self.outbound), needle, timeout)
    }

    /// The tail of one of the instances' logs ("main", "strict", "notls", "badcert",
    /// "selfsigned", "expired" →
    /// dovecot.log; "relay", "tarpit" → logs/*.log), for assertion messages.
    pub fn log_tail(&self, instance: &str, lines: usize) -> String {
        let path = match instance {
            "relay" | "tarpit" | "watch" => self.dir.join("logs").join(format!("{instance}.log")),
            other => self.dir.join(other).join("dovecot.log"),
        };
        let text =
            fs::read_to_string(&path).unwrap_or_else(|e| format!("({}: {e})", path.display()));
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

fn wait_for_file(dirs: &[PathBuf], needle: &str, timeout: Duration) -> Option<PathBuf> {
    let deadline = Instant::now() + timeout;
    let needle = needle.as_bytes();
    loop {
        for dir in dirs {
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name();
                if name.to_string_lossy().starts_with('.') {
                    continue; // the relay's temp files
                }
                // the file may move (new/ → cur/) between listing and reading: retry next round
                if let Ok(bytes) = fs::read(&path)
                    && (needle.is_empty() || bytes.windows(needle.len()).any(|w| w == needle))
                {
                    return Some(path);
                }
            }
        }
        if Instant::now() >= deadline {
            return None;
        }
        sleep(Duration::from_millis(50));
    }
}

/// "MWtest" + 14 random ASCII letters/digits.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = [0u8; 14];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("read /dev/urandom");
    let mut pw = String::from("MWtest");
    pw.extend(
        bytes
            .iter()
            .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char),
    );
    pw
}

/// A `Command` for the mailwiz binary under test: `mailwiz --config <cfg>`, English
/// output (LANG, LC_ALL, LC_MESSAGES, LANGUAGE, MAILWIZ_LANG removed), stdin null, and no
/// D-Bus session bus (DBUS_SESSION_BUS_ADDRESS removed, so a test never touches a real
/// keyring; use [`KeyringSession::apply`] to give it the test one).
pub fn mailwiz(cfg: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailwiz"));
    cmd.arg("--config").arg(cfg);
    for var in [
        "LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "LANGUAGE",
        "MAILWIZ_LANG",
        "DBUS_SESSION_BUS_ADDRESS",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// An account on the harness named `name`: IMAPS, and SMTP with implicit
/// TLS at `smtp_port`, whose password command prints `password`.
pub fn add_tls_account(env: &MailEnv, cfg: &Path, name: &str, password: &str, smtp_port: u16) {
    let command = password_file_command(cfg, password);
    add_tls_account_with(env, cfg, name, smtp_port, &env.ca, &command);
}

/// A password command printing `password` from a file beside `cfg`.
pub fn password_file_command(cfg: &Path, password: &str) -> String {
    let pw = cfg.with_file_name("pw");
    fs::write(&pw, format!("{password}\n")).expect("password file");
    format!("cat {}", pw.display())
}

/// `add_tls_account` with its CA file and password command given.
pub fn add_tls_account_with(
    env: &MailEnv,
    cfg: &Path,
    name: &str,
    smtp_port: u16,
    ca_file: &Path,
    password_command: &str,
) {
    let out = mailwiz(cfg)
        .args(["add", "--email", &env.user("alice"), "--name", name])
        .args(["--incoming", "imap", "--in-host", &env.host])
        .args([
            "--in-security",
            "tls",
            "--in-port",
            &env.imaps_port.to_string(),
        ])
        .args(["--smtp-host", &env.host, "--smtp-security", "tls"])
        .args(["--smtp-port", &smtp_port.to_string()])
        .arg("--ca-file")
        .arg(ca_file)
        .args(["--password-command", password_command])
        .output()
        .expect("mailwiz runs");
    assert!(
        out.status.success(),
        "add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `mailwiz add` of `user`'s account on the main instance, as the export
/// tests use it: IMAPS and submission with STARTTLS on `host`, the
/// harness's CA, and the password from a file beside `cfg` through a
/// password command (no keyring needed). `extra` adds arguments (a name, a
/// display name, a provider). Panics with mailwiz's output if it fails.
pub fn add_imaps_account(env: &MailEnv, cfg: &Path, host: &str, user: &str, extra: &[&str]) {
    let pw = cfg.with_file_name("pw");
    fs::write(&pw, format!("{}\n", env.password)).expect("password file");
    let out = mailwiz(cfg)
        .args(["add", "--email", &env.user(user), "--incoming", "imap"])
        .args(extra)
        .args(["--in-host", host, "--in-security", "tls"])
        .args(["--in-port", &env.imaps_port.to_string()])
        .args(["--smtp-host", host, "--smtp-security", "starttls"])
        .args(["--smtp-port", &env.smtp_port.to_string()])
        .arg("--ca-file")
        .arg(&env.ca)
        .arg("--password-command")
        .arg(format!("cat {}", pw.display()))
        .output()
        .expect("mailwiz runs");
    assert!(
        out.status.success(),
        "add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A private Secret Service: a D-Bus session bus of its own (`dbus-daemon`, no service
/// activation) and `gnome-keyring-daemon --unlock --components=secrets` whose `login`
/// keyring (in `home`) is unlocked with [`KeyringSession::UNLOCK_PASSWORD`].
///
/// Apply it to a command with [`apply`](Self::apply) (or [`envs`](Self::envs)).
/// Drop kills both daemons. Needs packages dbus, gnome-keyring, libglib2.0-bin (gdbus)
/// and, for the `secret_tool_*` helpers, libsecret-tools.
pub struct KeyringSession {
    /// The HOME given to start (the keyring file is in `<home>/.local/share/keyrings`).
    pub home: PathBuf,
    /// e.g. `unix:path=/tmp/mwk-XXXXXX/bus,guid=…`
    pub bus_address: String,
    runtime: tempfile::TempDir,
    dbus: Child,
    _dbus_stdout: BufReader<ChildStdout>,
    keyring: Option<Child>,
}

impl KeyringSession {
    /// Password of the login keyring that gnome-keyring creates in a fresh HOME.
    pub const UNLOCK_PASSWORD: &'static str = "mailwiz-test-keyring";

    /// Starts the bus and the unlocked keyring. Panics with a clear message when a
    /// daemon is missing, fails, or the keyring stays locked (never waits for a prompt).
    pub fn start(home: &Path) -> KeyringSession {
        fs::create_dir_all(home).expect("create keyring HOME");
        let home = home.canonicalize().expect("canonicalize keyring HOME");
        // short path: the bus socket lives here (unix sockets < 108 bytes)
        let runtime = tempfile::Builder::new()
            .prefix("mwk-")
            .tempdir_in("/tmp")
            .expect("create /tmp/mwk-XXXXXX");
        let rt = runtime.path();
        let xdg_runtime = rt.join("run");
        fs::create_dir(&xdg_runtime).expect("create XDG_RUNTIME_DIR");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&xdg_runtime, fs::Permissions::from_mode(0o700)).ok();
        }
        let bus_conf = rt.join("bus.conf");
        fs::write(
            &bus_conf,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                rt.display()
            ),
        )
        .expect("write bus.conf");

        let mut dbus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", bus_conf.display()))
            .arg("--nofork")
            .arg("--print-address=1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file(&rt.join("dbus.log")))
            .spawn()
            .unwrap_or_else(|e| {
                panic!("KeyringSession: cannot run dbus-daemon ({e}); install package dbus")
            });
        let mut dbus_stdout = BufReader::new(dbus.stdout.take().expect("dbus stdout"));
        let mut bus_address = String::new();
        dbus_stdout.read_line(&mut bus_address).ok();
        let bus_address = bus_address.trim().to_string();
        if bus_address.is_empty() {
            let _ = dbus.kill();
            let _ = dbus.wait();
            panic!(
                "KeyringSession: dbus-daemon printed no address; its log:\n{}",
                read_log(&rt.join("dbus.log"))
            );
        }

        let mut session = KeyringSession {
            home,
            bus_address,
            dbus,
            _dbus_stdout: dbus_stdout,
            keyring: None,
            runtime,
        };
        let mut cmd = Command::new("gnome-keyring-daemon");
        cmd.args(["--foreground", "--unlock", "--components=secrets"]);
        session.apply(&mut cmd);
        let log = session.runtime.path().join("gnome-keyring.log");
        let keyring = cmd
            .stdin(Stdio::piped())
            .stdout(log_file(&log))
            .stderr(log_file(&log))
            .spawn()
            .unwrap_or_else(|e| {
                panic!("KeyringSession: cannot run gnome-keyring-daemon ({e}); install package gnome-keyring")
            });
        let keyring = session.keyring.insert(keyring); // from here on, Drop kills it
        {
            let mut stdin = keyring.stdin.take().expect("keyring stdin");
            stdin
                .write_all(Self::UNLOCK_PASSWORD.as_bytes())
                .expect("write unlock password");
        } // closed: EOF ends the password

        // wait for org.freedesktop.secrets on our bus
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(Ok(Some(status))) = session.keyring.as_mut().map(Child::try_wait) {
                panic!(
                    "KeyringSession: gnome-keyring-daemon exited ({status}); log:\n{}",
                    read_log(&log)
                );
            }
            let owned = session.gdbus(&[
                "--dest",
                "org.freedesktop.DBus",
                "--object-path",
                "/org/freedesktop/DBus",
                "--method",
                "org.freedesktop.DBus.NameHasOwner",
                "org.freedesktop.secrets",
            ]);
            if owned.as_deref().is_ok_and(|o| o.contains("true")) {
                break;
            }
            if let Err(e) = &owned
                && e.contains("cannot run gdbus")
            {
                panic!("KeyringSession: {e}");
            }
            assert!(
                Instant::now() <= deadline,
                "KeyringSession: org.freedesktop.secrets did not appear within 10 s ({owned:?}); log:\n{}",
                read_log(&log)
            );
            sleep(Duration::from_millis(30));
        }
        // the default collection must exist and be unlocked (else clients would want a prompt)
        let alias = session
            .gdbus(&[
                "--dest",
                "org.freedesktop.secrets",
                "--object-path",
                "/org/freedesktop/secrets",
                "--method",
                "org.freedesktop.Secret.Service.ReadAlias",
                "default",
            ])
            .unwrap_or_else(|e| panic!("KeyringSession: ReadAlias default failed: {e}"));
        let collection = alias.split('\'').nth(1).unwrap_or("").to_string();
        assert!(
            !(collection.is_empty() || collection == "/"),
            "KeyringSession: gnome-keyring has no default collection ({alias}); \
             unlock failed? log:\n{}",
            read_log(&log)
        );
        let locked = session
            .gdbus(&[
                "--dest",
                "org.freedesktop.secrets",
                "--object-path",
                &collection,
                "--method",
                "org.freedesktop.DBus.Properties.Get",
                "org.freedesktop.Secret.Collection",
                "Locked",
            ])
            .unwrap_or_else(|e| {
                panic!("KeyringSession: reading Locked of {collection} failed: {e}")
            });
        assert!(
            locked.contains("false"),
            "KeyringSession: keyring {collection} is still locked ({locked}); wrong unlock \
             password for an existing keyring in {}? log:\n{}",
            session.home.display(),
            read_log(&log)
        );
        session
    }

    /// Environment for a process that should use this Secret Service.
    /// (Also remove DISPLAY / WAYLAND_DISPLAY — [`apply`](Self::apply) does.)
    pub fn envs(&self) -> Vec<(String, String)> {
        let h = |p: &str| self.home.join(p).display().to_string();
        vec![
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.bus_address.clone()),
            ("HOME".into(), self.home.display().to_string()),
            (
                "XDG_RUNTIME_DIR".into(),
                self.runtime.path().join("run").display().to_string(),
            ),
            ("XDG_DATA_HOME".into(), h(".local/share")),
            ("XDG_CONFIG_HOME".into(), h(".config")),
            ("XDG_CACHE_HOME".into(), h(".cache")),
        ]
    }

    /// Sets [`envs`](Self::envs) on `cmd` and removes DISPLAY, WAYLAND_DISPLAY and
    /// GNOME_KEYRING_CONTROL.
    pub fn apply<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        cmd.envs(self.envs());
        for var in ["DISPLAY", "WAYLAND_DISPLAY", "GNOME_KEYRING_CONTROL"] {
            cmd.env_remove(var);
        }
        cmd
    }

    /// `program` with this session's environment and stdin null.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        self.apply(&mut cmd);
        cmd.stdin(Stdio::null());
        cmd
    }

    /// `secret-tool store --label=LABEL attr value …` with `secret` on stdin.
    pub fn secret_tool_store(&self, label: &str, attrs: &[(&str, &str)], secret: &str) {
        let mut cmd = self.command("secret-tool");
        cmd.arg("store").arg(format!("--label={label}"));
        for (k, v) in attrs {
            cmd.arg(k).arg(v);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run secret-tool ({e}); install package libsecret-tools")
            });
        child
            .stdin
            .take()
            .unwrap()
            .write_all(secret.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "secret-tool store failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `secret-tool lookup attr value …`: the secret, or None when there is no such item.
    pub fn secret_tool_lookup(&self, attrs: &[(&str, &str)]) -> Option<String> {
        let mut cmd = self.command("secret-tool");
        cmd.arg("lookup");
        for (k, v) in attrs {
            cmd.arg(k).arg(v);
        }
        let out = cmd.output().unwrap_or_else(|e| {
            panic!("cannot run secret-tool ({e}); install package libsecret-tools")
        });
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Process ids of the two daemons (bus, keyring).
    pub fn pids(&self) -> (u32, u32) {
        (self.dbus.id(), self.keyring.as_ref().map_or(0, Child::id))
    }

    fn gdbus(&self, args: &[&str]) -> Result<String, String> {
        let mut cmd = self.command("gdbus");
        cmd.args(["call", "--session", "--timeout", "5"]).args(args);
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run gdbus ({e}); install package libglib2.0-bin"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }
}

impl Drop for KeyringSession {
    fn drop(&mut self) {
        if let Some(keyring) = self.keyring.as_mut() {
            let _ = keyring.kill();
            let _ = keyring.wait();
        }
        let _ = self.dbus.kill();
        let _ = self.dbus.wait();
    }
}

fn log_file(path: &Path) -> Stdio {
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_or_else(|_| Stdio::null(), Stdio::from)
}

fn read_log(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| format!("({}: {e})", path.display()))
}
