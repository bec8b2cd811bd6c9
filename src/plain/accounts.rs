//! The first step in plain mode: the saved accounts and what can be done
//! with each (check, send a test message, diagnose, edit, remove), the
//! accounts found in other mail clients to import, a new account — the
//! full screen's welcome list, as numbered choices. Each choice is the key
//! presses the full screen would receive.

use super::Session;
use super::ask::{Choice, press};
use crate::account::Protocol;
use crate::i18n::Lang;
use crate::i18n::{t, tf};
use crate::tui::{App, Modal, key};
use crossterm::event::KeyCode;

/// What the first menu's answer leads to.
enum Pick {
    Account(usize),
    Keys(Vec<KeyCode>),
}

impl Session<'_> {
    /// The welcome step; false when the input ended.
    pub(super) fn welcome_menu(&mut self) -> bool {
        let lang = self.app.lang;
        let item = |k: &str| t(lang, k).to_string();
        if self.app.troubleshoot.is_some() {
            return self.menu(vec![
                (item("plain.trouble.bundle"), press('b')),
                (item("plain.trouble.rediagnose"), press('r')),
                (item("plain_accounts.close_diagnosis"), vec![KeyCode::Esc]),
            ]);
        }
        if let Some(Modal::ConfirmRemove(name)) = &self.app.modal {
            let question = tf(lang, "tui.welcome.remove_confirm", &[("name", name)]);
            self.console.line(&question);
            return self.menu(vec![
                (item("plain_accounts.remove_yes"), press('y')),
                (item("plain_accounts.remove_no"), press('n')),
            ]);
        }
        if let Some(notice) = self.app.notice.take() {
            self.console.line(t(lang, notice));
        }
        let (words, picks) = first_menu(self.app);
        let Some(i) = self.pick(&words) else {
            return false;
        };
        match &picks[i] {
            Pick::Account(n) => self.account_menu(*n),
            Pick::Keys(keys) => {
                for k in keys {
                    self.feed(key(*k));
                }
                true
            }
        }
    }

    /// One saved account: its settings said, then what to do with it.
    fn account_menu(&mut self, n: usize) -> bool {
        let lang = self.app.lang;
        let item = |k: &str| t(lang, k).to_string();
        let Some(account) = self.app.accounts().get(n).cloned() else {
            return true;
        };
        let incoming = format!("{}:{}", account.incoming.host, account.incoming.port);
        let smtp = format!("{}:{}", account.smtp.host, account.smtp.port);
        self.console.line(&tf(
            lang,
            "plain_accounts.account",
            &[
                ("name", &account.name),
                ("protocol", protocol_name(lang, account.incoming.protocol)),
                ("incoming", &incoming),
                ("smtp", &smtp),
            ],
        ));
        let choices: Vec<Choice> = vec![
            (item("plain_accounts.check"), press('c')),
            (item("plain_accounts.send"), press('s')),
            (item("plain_accounts.diagnose"), press('d')),
            (item("plain_accounts.edit"), press('e')),
            (item("plain_accounts.remove"), vec![KeyCode::Delete]),
            (item("plain_accounts.back"), Vec::new()),
        ];
        self.select(n);
        self.managed = true;
        let answered = self.menu(choices);
        if self.app.troubleshoot.is_some() {
            self.console.line(t(lang, "plain.trouble.diagnosing"));
        }
        answered
    }

    /// Moves the selection to entry `n` of the welcome list, as ↓ would.
    fn select(&mut self, n: usize) {
        let total = self.app.accounts().len() + self.app.detected.len();
        for _ in 0..total {
            if self.app.selected == n {
                return;
            }
            self.feed(key(KeyCode::Down));
        }
    }
}

/// The first menu: each saved account, a new account, each account found in
/// another client, quit.
fn first_menu(app: &App) -> (Vec<String>, Vec<Pick>) {
    let lang = app.lang;
    let mut words = Vec::new();
    let mut picks = Vec::new();
    for (i, a) in app.accounts().iter().enumerate() {
        words.push(tf(
            lang,
            "plain_accounts.manage",
            &[
                ("name", &a.name),
                ("protocol", protocol_name(lang, a.incoming.protocol)),
                ("host", &a.incoming.host),
            ],
        ));
        picks.push(Pick::Account(i));
    }
    words.push(t(lang, "plain.menu.new_account").to_string());
    picks.push(Pick::Keys(press('n')));
    for (i, d) in app.detected.iter().enumerate() {
        let client = t(lang, d.client.i18n_key());
        words.push(tf(
            lang,
            "plain_accounts.import",
            &[("who", d.who()), ("client", client)],
        ));
        picks.push(Pick::Keys(import_keys(app, i)));
    }
    words.push(t(lang, "plain.menu.quit").to_string());
    picks.push(Pick::Keys(press('q')));
    (words, picks)
}

/// The keys that select detected entry `i` from the current selection and
/// import it.
fn import_keys(app: &App, i: usize) -> Vec<KeyCode> {
    let total = app.accounts().len() + app.detected.len();
    let target = app.accounts().len() + i;
    let downs = (target + total - app.selected % total.max(1)) % total.max(1);
    let mut keys = vec![KeyCode::Down; downs];
    keys.push(KeyCode::Char('i'));
    keys
}

/// "IMAP" or "POP3", as the full screen names them.
fn protocol_name(lang: Lang, p: Protocol) -> &'static str {
    t(
        lang,
        match p {
            Protocol::Imap => "tui.protocol.imap_name",
            Protocol::Pop3 => "tui.protocol.pop_name",
        },
    )
}
