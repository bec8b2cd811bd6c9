#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The phone QR code decodes back to exactly its payload: written as PNG
//! and read by a real decoder (zbarimg, Debian's zbar-tools).

use std::process::Command;

fn zbarimg(png: &std::path::Path) -> String {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sbinary"])
        .arg(png)
        .output()
        .expect("zbarimg runs (apt install zbar-tools, or scripts/install-test-deps.sh)");
    assert!(
        out.status.success(),
        "zbarimg found no code: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8 payload")
        .trim_end_matches('\n')
        .to_string()
}

#[test]
fn png_decodes_to_the_payload() {
    let dir = tempfile::tempdir().expect("temp dir");
    for payload in [
        r#"[1,[1,1],[0,"imap.free.fr",143,2,1,"alice@free.fr"],[[[0,"smtp.free.fr",587,2,1,"alice@free.fr"],["alice@free.fr","Alice Liddell"]]]]"#,
        r#"[1,[1,1],[1,"pop.example.test",995,3,1,"bob","Bob's mail"],[[[0,"smtp.example.test",465,3,1,"bob"],["bob@example.test","Bob « Été » Müller"]]]]"#,
    ] {
        let code = mailwiz::qr::encode(payload).expect("fits");
        let png = dir.path().join("code.png");
        std::fs::write(&png, mailwiz::qr::to_png(&code, 4)).expect("write png");
        assert_eq!(zbarimg(&png), payload);
    }
}

#[test]
fn half_blocks_fit_80_columns_for_a_long_account() {
    let payload = format!(
        r#"[1,[1,1],[0,"{h}",993,3,1,"{u}","{u}"],[[[0,"{h}",465,3,1,"{u}"],["{u}","{n}"]]]]"#,
        h = "imap.a-rather-long-company-domain-name.example.com",
        u = "firstname.lastname@a-rather-long-company-domain-name.example.com",
        n = "Firstname Lastname (Company)"
    );
    let code = mailwiz::qr::encode(&payload).expect("fits");
    let text = mailwiz::qr::to_half_blocks(&code);
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= 80, "{widest} columns");
}

/// `mailwiz export NAME --format qr`: the terminal drawing fits 80 columns,
/// the PNG decodes (zbarimg) to the account's settings, and the password
/// is nowhere in it.
#[test]
fn export_qr_is_the_account_without_its_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg = dir.path().join("accounts.toml");
    let password = "qr-test-password-1234";
    let mailwiz = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailwiz"));
        cmd.arg("--config").arg(&cfg).args(args);
        cmd.env("HOME", dir.path())
            .env_remove("DBUS_SESSION_BUS_ADDRESS");
        cmd.env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("MAILWIZ_LANG");
        cmd.output().expect("mailwiz runs")
    };
    let pw_cmd = format!("printf %s {password}");
    let out = mailwiz(&[
        "add",
        "--email",
        "alice@free.fr",
        "--provider",
        "free",
        "--name",
        "Free box",
        "--display-name",
        "Alice Liddell",
        "--password-command",
        &pw_cmd,
    ]);
    assert!(
        out.status.success(),
        "add: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = mailwiz(&["export", "Free box", "--format", "qr"]);
    assert!(
        out.status.success(),
        "export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.lines().count() > 10);
    assert!(
        text.lines()
            .all(|l| l.chars().count() <= 80 && l.chars().all(|c| " ▀▄█".contains(c)))
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Thunderbird for Android"));

    let png = dir.path().join("free.png");
    let out = mailwiz(&[
        "export",
        "Free box",
        "--format",
        "qr",
        "--output",
        png.to_str().expect("path"),
    ]);
    assert!(
        out.status.success(),
        "export png: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let payload = zbarimg(&png);
    assert!(!payload.contains(password), "the password is in the code");
    let v: serde_json::Value = serde_json::from_str(&payload).expect("JSON payload");
    let show = mailwiz(&["show", "Free box", "--json"]);
    let acct: serde_json::Value = serde_json::from_slice(&show.stdout).expect("show --json");
    assert_eq!(v[0], 1, "format version");
    assert_eq!(v[2][1], acct["incoming"]["host"]);
    assert_eq!(v[2][2], acct["incoming"]["port"]);
    assert_eq!(v[2][5], acct["incoming"]["username"]);
    assert_eq!(v[2][6], "Free box");
    assert_eq!(v[3][0][0][1], acct["smtp"]["host"]);
    assert_eq!(v[3][0][0][2], acct["smtp"]["port"]);
    assert_eq!(
        v[3][0][1],
        serde_json::json!(["alice@free.fr", "Alice Liddell"])
    );
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(4),
        "one account, no password element"
    );
}
