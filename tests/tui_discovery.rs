#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Discovery on the wizard's "Settings found" step: per-source events in,
//! status and the chosen candidate out; stale results dropped; Esc cancels.
//! Snapshots of the step while searching and with results, in EN and FR.
//! Nothing here runs a search: the effects are only looked at.

use crossterm::event::KeyCode;
use mailwiz::account::{Protocol, Security};
use mailwiz::config::Config;
use mailwiz::discover::{
    Candidate, DiscoverOptions, DiscoverReport, IncomingSetting, OutgoingSetting, Source,
    SourceDetail, SourceEvent, SourceReport, SourceStatus,
};
use mailwiz::i18n::Lang;
use mailwiz::tui::{App, AppOptions, Effect, Msg, SourceState, Step, key, render, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;

const EMAIL: &str = "bob@dd.iij4u.or.jp";
const ISPDB: &str = "https://autoconfig.thunderbird.net/v1.1/dd.iij4u.or.jp";

fn app() -> App {
    let mut o = AppOptions::new(
        PathBuf::from("/home/bob/.config/mailwiz/accounts.toml"),
        Lang::En,
        Ok(Config::default()),
    );
    // Never used to search here; a test that ran it would stay offline.
    o.discover = Some(DiscoverOptions {
        sources: Source::ALL.to_vec(),
        ispdb_url: "http://127.0.0.1:9/".into(),
        dns_server: Some("127.0.0.1:9".parse().unwrap()),
        ..DiscoverOptions::default()
    });
    App::new(o)
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, key(code))
}

/// Welcome → Identity → Enter: the id of the search that starts.
fn to_settings(app: &mut App, email: &str) -> u64 {
    press(app, KeyCode::Enter);
    for c in "Bob".chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Tab);
    for c in email.chars() {
        press(app, KeyCode::Char(c));
    }
    let effects = press(app, KeyCode::Enter);
    assert_eq!(app.step, Step::SettingsFound);
    match effects.as_slice() {
        [
            Effect::Discover {
                id,
                email: e,
                options,
            },
        ] => {
            assert_eq!(e, email);
            assert_eq!(options.sources, Source::ALL.to_vec());
            assert!(options.cancel.is_none(), "the runner sets the flag");
            *id
        }
        other => panic!("{other:?}"),
    }
}

fn started(app: &mut App, id: u64, s: Source) {
    assert!(
        update(
            app,
            Msg::Discovery {
                id,
                event: SourceEvent::Started(s)
            }
        )
        .is_empty()
    );
}

fn src_report(source: Source, status: SourceStatus, ms: u64) -> SourceReport {
    SourceReport {
        source,
        status,
        ms,
        detail: SourceDetail::None,
    }
}

fn finished(app: &mut App, id: u64, source: Source, status: SourceStatus, ms: u64) {
    let report = src_report(source, status, ms);
    update(
        app,
        Msg::Discovery {
            id,
            event: SourceEvent::Finished {
                report,
                candidates: usize::from(status == SourceStatus::Ok),
            },
        },
    );
}

fn inc(
    protocol: Protocol,
    host: &str,
    port: u16,
    security: Security,
    user: &str,
) -> IncomingSetting {
    IncomingSetting {
        protocol,
        host: host.into(),
        port,
        security,
        username: user.into(),
        auth: vec!["password-cleartext".into()],
    }
}

fn out(host: &str, port: u16, security: Security, user: &str) -> OutgoingSetting {
    OutgoingSetting {
        host: host.into(),
        port,
        security,
        username: user.into(),
        auth: vec!["password-encrypted".into()],
    }
}

/// The ISPDB sample for dd.iij4u.or.jp, but with the address as SMTP login.
fn ispdb_candidate() -> Candidate {
    Candidate {
        source: Source::Ispdb,
        origin: ISPDB.into(),
        secure: true,
        incoming: vec![inc(
            Protocol::Pop3,
            "mbox.iij4u.or.jp",
            110,
            Security::Starttls,
            "bob.dd.iij4u.or.jp",
        )],
        outgoing: vec![out("mbox.iij4u.or.jp", 587, Security::Starttls, EMAIL)],
        provider: None,
        skipped: Vec::new(),
    }
}

