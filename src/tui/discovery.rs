//! Discovery on the "Settings found" step: one run in the background with
//! live per-source status, then its candidates, one of them in the form.
//! Pure state changes; the run itself is `Effect::Discover`.

use super::app::App;
use super::msg::Effect;
use crate::discover::{Candidate, DiscoverReport, Source, SourceEvent, SourceReport};
use crate::providers;

/// Where one source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    Waiting,
    Running,
    Done(SourceReport),
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// The run in flight (its request id).
    pub id: Option<u64>,
    /// The address searched for.
    pub email: String,
    /// Every source of the run, in the canonical order.
    pub sources: Vec<(Source, SourceState)>,
    /// The finished run: candidates best first.
    pub report: Option<DiscoverReport>,
    /// The run ended early because a top-priority source answered: the
    /// sources cut short were not needed (not slow).
    pub stopped_early: bool,
    /// Esc stopped the run.
    pub cancelled: bool,
    /// The run's task died (a panic: a bug in mailwiz).
    pub crashed: Option<super::msg::WorkerDied>,
    /// Show the list of candidates instead of the sources.
    pub list: bool,
    /// The user said no to following Autodiscover's redirect.
    pub redirect_declined: bool,
    /// Domains this run was allowed to be redirected to (the user said yes).
    /// Such a run puts its best candidate in the form even when the form
    /// holds one of the first run's (a guess, found again).
    pub redirect_allowed: Vec<String>,
}

impl Discovery {
    pub fn running(&self) -> bool {
        self.id.is_some()
    }

    /// Nothing was started (discovery is off, or settings were kept).
    pub fn idle(&self) -> bool {
        self.sources.is_empty()
    }

    pub fn candidates(&self) -> &[Candidate] {
        self.report
            .as_ref()
            .map_or(&[][..], |r| r.candidates.as_slice())
    }

    /// The one to propose: the best usable candidate, else the best.
    pub fn best(&self) -> Option<usize> {
        let c = self.candidates();
        c.iter()
            .position(Candidate::is_usable)
            .or((!c.is_empty()).then_some(0))
    }
}

/// The preset variant a preset candidate stands for (`preset:<id>/<variant>`).
fn preset_variant(c: &Candidate) -> Option<&str> {
    c.origin
        .strip_prefix("preset:")
        .and_then(|r| r.split_once('/'))
        .map(|(_, v)| v)
}

/// The candidate the form holds now, if it holds one.
pub fn current(app: &App) -> Option<usize> {
    let form = &app.form;
    let cands = app.discovery.candidates();
    if let Some(p) = form.provider() {
        let variant = form.variant_id();
        return cands.iter().position(|c| {
            c.source == Source::Preset
                && c.provider.as_deref() == Some(p.id.as_str())
                && (preset_variant(c).is_none() || preset_variant(c) == variant)
        });
    }
    let d = form.discovered.as_deref()?;
    cands.iter().position(|c| c == d)
}

/// Starts a run for the address in the form (when discovery is on),
/// cancelling any run still going.
pub fn start(app: &mut App) -> Vec<Effect> {
    start_allowing(app, Vec::new())
}

/// A run that may follow Autodiscover's redirects to the `allowed`
/// domains, on top of those the options already allow.
fn start_allowing(app: &mut App, allowed: Vec<String>) -> Vec<Effect> {
    let mut effects = cancel(app);
    app.discovery = Discovery::default();
    let Some(mut options) = app.discover_options.clone() else {
        return effects;
    };
    options.autodiscover_allow.extend(allowed.iter().cloned());
    let email = app.form.email().to_string();
    let mut sources = options.sources.clone();
    sources.sort();
    sources.dedup();
    let id = app.request_id(super::msg::Purpose::Discover);
    app.discovery = Discovery {
        id: Some(id),
        email: email.clone(),
        sources: sources
            .into_iter()
            .map(|s| (s, SourceState::Waiting))
            .collect(),
        redirect_allowed: allowed,
        ..Discovery::default()
    };
    effects.push(Effect::Discover {
        id,
        email,
        options: Box::new(options),
    });
    effects
}

