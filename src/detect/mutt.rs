//! mutt and neomutt (`~/.muttrc`, `~/.config/neomutt/neomuttrc`, …): `set`
//! commands, hooks that hold more commands (the usual way to have several
//! accounts), `mailboxes`, and `source` of other files. The incoming server
//! is the IMAP/POP URL of `spoolfile`, `folder` or `pop_host` (or of a
//! hook's pattern); the outgoing one is `smtp_url`. Passwords (`imap_pass`,
//! `smtp_pass`, the `:password` of URLs, backticks) are never read.

use super::mutt_words::commands;
use super::url::{self, MailUrl};
use super::{Client, DetectedAccount, IncomingSetting, OutgoingSetting, Parsed};
use crate::account::{Protocol, Security};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Reads a file that a `source` command names (as written, `~` unexpanded).
pub type Resolver<'a> = &'a dyn Fn(&str) -> Option<(PathBuf, String)>;

const VARS: [&str; 10] = [
    "folder",
    "spoolfile",
    "pop_host",
    "imap_user",
    "pop_user",
    "smtp_url",
    "smtp_user",
    "from",
    "ssl_starttls",
    "realname",
];

/// One scope of settings: the file itself, a sourced file, or a hook.
#[derive(Debug, Default)]
struct Scope {
    file: PathBuf,
    pattern: Option<String>,
    vars: BTreeMap<String, String>,
    mailboxes: Vec<String>,
}

/// How deep `source` commands are followed.
const MAX_SOURCE_DEPTH: usize = 4;
/// How many files `source` commands may read in all (one muttrc with many
/// `source` lines of files that source others grows as a power otherwise).
const MAX_SOURCED: usize = 32;

struct Reader<'a> {
    resolve: Resolver<'a>,
    scopes: Vec<Scope>,
    problems: Vec<super::Problem>,
    /// The files being read, outermost first (canonical when possible):
    /// a file that sources one of them is a cycle.
    open_files: Vec<PathBuf>,
    sourced: usize,
}

/// The path that names the same file as `path`, when it can be known.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Reader<'_> {
    fn file(&mut self, text: &str, file: &Path, scope: usize) {
        let mut logical = String::new();
        for (i, raw) in text.lines().enumerate() {
            if let Some(part) = raw.strip_suffix('\\') {
                logical.push_str(part);
                continue;
            }
            logical.push_str(raw);
            let line = std::mem::take(&mut logical);
            match commands(&line) {
                Ok(cmds) => {
                    for c in cmds {
                        self.command(&c, file, scope, i + 1);
                    }
                }
                Err(e) => self.problems.push((Some(i + 1), e)),
            }
        }
    }

    fn command(&mut self, w: &[String], file: &Path, scope: usize, line: usize) {
        let name = w[0].as_str();
        match name {
            "set" => self.set(&w[1..], scope),
            "mailboxes" | "named-mailboxes" => {
                let s = &mut self.scopes[scope];
                s.mailboxes.extend(w[1..].iter().cloned());
            }
            "source" if w.len() >= 2 => self.source(&w[1], scope, line),
            n if n.ends_with("-hook") && w.len() >= 3 => {
                let pattern = w[1].trim_start_matches('!').replace('\\', "");
                self.scopes.push(Scope {
                    file: file.to_path_buf(),
                    pattern: Some(pattern),
                    ..Default::default()
                });
                let hook = self.scopes.len() - 1;
                match commands(&w[w.len() - 1]) {
                    Ok(cmds) => {
                        for c in cmds {
                            self.command(&c, file, hook, line);
                        }
                    }
                    Err(e) => self.problems.push((Some(line), e)),
                }
            }
            _ => {}
        }
    }

    /// Reads a sourced file once per chain, within the depth and count
    /// budgets; a cycle or an exhausted budget is a problem, not a hang.
    fn source(&mut self, name: &str, scope: usize, line: usize) {
        if self.open_files.len() > MAX_SOURCE_DEPTH {
            self.problems.push((
                Some(line),
                super::DetectProblem::SourceTooDeep {
                    max: MAX_SOURCE_DEPTH,
                },
            ));
            return;
        }
        if self.sourced >= MAX_SOURCED {
            self.problems.push((
                Some(line),
                super::DetectProblem::TooManySourced { max: MAX_SOURCED },
            ));
            return;
        }
        self.sourced += 1;
        let Some((path, text)) = (self.resolve)(name) else {
            return;
        };
        let id = identity(&path);
        if self.open_files.contains(&id) {
            self.problems
                .push((Some(line), super::DetectProblem::SourceCycle));
            return;
        }
        // A file sourced at the top is a scope of its own (often one
        // account per file); inside a hook it belongs to the hook.
        let target = if scope == 0 {
            self.scopes.push(Scope {
                file: path.clone(),
                ..Default::default()
            });
            self.scopes.len() - 1
        } else {
            scope
        };
        self.open_files.push(id);
        self.file(&text, &path, target);
        self.open_files.pop();
    }

    fn set(&mut self, args: &[String], scope: usize) {
        let mut i = 0;
        while i < args.len() {
            let var = args[i].as_str();
            let var = if var == "spool_file" {
                "spoolfile"
            } else {
                var
            };
            let var = if var == "real_name" { "realname" } else { var };
            if args.get(i + 1).is_some_and(|a| a == "=") {
                let value = args.get(i + 2).cloned().unwrap_or_default();
                if VARS.contains(&var) {
                    self.scopes[scope].vars.insert(var.to_string(), value);
                }
                i += 3;
            } else {
                if let Some(v) = var.strip_prefix("no").filter(|v| VARS.contains(v)) {
                    self.scopes[scope].vars.insert(v.to_string(), "no".into());
                } else if VARS.contains(&var) {
                    self.scopes[scope]
                        .vars
                        .insert(var.to_string(), "yes".into());
                }
                i += 1;
            }
        }
    }
}