/// Provider autoconfig over plain http: both protocols, not authenticated.
fn http_candidate() -> Candidate {
    Candidate {
        source: Source::Autoconfig,
        origin: "http://autoconfig.dd.iij4u.or.jp/mail/config-v1.1.xml".into(),
        secure: false,
        incoming: vec![
            inc(
                Protocol::Imap,
                "imap.iij4u.or.jp",
                993,
                Security::Tls,
                EMAIL,
            ),
            inc(Protocol::Pop3, "pop.iij4u.or.jp", 995, Security::Tls, EMAIL),
        ],
        outgoing: vec![out("smtp.iij4u.or.jp", 465, Security::Tls, EMAIL)],
        provider: None,
        skipped: Vec::new(),
    }
}

/// SRV: an incoming server only.
fn srv_candidate() -> Candidate {
    Candidate {
        source: Source::Srv,
        origin: "_imaps._tcp.dd.iij4u.or.jp".into(),
        secure: false,
        incoming: vec![inc(
            Protocol::Imap,
            "imap.dd.iij4u.or.jp",
            993,
            Security::Tls,
            EMAIL,
        )],
        outgoing: vec![],
        provider: None,
        skipped: Vec::new(),
    }
}

fn report(candidates: Vec<Candidate>) -> DiscoverReport {
    let status = |s: Source| {
        if candidates.iter().any(|c| c.source == s) {
            SourceStatus::Ok
        } else {
            SourceStatus::None
        }
    };
    DiscoverReport {
        email: EMAIL.into(),
        elapsed_ms: 420,
        sources: Source::ALL
            .into_iter()
            .map(|s| src_report(s, status(s), 10))
            .collect(),
        candidates,
    }
}

fn discovered(app: &mut App, id: u64, r: DiscoverReport) -> Vec<Effect> {
    update(
        app,
        Msg::Discovered {
            id,
            report: Box::new(r),
        },
    )
}

fn state(app: &App, s: Source) -> SourceState {
    app.discovery
        .sources
        .iter()
        .find(|(x, _)| *x == s)
        .map(|(_, st)| st.clone())
        .unwrap()
}

#[test]
fn per_source_status_then_the_best_candidate_fills_the_form() {
    let mut app = app();
    let id = to_settings(&mut app, EMAIL);
    assert!(app.discovery.running());
    assert!(app.busy());
    // Meanwhile the guesses are shown.
    assert_eq!(app.form.in_host.value(), "imap.dd.iij4u.or.jp");
    for s in Source::ALL {
        assert_eq!(state(&app, s), SourceState::Waiting);
        started(&mut app, id, s);
        assert_eq!(state(&app, s), SourceState::Running);
    }
    finished(&mut app, id, Source::Preset, SourceStatus::None, 0);
    finished(&mut app, id, Source::Ispdb, SourceStatus::Ok, 312);
    assert!(
        matches!(state(&app, Source::Ispdb), SourceState::Done(r) if r.ms == 312 && r.status == SourceStatus::Ok)
    );
    assert_eq!(state(&app, Source::Srv), SourceState::Running);
    // The spinner turns while it runs.
    let spin = app.spinner;
    update(&mut app, Msg::Tick);
    assert_eq!(app.spinner, spin + 1);

    let mut r = report(vec![ispdb_candidate(), srv_candidate()]);
    r.sources[3].status = SourceStatus::Timeout;
    assert!(discovered(&mut app, id, r).is_empty());
    assert!(!app.discovery.running());
    assert!(!app.busy());
    assert!(app.discovery.stopped_early, "ISPDB is top priority");
    let f = &app.form;
    assert_eq!(f.protocol, Protocol::Pop3);
    assert_eq!(f.in_host.value(), "mbox.iij4u.or.jp");
    assert_eq!(f.in_port.value(), "110");
    assert_eq!(f.in_security, Security::Starttls);
    assert_eq!(f.in_user.value(), "bob.dd.iij4u.or.jp");
    assert_eq!(f.out_host.value(), "mbox.iij4u.or.jp");
    assert_eq!(f.out_port.value(), "587");
    assert_eq!(f.out_security, Security::Starttls);
    assert!(!f.same_login);
    assert_eq!(f.out_user.value(), EMAIL);
    // Through the next steps as they are.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Protocol);
    assert_eq!(app.form.protocol, Protocol::Pop3);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Incoming);
    let a = app.form.account();
    assert_eq!(
        (a.incoming.host.as_str(), a.incoming.port),
        ("mbox.iij4u.or.jp", 110)
    );
    assert_eq!((a.smtp.username.as_str(), a.smtp.port), (EMAIL, 587));
    assert!(a.validate().is_empty(), "{:?}", a.validate());
}

