//! The orchestrator: every source on its own thread, one deadline, results
//! gathered as they come, an early stop once a top-priority source has
//! answered. Threads still running at the end are left to finish on their
//! own (each is bounded by the same deadline); nobody waits for them.

use super::{
    Candidate, DiscoverOptions, DiscoverReport, Source, SourceDetail, SourceEvent, SourceReport,
    SourceStatus,
};
use crate::account::{Account, domain_of};
use crate::net::Deadline;
use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

/// What every source gets.
pub(crate) struct Ctx {
    pub email: String,
    pub domain: String,
    pub opts: DiscoverOptions,
    pub deadline: Deadline,
    /// Which sources have ended, and whether with usable settings.
    pub first_answers: Arc<Answers>,
}

/// The sources that have ended, for a source that only runs when others
/// found nothing (Autodiscover).
#[derive(Default)]
pub(crate) struct Answers {
    ended: Mutex<BTreeMap<Source, bool>>,
    changed: Condvar,
}

impl Answers {
    pub fn record(&self, source: Source, usable: bool) {
        if let Ok(mut ended) = self.ended.lock() {
            ended.insert(source, usable);
            self.changed.notify_all();
        }
    }

    /// Waits until every source of `wanted` that runs has ended (or the
    /// deadline); true as soon as one of them gave usable settings.
    pub fn wait_any_usable(
        &self,
        wanted: &[Source],
        running: &[Source],
        deadline: &Deadline,
    ) -> bool {
        let wanted: Vec<Source> = wanted
            .iter()
            .copied()
            .filter(|s| running.contains(s))
            .collect();
        let Ok(mut ended) = self.ended.lock() else {
            return false;
        };
        loop {
            if wanted.iter().any(|s| ended.get(s) == Some(&true)) {
                return true;
            }
            let left = deadline.left();
            if wanted.iter().all(|s| ended.contains_key(s)) || left.is_zero() {
                return false;
            }
            let wait = left.min(Duration::from_millis(50));
            ended = match self.changed.wait_timeout(ended, wait) {
                Ok((guard, _)) => guard,
                Err(_) => return false,
            };
        }
    }
}

/// What a source ends with.
pub(crate) struct Outcome {
    pub status: SourceStatus,
    pub detail: SourceDetail,
    pub candidates: Vec<Candidate>,
}

impl Outcome {
    pub fn found(detail: SourceDetail, candidates: Vec<Candidate>) -> Outcome {
        let status = if candidates.is_empty() {
            SourceStatus::None
        } else {
            SourceStatus::Ok
        };
        Outcome {
            status,
            detail,
            candidates,
        }
    }
    pub fn none(detail: SourceDetail) -> Outcome {
        Outcome {
            status: SourceStatus::None,
            detail,
            candidates: Vec::new(),
        }
    }
    pub fn error(detail: SourceDetail) -> Outcome {
        Outcome {
            status: SourceStatus::Error,
            detail,
            candidates: Vec::new(),
        }
    }
    pub fn timeout(detail: SourceDetail) -> Outcome {
        Outcome {
            status: SourceStatus::Timeout,
            detail,
            candidates: Vec::new(),
        }
    }
}

fn run_source(source: Source, ctx: &Ctx) -> Outcome {
    #[cfg(feature = "test-support")]
    if let Some((_, d)) = ctx.opts.slow.iter().find(|(s, _)| *s == source) {
        std::thread::sleep((*d).min(ctx.deadline.left()));
    }
    if ctx.deadline.left().is_zero() {
        return Outcome::timeout(SourceDetail::NoTimeLeft);
    }
    match source {
        Source::Preset => super::preset::run(ctx),
        Source::Ispdb => super::ispdb::run(ctx),
        Source::Autoconfig => super::autoconfig::run(ctx),
        Source::Srv => super::srv::run(ctx),
        Source::Mx => super::mx::run(ctx),
        Source::Guess => super::guess::run(ctx),
        Source::Autodiscover => super::autodiscover::run(ctx),
    }
}

fn ms_since(t: Instant) -> u64 {
    t.elapsed().as_millis() as u64
}

type Done = BTreeMap<Source, (Outcome, u64)>;
type Finish<'a> = dyn Fn(Source, &Outcome, u64) + 'a;

/// Runs the chosen sources for `email` and reports what each found.
/// `progress` is called on the caller's thread, as sources start and end.
pub fn discover(
    email: &str,
    opts: &DiscoverOptions,
    progress: &(dyn Fn(SourceEvent) + Sync),
) -> DiscoverReport {
    let start = Instant::now();
    let email = email.trim().to_string();
    let mut sources: Vec<Source> = opts.sources.clone();
    sources.sort();
    sources.dedup();
    let ctx = Arc::new(Ctx {
        domain: domain_of(&email).trim_end_matches('.').to_ascii_lowercase(),
        email: email.clone(),
        opts: opts.clone(),
        deadline: Deadline::after(opts.timeout, opts.cancel.clone()),
        first_answers: Arc::default(),
    });
    let finish = |source: Source, out: &Outcome, ms: u64| {
        let report = SourceReport {
            source,
            status: out.status,
            ms,
            detail: out.detail.clone(),
        };
        progress(SourceEvent::Finished {
            report,
            candidates: out.candidates.len(),
        });
    };
    let started = |s: Source| progress(SourceEvent::Started(s));
    #[cfg(feature = "test-support")]
    let sequential = opts.sequential;
    #[cfg(not(feature = "test-support"))]
    let sequential = false;
    let done = if sequential {
        run_sequential(&sources, &ctx, &started, &finish)
    } else {
        let mut done = run_parallel(&sources, &ctx, &started, &finish);
        let why = if ctx.deadline.check_cancel().is_err() {
            SourceDetail::Cancelled
        } else if ctx.deadline.left().is_zero() {
            SourceDetail::Deadline {
                ms: opts.timeout.as_millis() as u64,
            }
        } else {
            SourceDetail::StoppedEarly
        };
        for &s in &sources {
            if let std::collections::btree_map::Entry::Vacant(slot) = done.entry(s) {
                let out = Outcome::timeout(why.clone());
                finish(s, &out, ms_since(start));
                slot.insert((out, ms_since(start)));
            }
        }
        done
    };
    assemble(email, start, &sources, done)
}

