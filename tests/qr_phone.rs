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