#[test]
fn esc_cancels_at_once_and_late_results_are_dropped() {
    let mut app = app();
    let id = to_settings(&mut app, EMAIL);
    started(&mut app, id, Source::Ispdb);
    let effects = press(&mut app, KeyCode::Esc);
    assert!(
        matches!(effects.as_slice(), [Effect::Cancel(x)] if *x == id),
        "{effects:?}"
    );
    assert_eq!(app.step, Step::SettingsFound, "Esc first stops the search");
    assert!(app.discovery.cancelled && !app.discovery.running());
    assert!(!app.busy());
    // What the cancelled run still sends changes nothing.
    finished(&mut app, id, Source::Ispdb, SourceStatus::Ok, 40);
    assert_eq!(state(&app, Source::Ispdb), SourceState::Running);
    assert!(discovered(&mut app, id, report(vec![ispdb_candidate()])).is_empty());
    assert!(app.discovery.report.is_none());
    assert_eq!(app.form.in_host.value(), "imap.dd.iij4u.or.jp");
    assert!(!app.busy());
    // R searches again with a new id; the old one stays dead.
    let effects = press(&mut app, KeyCode::Char('r'));
    let id2 = match effects.as_slice() {
        [Effect::Discover { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert_ne!(id2, id);
    assert!(!app.discovery.cancelled);
    discovered(&mut app, id, report(vec![http_candidate()]));
    assert!(app.discovery.running());
    discovered(&mut app, id2, report(vec![ispdb_candidate()]));
    assert_eq!(app.form.in_host.value(), "mbox.iij4u.or.jp");
    // Not running: Esc goes back.
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.step, Step::Identity);
}

#[test]
fn leaving_while_searching_stops_the_search() {
    for code in [KeyCode::Enter, KeyCode::Char('m')] {
        let mut app = app();
        let id = to_settings(&mut app, EMAIL);
        let effects = press(&mut app, code);
        assert!(
            matches!(effects.as_slice(), [Effect::Cancel(x)] if *x == id),
            "{effects:?}"
        );
        assert_eq!(app.step, Step::Protocol);
        discovered(&mut app, id, report(vec![ispdb_candidate()]));
        assert_eq!(app.form.in_host.value(), "imap.dd.iij4u.or.jp");
    }
}

#[test]
fn a_new_address_replaces_the_running_search() {
    let mut app = app();
    let id = to_settings(&mut app, EMAIL);
    press(&mut app, KeyCode::Esc); // stops
    press(&mut app, KeyCode::Esc); // back to identity
    assert_eq!(app.step, Step::Identity);
    let effects = press(&mut app, KeyCode::Enter);
    let id2 = match effects.as_slice() {
        [Effect::Discover { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert_ne!(id, id2);
    assert!(app.discovery.running() && !app.discovery.cancelled);
}

#[test]
fn n_cycles_the_candidates_and_o_lists_them() {
    let mut app = app();
    let id = to_settings(&mut app, EMAIL);
    discovered(
        &mut app,
        id,
        report(vec![ispdb_candidate(), srv_candidate(), http_candidate()]),
    );
    assert_eq!(app.form.in_host.value(), "mbox.iij4u.or.jp");
    assert!(!app.dirty || app.form.email() == EMAIL);
    // SRV gives only the incoming server: the outgoing one is guessed.
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.form.in_host.value(), "imap.dd.iij4u.or.jp");
    assert_eq!(app.form.protocol, Protocol::Imap);
    assert_eq!(app.form.out_host.value(), "smtp.dd.iij4u.or.jp");
    assert_eq!(app.form.out_port.value(), "465");
    assert!(app.form.same_login);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.form.in_host.value(), "imap.iij4u.or.jp");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.form.in_host.value(), "mbox.iij4u.or.jp", "wraps around");
    // O shows the list; ↑/↓ choose in it.
    press(&mut app, KeyCode::Char('o'));
    assert!(app.discovery.list);
    press(&mut app, KeyCode::Up);
    assert_eq!(app.form.in_host.value(), "imap.iij4u.or.jp");
    press(&mut app, KeyCode::Char('o'));
    assert!(!app.discovery.list);
}

#[test]
fn protocol_step_takes_the_candidates_server_for_that_protocol() {
    let mut app = app();
    let id = to_settings(&mut app, EMAIL);
    discovered(&mut app, id, report(vec![http_candidate()]));
    assert_eq!(app.form.protocol, Protocol::Imap);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.form.protocol, Protocol::Pop3);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Incoming);
    assert_eq!(app.form.in_host.value(), "pop.iij4u.or.jp");
    assert_eq!(app.form.in_port.value(), "995");
    // And back to IMAP.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.form.in_host.value(), "imap.iij4u.or.jp");
    assert_eq!(app.form.in_port.value(), "993");
}

