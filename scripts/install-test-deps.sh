#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages mailwiz's tests need: real Dovecot
# (IMAP, POP3, submission, LMTP) and an aiosmtpd relay for tests/harness/mailenv.sh,
# a private D-Bus + GNOME Keyring Secret Service (tests/common KeyringSession),
# keyutils, the mail clients the tests check against, and the build's libdbus.
# Idempotent: does nothing when every package is already installed.
# Needs root (or sudo). Keeps apt from starting a system Dovecot meanwhile.
set -euo pipefail

PKGS=(
  # test mail servers (tests/harness/mailenv.sh)
  dovecot-imapd dovecot-pop3d dovecot-submissiond dovecot-lmtpd
  python3 python3-aiosmtpd openssl ca-certificates
  util-linux procps iproute2            # setpriv, flock / pgrep / ss
  # Secret Service for tests (tests/common: KeyringSession)
  dbus dbus-daemon gnome-keyring libsecret-tools libglib2.0-bin keyutils
  # build (libdbus-sys) and independent clients used by tests
  libdbus-1-dev pkg-config
  swaks libnet-ssleay-perl libio-socket-ssl-perl curl
  msmtp isync neomutt tmux aerc
  # peak RSS of commands against hostile servers (/usr/bin/time -v), peer benchmarks, QR decoding
  time hyperfine zbar-tools
  # DNS server with SRV/MX records for the discovery tests (tests/discover_live.rs)
  dnsmasq-base
)

if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  echo "install-test-deps: needs a Debian/Ubuntu system with apt-get" >&2
  exit 2
fi

missing=()
for p in "${PKGS[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-test-deps: all ${#PKGS[@]} packages already installed"
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-test-deps: run as root (missing: ${missing[*]})" >&2; exit 2; }
  SUDO=(sudo)
fi

# Don't let the packages start system daemons (a system dovecot on 110/143/993/995).
POLICY=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $POLICY ]]; then
  printf '#!/bin/sh\n# temporary, from mailwiz scripts/install-test-deps.sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  created_policy=1
fi
cleanup() { if ((created_policy)); then "${SUDO[@]}" rm -f "$POLICY"; fi; }
trap cleanup EXIT

echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PKGS[@]}"
echo "install-test-deps: done"
