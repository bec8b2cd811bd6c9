//! Issue 12 §6: the core reads no environment variable. The faces read
//! the process environment in one place (`src/cli/environment.rs`) and
//! hand the core values. This test reads every source file under `src/`
//! and names, as `file:line`, each read found elsewhere.

use std::fs;
use std::path::{Path, PathBuf};

/// The one face-side module that reads the process environment.
const ENVIRONMENT_MODULE: &str = "src/cli/environment.rs";

/// The faces: the binary, the CLI, the wizard and the plain wizard.
const FACES: [&str; 4] = ["src/main.rs", "src/cli/", "src/tui/", "src/plain/"];

/// What reads a variable at run time (`env!`/`option_env!` are compile time).
const READS: [&str; 6] = [
    "env::var",
    "env::vars",
    "use std::env;",
    "use std::env::{",
    "getenv",
    "env::set_var",
];

/// Libraries that read `$HOME`/`$XDG_*` on the core's behalf.
const INDIRECT_READS: [&str; 3] = ["directories::", "dirs::", "home_dir("];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `file:line: text` for each line of `text` holding one of `needles`
/// outside a comment.
fn offending_lines(file: &str, text: &str, needles: &[&str]) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| needles.iter().any(|n| line.contains(n)))
        .map(|(i, line)| format!("{file}:{}: {}", i + 1, line.trim()))
        .collect()
}

/// Every read found in `src/`, with the rules above.
fn reads_in(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    assert!(
        files.len() > 50,
        "only {} files found under src/",
        files.len()
    );
    let mut found = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        if rel == ENVIRONMENT_MODULE {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {rel}: {e}"));
        let face = FACES.iter().any(|f| rel == *f || rel.starts_with(f));
        found.extend(offending_lines(&rel, &text, &READS));
        if !face {
            found.extend(offending_lines(&rel, &text, &INDIRECT_READS));
        }
    }
    found
}

#[test]
fn only_the_environment_module_reads_variables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = reads_in(root);
    assert!(
        found.is_empty(),
        "the environment is read outside {ENVIRONMENT_MODULE} (the core must take values; \
         the faces read through cli::Environment):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_recognises_each_kind_of_read() {
    let source = "fn a() {\n    let x = std::env::var(\"MAILWIZ_X\");\n}\n\
                  // std::env::var in a comment is no read\n\
                  let y = std::env::var_os(\"Y\");\nuse std::env;\n\
                  let d = directories::ProjectDirs::from(\"\", \"\", \"m\");\n";
    let direct = offending_lines("src/x.rs", source, &READS);
    assert_eq!(
        direct,
        vec![
            "src/x.rs:2: let x = std::env::var(\"MAILWIZ_X\");",
            "src/x.rs:5: let y = std::env::var_os(\"Y\");",
            "src/x.rs:6: use std::env;",
        ]
    );
    let indirect = offending_lines("src/x.rs", source, &INDIRECT_READS);
    assert_eq!(indirect.len(), 1, "{indirect:?}");
}