fn incoming_url(u: &MailUrl, starttls: bool) -> Option<IncomingSetting> {
    let (protocol, security) = match u.scheme.as_str() {
        "imaps" => (Protocol::Imap, Security::Tls),
        "imap" => (Protocol::Imap, Security::Starttls),
        "pops" => (Protocol::Pop3, Security::Tls),
        "pop" | "pop3" => (Protocol::Pop3, Security::Starttls),
        _ => return None,
    };
    let security = match security {
        Security::Starttls if !starttls => Security::None,
        s => s,
    };
    Some(IncomingSetting {
        protocol,
        host: u.host.clone(),
        port: u.port.unwrap_or(protocol.default_port(security)),
        security,
        username: u.user.clone(),
        auth: Vec::new(),
    })
}

fn outgoing_url(text: &str, starttls: bool) -> Option<OutgoingSetting> {
    let u = url::parse(text)?;
    let security = match u.scheme.as_str() {
        "smtps" => Security::Tls,
        "smtp" if starttls => Security::Starttls,
        "smtp" => Security::None,
        _ => return None,
    };
    Some(OutgoingSetting {
        host: u.host,
        // mutt's smtp:// default is 25, smtps:// 465.
        port: u
            .port
            .unwrap_or(if security == Security::Tls { 465 } else { 25 }),
        security,
        username: u.user,
        auth: Vec::new(),
    })
}

fn same_server(a: &IncomingSetting, b: &IncomingSetting) -> bool {
    a.protocol == b.protocol
        && a.host == b.host
        && a.port == b.port
        && (a.username.is_empty() || b.username.is_empty() || a.username == b.username)
}

/// The accounts of a muttrc; `resolve` reads the files it sources.
pub fn parse(text: &str, file: &Path, resolve: Resolver) -> Parsed {
    let mut r = Reader {
        resolve,
        scopes: vec![Scope {
            file: file.to_path_buf(),
            ..Default::default()
        }],
        problems: Vec::new(),
        open_files: vec![identity(file)],
        sourced: 0,
    };
    r.file(text, file, 0);
    let root = &r.scopes[0];
    let starttls = root.vars.get("ssl_starttls").is_none_or(|v| v != "no");
    let found = incoming_servers(&r.scopes, starttls);
    let accounts = accounts(found, root, starttls, file);
    Parsed {
        accounts,
        problems: r.problems,
    }
}

