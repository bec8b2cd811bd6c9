//! The core builds no English sentence for people (issue 12 §4): error
//! types have no thiserror text (their `Display` is the English
//! localisation of their i18n key) and no `detail` is an English text made
//! with `format!` or a literal. The faces (`cli/`, `tui/`, `plain/`,
//! `main.rs`) and the i18n tables' own module are not the core.
//!
//! Unit tests inside a file (an inline `#[cfg(test)] mod … {`, by
//! convention at the end) and test files (`tests.rs`, `*_tests.rs`,
//! `tests/`) are skipped: their literals are fixtures.

use std::path::Path;

/// Outside the core: the faces and the tables.
const FACES: &[&str] = &["cli", "tui", "plain", "main.rs", "i18n.rs"];

/// Known offences being fixed elsewhere: (file, the offending text). Still
/// checked: an entry that no longer occurs fails the test, so it is
/// removed once its source is fixed. None today.
const KNOWN_ELSEWHERE: &[(&str, &str)] = &[];

/// Why `line` builds English in the core, if it does.
fn offence(line: &str) -> Option<&'static str> {
    let code = line.split("//").next().unwrap_or("").trim();
    if let Some(rest) = code.strip_prefix("#[error(") {
        return (!rest.starts_with("transparent)")).then_some("a thiserror text");
    }
    let rest = code.strip_prefix("detail:")?.trim_start();
    if rest.starts_with("format!(") {
        return Some("a detail made with format!");
    }
    let literal = rest.starts_with('"') || rest.starts_with("String::from(\"");
    let made = [".to_string()", ".into()", ".to_owned()", ")"]
        .iter()
        .any(|end| rest.trim_end_matches(',').ends_with(end));
    (literal && made).then_some("a detail that is a literal text")
}

/// The offences of one source file's text: (line number, line, why).
fn offences(text: &str) -> Vec<(usize, String, &'static str)> {
    let mut out = Vec::new();
    let mut test_attr = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if test_attr && t.starts_with("mod ") && t.ends_with('{') {
            break;
        }
        if !t.starts_with("#[") {
            test_attr = false;
        }
        if t == "#[cfg(test)]" {
            test_attr = true;
        }
        if let Some(why) = offence(line) {
            out.push((i + 1, t.to_string(), why));
        }
    }
    out
}

fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || path.components().any(|c| c.as_os_str() == "tests")
}

/// Every core source file under `dir`, as (path relative to the crate, text).
fn core_sources(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(root).expect("under the crate");
        let top = rel.components().nth(1).map(|c| c.as_os_str().to_owned());
        if top.is_some_and(|t| FACES.iter().any(|f| t == *f)) {
            continue;
        }
        if path.is_dir() {
            core_sources(root, &path, out);
        } else if path.extension().is_some_and(|x| x == "rs") && !is_test_file(rel) {
            let text = std::fs::read_to_string(&path).expect("a source file is UTF-8");
            out.push((rel.display().to_string(), text));
        }
    }
}

#[test]
fn the_core_builds_no_english_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    core_sources(root, &root.join("src"), &mut files);
    assert!(files.len() > 50, "only {} core files found", files.len());
    let mut failures = Vec::new();
    let mut seen_known = vec![false; KNOWN_ELSEWHERE.len()];
    for (path, text) in &files {
        for (n, line, why) in offences(text) {
            let known = KNOWN_ELSEWHERE
                .iter()
                .position(|(p, l)| p == path && *l == line);
            match known {
                Some(k) => seen_known[k] = true,
                None => failures.push(format!("{path}:{n}: {why}: {line}")),
            }
        }
    }
    for (k, seen) in seen_known.iter().enumerate() {
        if !seen {
            let (p, l) = KNOWN_ELSEWHERE[k];
            failures.push(format!(
                "{p} no longer has {l:?}: remove it from KNOWN_ELSEWHERE"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "English built in the core (make it a typed value with an i18n key, \
         localised at the face; the outside world's words travel as quoted evidence):\n{}",
        failures.join("\n")
    );
}

/// The rules catch what they guard against, and let through what is fine.
#[test]
fn the_rules_catch_what_they_guard_against() {
    let caught = [
        r#"    #[error("the document is over {MAX} bytes")]"#,
        r#"    #[error("{0}")]"#,
        r#"            detail: format!("'{}' is not valid", host),"#,
        r#"            detail: "the server sent no certificate".into(),"#,
        r#"            detail: "no answer".to_string(),"#,
        r#"            detail: String::from("no answer"),"#,
    ];
    for line in caught {
        assert!(offence(line).is_some(), "not caught: {line}");
    }
    let fine = [
        "    #[error(transparent)]",
        "            detail: e.to_string(),",
        "            detail: clean_text(e.to_string().as_bytes()),",
        "    Keyring { detail: String },",
        "// detail: format!(\"a comment\")",
    ];
    for line in fine {
        assert_eq!(offence(line), None, "wrongly caught: {line}");
    }
    let in_tests =
        "fn f() {}\n#[cfg(test)]\nmod tests {\n    fn g() { X { detail: \"d\".into() }; }\n}\n";
    assert!(
        offences(in_tests).is_empty(),
        "a unit test module is skipped"
    );
    let field = "fn f() {\n    X {\n        detail: \"d\".into(),\n    };\n}\n#[cfg(test)]\n#[path = \"t.rs\"]\nmod tests;\n    detail: \"e\".into(),\n";
    assert_eq!(
        offences(field).len(),
        2,
        "a path module does not end the scan"
    );
}