/// Benchmarks only: each source on its own, with a fresh deadline.
fn run_sequential(
    sources: &[Source],
    ctx: &Ctx,
    started: &dyn Fn(Source),
    finish: &Finish<'_>,
) -> Done {
    let mut done = Done::new();
    for &s in sources {
        started(s);
        let t = Instant::now();
        let own = Ctx {
            email: ctx.email.clone(),
            domain: ctx.domain.clone(),
            opts: ctx.opts.clone(),
            deadline: Deadline::after(ctx.opts.timeout, ctx.opts.cancel.clone()),
            first_answers: ctx.first_answers.clone(),
        };
        let out = run_source(s, &own);
        ctx.first_answers
            .record(s, out.candidates.iter().any(Candidate::is_usable));
        finish(s, &out, ms_since(t));
        done.insert(s, (out, ms_since(t)));
    }
    done
}

/// Every source on its thread; gathers outcomes until all are in, the
/// deadline, a cancel, or (with `stop_early`) a top-priority answer.
fn run_parallel(
    sources: &[Source],
    shared: &Arc<Ctx>,
    started: &dyn Fn(Source),
    finish: &Finish<'_>,
) -> Done {
    let mut done = Done::new();
    let (tx, rx) = mpsc::channel::<(Source, Outcome, u64)>();
    for &s in sources {
        started(s);
        let (tx, c) = (tx.clone(), shared.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("discover-{s}"))
            .spawn(move || {
                let t = Instant::now();
                let out = run_source(s, &c);
                c.first_answers
                    .record(s, out.candidates.iter().any(Candidate::is_usable));
                let _ = tx.send((s, out, ms_since(t)));
            });
        if spawned.is_err() {
            done.insert(s, (Outcome::error(SourceDetail::CannotStart), 0));
        }
    }
    drop(tx);
    while done.len() < sources.len() {
        let top_answered = done
            .values()
            .any(|(o, _)| o.candidates.iter().any(Candidate::is_top));
        if (shared.opts.stop_early && top_answered) || shared.deadline.check_cancel().is_err() {
            break;
        }
        let left = shared.deadline.left();
        if left.is_zero() {
            break;
        }
        match rx.recv_timeout(left.min(Duration::from_millis(50))) {
            Ok((s, out, ms)) => {
                finish(s, &out, ms);
                done.insert(s, (out, ms));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    done
}

/// The report: candidates best first, sources in the canonical order.
fn assemble(email: String, start: Instant, sources: &[Source], mut done: Done) -> DiscoverReport {
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut reports = Vec::new();
    for &s in sources {
        let (out, ms) = done.remove(&s).expect("every source has an outcome");
        candidates.extend(out.candidates);
        reports.push(SourceReport {
            source: s,
            status: out.status,
            ms,
            detail: out.detail,
        });
    }
    keep_guesses_for_gaps(&mut candidates, &mut reports);
    candidates.sort_by_key(Candidate::rank);
    DiscoverReport {
        email,
        elapsed_ms: ms_since(start),
        candidates,
        sources: reports,
    }
}

/// Guessing only fills what nothing else found: guessed incoming servers go
/// when another source gave incoming ones, and likewise for outgoing.
fn keep_guesses_for_gaps(candidates: &mut Vec<Candidate>, reports: &mut [SourceReport]) {
    let others = candidates.iter().filter(|c| c.source != Source::Guess);
    let (mut has_in, mut has_out) = (false, false);
    for c in others {
        has_in |= !c.incoming.is_empty();
        has_out |= !c.outgoing.is_empty();
    }
    let before = candidates.len();
    for c in candidates.iter_mut().filter(|c| c.source == Source::Guess) {
        if has_in {
            c.incoming.clear();
        }
        if has_out {
            c.outgoing.clear();
        }
    }
    candidates
        .retain(|c| c.source != Source::Guess || !c.incoming.is_empty() || !c.outgoing.is_empty());
    if candidates.len() < before
        && let Some(r) = reports
            .iter_mut()
            .find(|r| r.source == Source::Guess && r.status == SourceStatus::Ok)
        && let SourceDetail::Guessed { not_needed, .. } = &mut r.detail
    {
        *not_needed = true;
    }
}

/// The best usable candidate as an account, or None when discovery found
/// nothing with both an incoming and an outgoing server. For `add --discover`.
pub fn best_account(email: &str, opts: &DiscoverOptions) -> Option<(Account, Candidate)> {
    let report = discover(email, opts, &|_| {});
    let best = report.candidates.into_iter().find(Candidate::is_usable)?;
    Some((best.to_account(email), best))
}