/// An incoming server found in the scopes, with what its scope says.
struct Found {
    inc: IncomingSetting,
    file: PathBuf,
    email: String,
    out: Option<OutgoingSetting>,
}

/// Every distinct incoming server of the scopes, each completed by the
/// first scope that names it (login, address, outgoing server).
fn incoming_servers(scopes: &[Scope], starttls: bool) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut add = |inc: IncomingSetting, scope: Option<&Scope>, file: &Path| {
        let i = if let Some(i) = found.iter().position(|f| same_server(&f.inc, &inc)) {
            i
        } else {
            found.push(Found {
                inc,
                file: file.to_path_buf(),
                email: String::new(),
                out: None,
            });
            found.len() - 1
        };
        let f = &mut found[i];
        if let Some(s) = scope {
            if f.inc.username.is_empty() {
                let user = match f.inc.protocol {
                    Protocol::Imap => s.vars.get("imap_user"),
                    Protocol::Pop3 => s.vars.get("pop_user"),
                };
                f.inc.username = user.cloned().unwrap_or_default();
            }
            if f.email.is_empty() {
                f.email = s
                    .vars
                    .get("from")
                    .map(|v| super::aerc::address(v))
                    .unwrap_or_default();
            }
            if f.out.is_none() {
                let st = s.vars.get("ssl_starttls").map_or(starttls, |v| v != "no");
                f.out = s.vars.get("smtp_url").and_then(|u| outgoing_url(u, st));
            }
        }
    };
    for s in scopes {
        let st = s.vars.get("ssl_starttls").map_or(starttls, |v| v != "no");
        let url = ["spoolfile", "folder", "pop_host"]
            .iter()
            .filter_map(|v| s.vars.get(*v))
            .chain(s.pattern.iter())
            .filter_map(|v| url::parse(v))
            .find_map(|u| incoming_url(&u, st));
        if let Some(inc) = url {
            add(inc, Some(s), &s.file);
        }
        for m in &s.mailboxes {
            if let Some(inc) = url::parse(m).and_then(|u| incoming_url(&u, st)) {
                add(inc, None, &s.file);
            }
        }
    }
    found
}

/// The accounts: each found server, with the top-level settings as every
/// account's defaults; an outgoing server alone when nothing else.
fn accounts(found: Vec<Found>, root: &Scope, starttls: bool, file: &Path) -> Vec<DetectedAccount> {
    let root_email = root
        .vars
        .get("from")
        .map(|v| super::aerc::address(v))
        .unwrap_or_default();
    let root_out = root
        .vars
        .get("smtp_url")
        .and_then(|u| outgoing_url(u, starttls));
    let root_user = |p: Protocol| match p {
        Protocol::Imap => root.vars.get("imap_user"),
        Protocol::Pop3 => root.vars.get("pop_user"),
    };
    let mut accounts = Vec::new();
    for mut f in found {
        if f.inc.username.is_empty() {
            f.inc.username = root_user(f.inc.protocol).cloned().unwrap_or_default();
        }
        if f.email.is_empty() {
            f.email = root_email.clone();
        }
        if f.email.is_empty() && f.inc.username.contains('@') {
            f.email = f.inc.username.clone();
        }
        let out = f.out.or_else(|| root_out.clone());
        accounts.push(DetectedAccount::new(
            Client::Mutt,
            &f.file,
            "",
            &f.email,
            Some(f.inc),
            out,
        ));
    }
    if accounts.is_empty()
        && let Some(out) = root_out
    {
        accounts.push(DetectedAccount::new(
            Client::Mutt,
            file,
            "",
            &root_email,
            None,
            Some(out),
        ));
    }
    accounts
}
