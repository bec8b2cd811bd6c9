#!/usr/bin/env bash
# Builds the real himalaya 2 (not in Debian) once, for tests/export_himalaya.rs:
# from crates.io, with only IMAP, SMTP and rustls, into a cache outside the
# clone (~/.cache/mailwiz-test-tools, or $MAILWIZ_TOOLS), so later runs on the
# same machine reuse it. Prints the binary's path. About 12 minutes of
# compiling on 2 cores the first time; nothing afterwards.
set -euo pipefail
VERSION=2.2.1
TOOLS=${MAILWIZ_TOOLS:-$HOME/.cache/mailwiz-test-tools}
BIN=$TOOLS/bin/himalaya
if [[ -x $BIN ]] && "$BIN" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "$BIN"
  exit 0
fi
echo "install-himalaya: building himalaya $VERSION (first run only)" >&2
CARGO_TARGET_DIR=$TOOLS/build cargo install himalaya --version "$VERSION" --locked \
  --no-default-features --features imap,smtp,rustls-ring --root "$TOOLS" >&2
rm -rf "$TOOLS/build"
echo "$BIN"