fn free_candidates() -> Vec<Candidate> {
    let variant = |v: &str, user: &str, ports: (u16, u16), sec: Security| Candidate {
        source: Source::Preset,
        origin: format!("preset:free/{v}"),
        secure: true,
        incoming: vec![inc(Protocol::Imap, "imap.free.fr", ports.0, sec, user)],
        outgoing: vec![out("smtp.free.fr", ports.1, sec, user)],
        provider: Some("free".into()),
        skipped: Vec::new(),
    };
    vec![
        variant("ssl", "alice", (993, 465), Security::Tls),
        variant("starttls", "alice@free.fr", (143, 587), Security::Starttls),
    ]
}

#[test]
fn a_preset_shows_at_once_and_its_variants_still_work() {
    let mut app = app();
    let id = to_settings(&mut app, "alice@free.fr");
    // Before any result: the preset.
    assert!(app.form.provider().is_some_and(|p| p.id == "free"));
    assert_eq!(app.form.in_user.value(), "alice");
    // The user picks the other variant before the search ends...
    press(&mut app, KeyCode::Right);
    assert_eq!(app.form.in_port.value(), "143");
    let mut r = report(free_candidates());
    for s in &mut r.sources[1..] {
        s.status = SourceStatus::Timeout;
    }
    discovered(&mut app, id, r);
    // ...and keeps it.
    assert_eq!(app.form.in_port.value(), "143");
    assert_eq!(app.form.variant_id(), Some("starttls"));
    assert!(app.discovery.stopped_early);
    // N walks the preset's variants too.
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.form.variant_id(), Some("ssl"));
    assert_eq!(app.form.in_port.value(), "993");
    press(&mut app, KeyCode::Left);
    assert_eq!(app.form.variant_id(), Some("starttls"));
}

#[test]
fn a_crashed_search_is_shown_and_can_run_again() {
    let mut app = app();
    let id = to_settings(&mut app, EMAIL);
    update(
        &mut app,
        Msg::Failed {
            id,
            detail: "boom".into(),
        },
    );
    assert_eq!(
        app.discovery.crashed.as_ref().map(|d| d.evidence.as_str()),
        Some("boom")
    );
    assert!(!app.busy());
    assert!(matches!(
        press(&mut app, KeyCode::Char('r')).as_slice(),
        [Effect::Discover { .. }]
    ));
}

#[test]
fn without_discovery_options_nothing_runs() {
    let mut app = App::new(AppOptions::new(
        PathBuf::from("/x.toml"),
        Lang::En,
        Ok(Config::default()),
    ));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    for c in EMAIL.chars() {
        press(&mut app, KeyCode::Char(c));
    }
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(app.discovery.idle());
    assert!(press(&mut app, KeyCode::Char('r')).is_empty());
}

// Rendering.

fn draw(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render(app, f)).unwrap();
    terminal.backend().to_string()
}

