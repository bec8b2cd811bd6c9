//! The questions of each step, and their answers turned into the key
//! presses the full-screen wizard would have received.

use super::Session;
use super::say;
use crate::i18n::{t, tf};
use crate::tui::{Field, Msg, Step, key};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A numbered choice: its words, and the keys that choose it.
pub(super) type Choice = (String, Vec<KeyCode>);

pub(super) fn press(c: char) -> Vec<KeyCode> {
    vec![KeyCode::Char(c)]
}

pub(super) fn enter() -> Vec<KeyCode> {
    vec![KeyCode::Enter]
}

impl Session<'_> {
    /// Asks what the current step needs; false when the input ended.
    pub(super) fn ask_step(&mut self) -> bool {
        let lang = self.app.lang;
        let item = |k: &str| t(lang, k).to_string();
        match self.app.step {
            Step::Welcome => self.welcome_menu(),
            Step::SettingsFound => {
                say::settings(self.app, self.console);
                self.menu(vec![
                    (item("plain.menu.use_settings"), enter()),
                    (item("plain.menu.manual"), press('m')),
                ])
            }
            Step::Test => self.test_menu(),
            Step::Password if crate::tui::is_oauth(self.app) => self.signin_step(),
            Step::Send => self.send_menu(),
            Step::Summary => self.menu(vec![(item("plain.menu.finish"), press('q'))]),
            _ => self.form_then_enter(),
        }
    }

    fn send_menu(&mut self) -> bool {
        let lang = self.app.lang;
        let item = |k: &str| t(lang, k).to_string();
        let sent = self.app.send.report.as_ref().is_some_and(|r| r.ok);
        let arrived = self.app.send.verify.as_ref().is_some_and(|v| v.found);
        let mut choices = Vec::new();
        if sent {
            if !arrived {
                choices.push((item("plain.menu.wait_arrival"), press('w')));
            }
            choices.push((item("plain.menu.continue"), enter()));
        } else {
            choices.push((item("plain.menu.send"), press('s')));
            choices.push((item("plain.menu.skip_send"), press('n')));
        }
        self.menu(choices)
    }

    /// Numbered choices; `?` shows the step's help. False at end of input.
    pub(super) fn menu(&mut self, choices: Vec<Choice>) -> bool {
        let words: Vec<String> = choices.iter().map(|(w, _)| w.clone()).collect();
        let Some(i) = self.pick(&words) else {
            return false;
        };
        for k in &choices[i].1 {
            self.feed(key(*k));
        }
        true
    }

    /// The index of the choice answered; None at the end of the input.
    pub(super) fn pick(&mut self, words: &[String]) -> Option<usize> {
        let lang = self.app.lang;
        for (i, w) in words.iter().enumerate() {
            self.console.line(&format!("  {}) {w}", i + 1));
        }
        loop {
            self.console.prompt(t(lang, "plain.prompt.number"));
            let answer = self.console.read()?;
            if answer == "?" {
                say::help(self.app, self.console);
                continue;
            }
            let n = if answer.is_empty() {
                Some(1)
            } else {
                answer.parse::<usize>().ok()
            };
            if let Some(i) = n
                .and_then(|n| n.checked_sub(1))
                .filter(|i| *i < words.len())
            {
                return Some(i);
            }
            let max = words.len().to_string();
            self.console
                .line(&tf(lang, "plain.prompt.bad_number", &[("max", &max)]));
        }
    }

    /// Each field of the step in turn (the list may change with an
    /// answer: "same login" unticked adds the SMTP user), then Enter.
    fn form_then_enter(&mut self) -> bool {
        let mut i = 0;
        loop {
            let fields = self.app.fields();
            let Some(&field) = fields.get(i) else { break };
            i += 1;
            if matches!(
                field,
                Field::ShowPassword | Field::SignInBrowser | Field::SignInDevice
            ) {
                continue;
            }
            self.app.focus = i - 1;
            if !self.field(field) {
                return false;
            }
            if field == Field::AuthMethod && crate::tui::is_oauth(self.app) {
                // The Sign-in step's own questions follow, announced.
                self.announced = None;
                return true;
            }
        }
        self.feed(key(KeyCode::Enter));
        true
    }

    pub(super) fn field(&mut self, field: Field) -> bool {
        let lang = self.app.lang;
        let label = t(lang, field.label_key());
        match field {
            Field::Password | Field::SmtpPassword | Field::ClientSecret => {
                self.console
                    .prompt(&tf(lang, "plain.prompt.secret", &[("label", label)]));
                let Some(secret) = self.console.read_secret() else {
                    return false;
                };
                if !secret.is_empty() {
                    self.feed(ctrl('u'));
                    for c in secret.expose().chars() {
                        self.feed(key(KeyCode::Char(c)));
                    }
                }
                true
            }
            Field::KeepCopy | Field::AuthRequired | Field::SameLogin => self.check(field, label),
            Field::Protocol
            | Field::InSecurity
            | Field::OutSecurity
            | Field::Variant
            | Field::AuthMethod => self.choice(field, label),
            _ => self.text(field, label),
        }
    }

    fn text(&mut self, field: Field, label: &str) -> bool {
        let lang = self.app.lang;
        let value = self
            .app
            .form
            .input(field)
            .map_or(String::new(), |i| i.value().to_string());
        loop {
            self.console.prompt(&tf(
                lang,
                "plain.prompt.text",
                &[("label", label), ("value", &value)],
            ));
            let Some(answer) = self.console.read() else {
                return false;
            };
            if answer == "?" {
                say::help(self.app, self.console);
                continue;
            }
            if !answer.is_empty() {
                self.feed(ctrl('u'));
                for c in answer.chars() {
                    self.feed(key(KeyCode::Char(c)));
                }
            }
            return true;
        }
    }

    fn check(&mut self, field: Field, label: &str) -> bool {
        let lang = self.app.lang;
        let on = say::check_value(self.app, field);
        let value = t(lang, if on { "plain.yes" } else { "plain.no" });
        loop {
            self.console.prompt(&tf(
                lang,
                "plain.prompt.check",
                &[("label", label), ("value", value)],
            ));
            let Some(answer) = self.console.read() else {
                return false;
            };
            let answer = answer.to_lowercase();
            let want = match answer.as_str() {
                "" => on,
                "y" | "yes" | "o" | "oui" => true,
                "n" | "no" | "non" => false,
                "?" => {
                    say::help(self.app, self.console);
                    continue;
                }
                _ => continue,
            };
            if want != on {
                self.feed(key(KeyCode::Char(' ')));
            }
            return true;
        }
    }

    /// The values of a choice, numbered: found by turning it round once
    /// (as Right does on screen), then turned to the one chosen.
    fn choice(&mut self, field: Field, label: &str) -> bool {
        let lang = self.app.lang;
        let mut values = vec![say::choice_value(self.app, field)];
        for _ in 0..8 {
            self.feed(key(KeyCode::Right));
            let v = say::choice_value(self.app, field);
            if v == values[0] {
                break;
            }
            values.push(v);
        }
        self.console
            .line(&tf(lang, "plain.prompt.choice", &[("label", label)]));
        for (i, v) in values.iter().enumerate() {
            self.console.line(&format!("  {}) {v}", i + 1));
        }
        loop {
            self.console.prompt(&tf(
                lang,
                "plain.prompt.choice_number",
                &[("value", &values[0])],
            ));
            let Some(answer) = self.console.read() else {
                return false;
            };
            if answer == "?" {
                say::help(self.app, self.console);
                continue;
            }
            let n = if answer.is_empty() {
                Some(1)
            } else {
                answer.parse::<usize>().ok()
            };
            let Some(i) = n
                .and_then(|n| n.checked_sub(1))
                .filter(|i| *i < values.len())
            else {
                let max = values.len().to_string();
                self.console
                    .line(&tf(lang, "plain.prompt.bad_number", &[("max", &max)]));
                continue;
            };
            for _ in 0..i {
                self.feed(key(KeyCode::Right));
            }
            return true;
        }
    }
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}
