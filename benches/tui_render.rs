#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! One frame of the busiest step (the failed test: two columns of steps,
//! errors and advice) at 200x60, and start-up: App construction plus the
//! first frame.

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use mailwiz::check::{ServerReport, StepRecord};
use mailwiz::config::Config;
use mailwiz::i18n::Lang;
use mailwiz::net::{NetError, Phase, Reply};
use mailwiz::tui::{App, AppOptions, Effect, Msg, key, render, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::path::PathBuf;

fn new_app() -> App {
    let mut cfg = Config::default();
    cfg.upsert(
        mailwiz::providers::by_id("free")
            .unwrap()
            .account_for("alice@free.fr", None, None),
    );
    App::new(AppOptions::new(
        PathBuf::from("/tmp/mailwiz-bench.toml"),
        Lang::Fr,
        Ok(cfg),
    ))
}

fn first_id(effects: &[Effect]) -> u64 {
    match effects.first() {
        Some(Effect::ProbeKeyring { id, .. } | Effect::CheckIncoming { id, .. }) => *id,
        other => panic!("{other:?}"),
    }
}

fn failed_test_app() -> App {
    let mut app = new_app();
    let press = |app: &mut App, c| update(app, key(c));
    press(&mut app, KeyCode::Enter);
    for c in "Alice Liddell".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Tab);
    for c in "alice@free.fr".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    for _ in 0..5 {
        press(&mut app, KeyCode::Enter);
    }
    for c in "password".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let id = first_id(&press(&mut app, KeyCode::Enter));
    let a = first_id(&update(&mut app, Msg::KeyringProbed { id, result: Ok(()) }));
    let steps: Vec<StepRecord> = Phase::ALL[..7]
        .iter()
        .map(|p| StepRecord {
            phase: *p,
            ok: *p != Phase::Login,
            detail: Default::default(),
            ms: 17,
        })
        .collect();
    let err = NetError::AuthFailed {
        reply: Reply::text("NO [AUTHENTICATIONFAILED] Authentication failed."),
    };
    for id in [a, a + 1] {
        let report = ServerReport {
            ok: false,
            steps: steps.clone(),
            error: Some(err.clone()),
            capabilities: vec![],
            cert: None,
        };
        update(&mut app, Msg::Checked { id, report });
    }
    app
}

fn bench(c: &mut Criterion) {
    let app = failed_test_app();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    c.bench_function("frame_busiest_step_200x60", |b| {
        b.iter(|| terminal.draw(|f| render(black_box(&app), f)).unwrap().area);
    });
    c.bench_function("app_new_and_first_frame_200x60", |b| {
        b.iter(|| {
            let app = new_app();
            let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
            terminal.draw(|f| render(&app, f)).unwrap().area
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