fn states() -> Vec<(&'static str, App)> {
    let mut out = Vec::new();
    let mut a = app();
    let id = to_settings(&mut a, EMAIL);
    for s in Source::ALL {
        started(&mut a, id, s);
    }
    finished(&mut a, id, Source::Preset, SourceStatus::None, 0);
    finished(&mut a, id, Source::Srv, SourceStatus::None, 14);
    finished(&mut a, id, Source::Mx, SourceStatus::Error, 9);
    out.push(("discovery_running", a));

    let mut a = app();
    let id = to_settings(&mut a, EMAIL);
    let mut r = report(vec![ispdb_candidate(), http_candidate(), srv_candidate()]);
    r.sources[1].ms = 312;
    r.sources[2].status = SourceStatus::Ok;
    r.sources[5].status = SourceStatus::Timeout;
    discovered(&mut a, id, r);
    out.push(("discovery_found", a));

    let mut a = app();
    let id = to_settings(&mut a, EMAIL);
    discovered(
        &mut a,
        id,
        report(vec![ispdb_candidate(), http_candidate(), srv_candidate()]),
    );
    press(&mut a, KeyCode::Char('n'));
    press(&mut a, KeyCode::Char('n'));
    press(&mut a, KeyCode::Char('o'));
    out.push(("discovery_list_insecure", a));

    let mut a = app();
    let id = to_settings(&mut a, "alice@free.fr");
    let mut r = report(free_candidates());
    for s in &mut r.sources[1..] {
        s.status = SourceStatus::Timeout;
    }
    discovered(&mut a, id, r);
    out.push(("discovery_preset", a));

    let mut a = app();
    let id = to_settings(&mut a, EMAIL);
    started(&mut a, id, Source::Ispdb);
    press(&mut a, KeyCode::Esc);
    out.push(("discovery_cancelled", a));

    let mut a = app();
    let id = to_settings(&mut a, EMAIL);
    let mut r = report(vec![]);
    r.sources[2].status = SourceStatus::Error;
    r.sources[5].status = SourceStatus::Timeout;
    discovered(&mut a, id, r);
    out.push(("discovery_nothing", a));

    let mut a = app();
    let id = to_settings(&mut a, EMAIL);
    discovered(&mut a, id, redirect_report("autodiscover.other.test"));
    out.push(("discovery_redirect", a));
    out
}

/// Nothing found; Autodiscover was sent to `host`, not followed.
fn redirect_report(host: &str) -> DiscoverReport {
    let mut r = report(Vec::new());
    let auto = r
        .sources
        .iter_mut()
        .find(|s| s.source == Source::Autodiscover)
        .unwrap();
    auto.detail = SourceDetail::RedirectNeedsConsent { host: host.into() };
    r
}

/// The allowed redirect domains of the run an effect list starts.
fn allowed_by(effects: &[Effect]) -> Vec<String> {
    match effects {
        [Effect::Discover { options, .. }] => options.autodiscover_allow.clone(),
        other => panic!("no new search: {other:?}"),
    }
}

#[test]
fn a_redirect_to_another_domain_is_asked_then_followed_on_yes() {
    for (lang, yes, question, declined) in [
        (Lang::En, 'y', "Y follows it", "was not followed"),
        (Lang::Fr, 'o', "O le suit", "n'a pas été suivie"),
    ] {
        let mut a = app();
        a.lang = lang;
        let id = to_settings(&mut a, EMAIL);
        // A hostile host name: control characters never reach the screen.
        discovered(&mut a, id, redirect_report("other.test\u{1b}[2J"));
        let screen = draw(&a, 240, 40);
        assert!(screen.contains(question), "{lang:?}: {screen}");
        assert!(screen.contains("dd.iij4u.or.jp"), "{lang:?}: {screen}");
        assert!(screen.contains("other.test[2J"), "{lang:?}: {screen}");
        assert!(!screen.contains('\u{1b}'), "{lang:?}: {screen}");
        // Yes: a new search, allowed to follow the redirect.
        let effects = press(&mut a, KeyCode::Char(yes));
        assert_eq!(allowed_by(&effects), ["other.test[2J"], "{lang:?}");
        assert!(a.discovery.running());
        // No: nothing runs, the question goes, the reason stays.
        let mut a = app();
        a.lang = lang;
        let id = to_settings(&mut a, EMAIL);
        discovered(&mut a, id, redirect_report("other.test"));
        assert!(press(&mut a, KeyCode::Char('n')).is_empty());
        let screen = draw(&a, 240, 40);
        assert!(!screen.contains(question), "{lang:?}: {screen}");
        assert!(screen.contains(declined), "{lang:?}: {screen}");
        assert!(press(&mut a, KeyCode::Char(yes)).is_empty(), "declined");
    }
    // The run that followed the redirect puts what it found in the form,
    // even though the form holds the first run's guess, found again.
    let mut a = app();
    let id = to_settings(&mut a, EMAIL);
    let mut first = redirect_report("other.test");
    first.candidates = vec![srv_candidate()];
    discovered(&mut a, id, first);
    assert_eq!(a.form.discovered.as_deref(), Some(&srv_candidate()));
    let effects = press(&mut a, KeyCode::Char('y'));
    let Effect::Discover { id, .. } = effects[0] else {
        panic!("{effects:?}")
    };
    let mut autodiscover = ispdb_candidate();
    autodiscover.source = Source::Autodiscover;
    let mut second = report(vec![autodiscover.clone(), srv_candidate()]);
    second.sources.retain(|s| s.source != Source::Ispdb);
    discovered(&mut a, id, second);
    assert_eq!(a.form.discovered.as_deref(), Some(&autodiscover));
    // Without a redirect to confirm, Y starts nothing.
    let mut a = app();
    let id = to_settings(&mut a, EMAIL);
    discovered(&mut a, id, report(vec![]));
    assert!(press(&mut a, KeyCode::Char('y')).is_empty());
}

