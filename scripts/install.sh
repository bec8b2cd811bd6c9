#!/usr/bin/env bash
# Sets up mailwiz on a Debian/Ubuntu machine: the packages it needs at run
# time (a Secret Service keyring), then builds and installs the binary with
# cargo into ~/.cargo/bin. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if command -v apt-get >/dev/null; then
  pkgs="gnome-keyring dbus ca-certificates pkg-config gcc"
  missing=""
  for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
  fi
fi

if ! command -v cargo >/dev/null; then
  echo "mailwiz: cargo (Rust) is needed: https://rustup.rs" >&2
  exit 2
fi
cargo install --locked --path . --root "${CARGO_HOME:-$HOME/.cargo}" --quiet
echo "mailwiz installed: $(command -v mailwiz || echo "${CARGO_HOME:-$HOME/.cargo}/bin/mailwiz")"
