//! Every i18n key is used by the code: either written out as a literal, or
//! built from a literal dotted prefix (`format!("security.{}", …)`). Keys
//! that nothing can reach are dead text that translators would maintain
//! for nothing.

use mailwiz::i18n::{Lang, table};
use std::path::Path;

fn sources(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(&p).unwrap());
        }
    }
}

#[test]
fn every_key_is_used() {
    let mut src = String::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut src);
    let reachable = |key: &str| {
        if src.contains(&format!("\"{key}\"")) {
            return true;
        }
        let parts: Vec<&str> = key.split('.').collect();
        (1..parts.len()).any(|i| src.contains(&format!("\"{}.", parts[..i].join("."))))
    };
    let unused: Vec<&String> = table(Lang::En).keys().filter(|k| !reachable(k)).collect();
    assert!(unused.is_empty(), "i18n keys no code uses: {unused:?}");
}
