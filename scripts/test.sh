#!/usr/bin/env bash
# Runs the whole test suite on a Debian/Ubuntu machine: installs the
# packages the tests need (real Dovecot, an SMTP relay, GNOME Keyring, the
# mail clients the exports are checked with), then `cargo test`. The test
# harness starts and stops the mail servers and the keyring itself.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
# himalaya 2 is not in Debian: built once from crates.io, cached outside the clone.
MAILWIZ_HIMALAYA=$(bash scripts/install-himalaya.sh)
export MAILWIZ_HIMALAYA
export CARGO_TERM_COLOR=never
cargo build --locked --all-targets
# The lint policy of Cargo.toml's [lints]: no warning passes.
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked --no-fail-fast -- --include-ignored --test-threads "${MAILWIZ_TEST_THREADS:-4}"
