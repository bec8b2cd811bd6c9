#!/usr/bin/env bash
# mailwiz side by side with its peers on the same loopback servers, in one
# run, interleaved (each round runs every command once, in turn), so machine
# load affects all of them alike. Prints medians and the ratios the project
# targets:
#
#   check      ≤ 1.1 × the slower of curl's IMAPS login and curl's SMTPS AUTH
#   send-test  ≤ 1.0 × msmtp sending the same message
#   doctor     ≤ 1.2 × msmtp --serverinfo + curl IMAPS, one after the other
#
#   benches/vs-peers.sh [ROUNDS]     (default 30; needs scripts/install-test-deps.sh)
#
# MAILWIZ_BENCH_BIN=PATH uses that binary instead of building the release
# one; MAILWIZ_BENCH_BASELINE=PATH (an older build) runs its check,
# send-test and doctor in the same rounds and prints its ratios beside.
#
# Every client gets the password the same way: a command printing it
# (mailwiz --password-command, msmtp passwordeval); curl takes it on its
# command line. The servers are tests/harness/mailenv.sh (Dovecot IMAPS 993,
# submission 465 with implicit TLS, both with the test CA).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-30}
for tool in curl msmtp python3; do
  command -v "$tool" >/dev/null || { echo "vs-peers: $tool is missing: run scripts/install-test-deps.sh" >&2; exit 2; }
done

if [[ -n ${MAILWIZ_BENCH_BIN:-} ]]; then
  BIN=$MAILWIZ_BENCH_BIN
else
  cargo build --release --locked --bin mailwiz >/dev/null
  BIN=$PWD/target/release/mailwiz
fi
BASELINE=${MAILWIZ_BENCH_BASELINE:-}
WORK=$(mktemp -d)
chmod 755 "$WORK"    # the servers run as nobody and must reach their folder
PASS=bench-$RANDOM-$RANDOM
MAILENV_PASSWORD=$PASS bash tests/harness/mailenv.sh start "$WORK/env" auto >"$WORK/env.txt"
trap 'bash tests/harness/mailenv.sh stop "$WORK/env" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
# shellcheck disable=SC1091
source "$WORK/env/mailenv.env"

CFG=$WORK/accounts.toml
PWCMD="printf %s $PASS"
"$BIN" --config "$CFG" add --email "$MAILENV_USER" --name bench --incoming imap \
  --in-host localhost --in-port "$MAILENV_IMAPS_PORT" --in-security tls \
  --smtp-host localhost --smtp-port "$MAILENV_SMTPS_PORT" --smtp-security tls \
  --ca-file "$MAILENV_CA" --password-command "$PWCMD" >/dev/null

MSMTPRC=$WORK/msmtprc
cat >"$MSMTPRC" <<RC
account bench
host localhost
port $MAILENV_SMTPS_PORT
tls on
tls_starttls off
tls_trust_file $MAILENV_CA
auth on
user $MAILENV_USER
passwordeval "$PWCMD"
from $MAILENV_USER
account default : bench
RC
chmod 600 "$MSMTPRC"
MESSAGE=$WORK/message.eml
printf 'From: %s\r\nTo: %s\r\nSubject: vs-peers\r\n\r\nbenchmark\r\n' "$MAILENV_USER" "$MAILENV_USER" >"$MESSAGE"

export BIN BASELINE CFG MSMTPRC MESSAGE PASS WORK
export IMAPS="imaps://localhost:$MAILENV_IMAPS_PORT/" SMTPS="smtps://localhost:$MAILENV_SMTPS_PORT"
export CA=$MAILENV_CA USER_ADDR=$MAILENV_USER
python3 - "$ROUNDS" <<'PY'
import os, statistics, subprocess, sys, time

rounds = int(sys.argv[1])
e = os.environ
curl = ["curl", "-sS", "--cacert", e["CA"], "--user", f'{e["USER_ADDR"]}:{e["PASS"]}']
commands = {
    "mailwiz check": [e["BIN"], "--config", e["CFG"], "check", "bench"],
    "curl IMAPS login": curl + ["-X", "NOOP", e["IMAPS"]],
    "curl SMTPS AUTH": curl + ["-X", "NOOP", e["SMTPS"]],
    "mailwiz send-test": [e["BIN"], "--config", e["CFG"], "send-test", "bench"],
    "msmtp send": ["msmtp", "-C", e["MSMTPRC"], "-a", "bench", e["USER_ADDR"]],
    "mailwiz doctor": [e["BIN"], "--config", e["CFG"], "doctor", "bench"],
    "msmtp --serverinfo": ["msmtp", "-C", e["MSMTPRC"], "-a", "bench", "--serverinfo"],
}
if e.get("BASELINE"):
    for use in ("check", "send-test", "doctor"):
        commands[f"baseline {use}"] = [e["BASELINE"], "--config", e["CFG"], use, "bench"]
env = dict(e, MAILWIZ_DOCTOR_SMTP_PORTS=e["SMTPS"].rsplit(":", 1)[1])
times = {k: [] for k in commands}

def run(name):
    stdin = open(e["MESSAGE"], "rb") if name == "msmtp send" else subprocess.DEVNULL
    t0 = time.perf_counter()
    p = subprocess.run(commands[name], stdin=stdin, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"vs-peers: {name} failed ({p.returncode}): {p.stderr.decode(errors='replace')[:400]}")
    return dt

for name in commands:          # warm-up: caches, the first TLS session tickets
    run(name)
for _ in range(rounds):
    for name in commands:
        times[name].append(run(name))

med = {k: statistics.median(v) * 1000 for k, v in times.items()}
for k, v in med.items():
    print(f"{k:22s} median {v:7.1f} ms  (min {min(times[k]) * 1000:.1f}, max {max(times[k]) * 1000:.1f}, n={rounds})")
slower_curl = max(med["curl IMAPS login"], med["curl SMTPS AUTH"])
ratios = [
    ("check / slower curl login", med["mailwiz check"] / slower_curl, 1.1),
    ("send-test / msmtp send", med["mailwiz send-test"] / med["msmtp send"], 1.0),
    ("doctor / (msmtp --serverinfo + curl IMAPS)",
     med["mailwiz doctor"] / (med["msmtp --serverinfo"] + med["curl IMAPS login"]), 1.2),
]
if e.get("BASELINE"):
    base = {k: med[f"baseline {k.split()[1]}"] for k in ("mailwiz check", "mailwiz send-test", "mailwiz doctor")}
    ratios += [
        ("baseline check / slower curl login", base["mailwiz check"] / slower_curl, 1.1),
        ("baseline send-test / msmtp send", base["mailwiz send-test"] / med["msmtp send"], 1.0),
        ("baseline doctor / (msmtp --serverinfo + curl IMAPS)",
         base["mailwiz doctor"] / (med["msmtp --serverinfo"] + med["curl IMAPS login"]), 1.2),
    ]
print()
for name, r, target in ratios:
    print(f"{name:54s} {r:5.2f}  (target ≤ {target}) {'ok' if r <= target else 'OVER'}")
PY