#[test]
fn snapshots_in_both_languages() {
    for (name, mut app) in states() {
        for lang in Lang::ALL {
            app.lang = lang;
            let screen = draw(&app, 80, 24);
            assert!(
                !screen.contains("tui."),
                "{name}/{lang:?}: a missing i18n key:\n{screen}"
            );
            insta::assert_snapshot!(format!("{name}_{}", lang.code()), screen);
        }
    }
}

#[test]
fn the_screen_says_where_values_come_from() {
    let states = states();
    let screen = |n: &str| draw(&states.iter().find(|(x, _)| *x == n).unwrap().1, 80, 24);
    let s = screen("discovery_found");
    assert!(s.contains("mbox.iij4u.or.jp:110"), "{s}");
    assert!(s.contains("(Thunderbird ISPDB)"), "{s}");
    assert!(s.contains("authenticated channel."), "{s}");
    assert!(s.contains("312 ms"), "{s}");
    let s = screen("discovery_list_insecure");
    assert!(s.contains("NOT over an authenticated channel"), "{s}");
    let s = screen("discovery_running");
    assert!(s.contains("These are guesses"), "{s}");
    assert!(s.contains("Esc stop searching"), "{s}");
}

#[test]
fn every_size_draws_without_panic() {
    for (name, mut app) in states() {
        for lang in Lang::ALL {
            app.lang = lang;
            for w in [1, 20, 59, 60, 61, 80, 100, 133, 200] {
                for h in [1, 5, 17, 18, 24, 60] {
                    let r =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| draw(&app, w, h)));
                    assert!(r.is_ok(), "{name} {lang:?} panicked at {w}x{h}");
                }
            }
        }
    }
}

/// An Exchange mailbox without IMAP/POP is said on the screen, in both
/// languages.
#[test]
fn what_autodiscover_learnt_is_shown() {
    let cases = [(
        SourceDetail::ExchangeOnly {
            host: "ex.corp.test".into(),
        },
        ["DavMail", "DavMail"],
    )];
    for (detail, expected) in cases {
        for (lang, want) in [Lang::En, Lang::Fr].into_iter().zip(expected) {
            let mut a = app();
            a.lang = lang;
            let id = to_settings(&mut a, EMAIL);
            let mut r = report(Vec::new());
            let auto = r
                .sources
                .iter_mut()
                .find(|s| s.source == Source::Autodiscover)
                .unwrap();
            auto.detail = detail.clone();
            discovered(&mut a, id, r);
            let screen = draw(&a, 240, 40);
            assert!(screen.contains(want), "{lang:?}: {screen}");
            let said = detail.localized(lang);
            let start: String = said.chars().take(30).collect();
            assert!(screen.contains(&start), "{lang:?}: {start:?} in {screen}");
        }
    }
}