/// The question to ask: Autodiscover was sent to another domain and the
/// run ended without following it: (the address's domain, the other
/// one), both cleaned for the screen.
pub fn redirect_question(app: &App) -> Option<(String, String)> {
    use crate::discover::SourceDetail;
    let d = &app.discovery;
    if d.running() || d.redirect_declined {
        return None;
    }
    let host = d.sources.iter().find_map(|(s, st)| match st {
        SourceState::Done(r) if *s == Source::Autodiscover => match &r.detail {
            SourceDetail::RedirectNeedsConsent { host } => Some(host),
            _ => None,
        },
        _ => None,
    })?;
    let clean = |s: &str| crate::net::clean_text(s.as_bytes());
    let from = clean(crate::account::domain_of(&d.email));
    Some((from, clean(host)))
}

/// Yes: discovery runs again, allowed to follow the redirect.
pub fn follow_redirect(app: &mut App) -> Vec<Effect> {
    let Some((_, host)) = redirect_question(app) else {
        return Vec::new();
    };
    let mut allowed = app.discovery.redirect_allowed.clone();
    allowed.push(host);
    start_allowing(app, allowed)
}

/// No: the redirect stays unfollowed; the note says why nothing came.
pub fn decline_redirect(app: &mut App) {
    app.discovery.redirect_declined = true;
    app.dirty = true;
}

/// Esc: stops the run at once; what it would still send is dropped.
pub fn cancel(app: &mut App) -> Vec<Effect> {
    match app.discovery.id.take() {
        Some(id) => {
            app.pending.remove(&id);
            app.discovery.cancelled = true;
            vec![Effect::Cancel(id)]
        }
        None => Vec::new(),
    }
}

fn set(app: &mut App, source: Source, state: SourceState) {
    if let Some(slot) = app.discovery.sources.iter_mut().find(|(s, _)| *s == source) {
        slot.1 = state;
    }
}

/// A source started or ended. Returns false when the id is not this run's.
pub fn on_event(app: &mut App, id: u64, event: SourceEvent) -> bool {
    if app.discovery.id != Some(id) {
        return false;
    }
    match event {
        SourceEvent::Started(s) => set(app, s, SourceState::Running),
        SourceEvent::Finished { report, .. } => set(app, report.source, SourceState::Done(report)),
    }
    true
}

/// The run ended: every source's outcome, and the best candidate goes
/// into the form (a preset already shown stays as it is, variant included).
pub fn on_report(app: &mut App, id: u64, report: DiscoverReport) {
    if app.discovery.id != Some(id) {
        return;
    }
    let d = &mut app.discovery;
    d.id = None;
    for r in &report.sources {
        if let Some(slot) = d.sources.iter_mut().find(|(s, _)| *s == r.source) {
            slot.1 = SourceState::Done(r.clone());
        }
    }
    let stop_early = app.discover_options.as_ref().is_none_or(|o| o.stop_early);
    d.stopped_early = stop_early && report.candidates.iter().any(Candidate::is_top);
    d.report = Some(report);
    let followed = !app.discovery.redirect_allowed.is_empty();
    if (current(app).is_none() || followed)
        && let Some(best) = app.discovery.best()
    {
        apply(app, best);
    }
}

/// The run died: say so; the form keeps what it shows.
pub fn on_died(app: &mut App, id: u64, died: super::msg::WorkerDied) {
    if app.discovery.id == Some(id) {
        app.discovery.id = None;
        app.discovery.crashed = Some(died);
    }
}

/// Puts candidate `i` into the form.
pub fn apply(app: &mut App, i: usize) {
    let Some(c) = app.discovery.candidates().get(i).cloned() else {
        return;
    };
    let preset = c.provider.as_deref().and_then(providers::by_id);
    match preset {
        Some(p) if c.source == Source::Preset => {
            app.form.apply_provider(p, preset_variant(&c));
        }
        _ => app.form.apply_discovered(&c),
    }
}

/// N: the next candidate (after the last, the first again).
pub fn next(app: &mut App, forward: bool) {
    let n = app.discovery.candidates().len();
    if n == 0 {
        return;
    }
    let i = match current(app) {
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
        None => 0,
    };
    apply(app, i);
    app.dirty = true;
}
