//! The wizard's steps, in order. One file per step lives under `steps/`.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    Welcome,
    Identity,
    SettingsFound,
    Protocol,
    Incoming,
    Outgoing,
    Password,
    Test,
    Send,
    Summary,
}

impl Step {
    pub const ALL: [Step; 10] = [
        Step::Welcome,
        Step::Identity,
        Step::SettingsFound,
        Step::Protocol,
        Step::Incoming,
        Step::Outgoing,
        Step::Password,
        Step::Test,
        Step::Send,
        Step::Summary,
    ];

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Step {
        Step::ALL.get(self.index() + 1).copied().unwrap_or(self)
    }

    pub fn prev(self) -> Step {
        self.index().checked_sub(1).map_or(self, |i| Step::ALL[i])
    }

    /// The i18n key prefix of the step (`tui.<id>.*`).
    pub fn id(self) -> &'static str {
        match self {
            Step::Welcome => "welcome",
            Step::Identity => "identity",
            Step::SettingsFound => "settings_found",
            Step::Protocol => "protocol",
            Step::Incoming => "incoming",
            Step::Outgoing => "outgoing",
            Step::Password => "password",
            Step::Test => "test",
            Step::Send => "send",
            Step::Summary => "summary",
        }
    }

    pub fn title_key(self) -> String {
        format!("tui.{}.title", self.id())
    }

    pub fn help_key(self) -> String {
        format!("tui.{}.help", self.id())
    }
}
