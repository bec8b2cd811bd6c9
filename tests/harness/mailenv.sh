#!/usr/bin/env bash
# Real mail servers on loopback for mailwiz's tests.
#
#   MAILENV_PASSWORD=secret mailenv.sh start DIR [PORT_BASE|auto] [--watch PID]
#   mailenv.sh stop DIR
#
# `start` makes in DIR a fresh CA and leaf certificates, a passwd-file with
# alice@, bob@ and limited@example.test (all with $MAILENV_PASSWORD) plus `carol`
# (login = local part only, address carol@example.test), Maildirs,
# and starts, all unprivileged (as `nobody` when run as root, since Dovecot's
# login processes refuse root):
#
#   instance  listen      ports (B = PORT_BASE)
#   main      127.0.0.1   imap B+143 (STARTTLS)  imaps B+993  pop3 B+110 (STLS)  pop3s B+995
#                         smtp B+587 (submission, STARTTLS)  smtps B+465 (implicit TLS)  + LMTP socket
#   strict    127.0.0.2   B+1143 B+1993 B+1110 B+1995 B+1587 B+1465   (same services; the client is
#                         not "secured", so IMAP says LOGINDISABLED and SMTP offers no AUTH before STARTTLS)
#   notls     127.0.0.1   imap B+2143  pop3 B+2110  smtp B+2587     (ssl = no, plaintext login allowed)
#   badcert   127.0.0.1   B+3143 B+3993 B+3110 B+3995 B+3587 B+3465 (cert for wrong.example.invalid, same CA)
#   selfsigned 127.0.0.1  imaps B+3000  smtps B+3001  (self-signed certificate for the good names, not from the CA)
#   expired   127.0.0.1   imaps B+3002  smtps B+3003  (the good names, signed by the CA, valid only in January 2020)
#   relay     127.0.0.1   B+25   (aiosmtpd; Dovecot submission relays here; delivers *@example.test via LMTP)
#   tarpit    127.0.0.1   B+1    (accepts, never sends a byte)
#   closed    127.0.0.1   B+2    (checked to have no listener)
#
# PORT_BASE `auto` (the default) picks the first free slot of 10000 14000 18000
# 22000 26000 61000 while holding the lock file /tmp/mailenv.lock (so parallel
# starts do not race); the slots stay below the ephemeral port range.
#
# `start` waits until every port answers (10 s at most, else it prints the
# logs' tails, stops what it started and fails) and then prints KEY=VALUE lines
# (also written to DIR/mailenv.env). Every daemon's stdio goes to log files in
# DIR, so a caller capturing stdout gets EOF when `start` exits.
#
# `--watch PID` also spawns a detached watcher (own session) that runs `stop DIR`
# and removes DIR once process PID is gone (kept, logs and all, when the
# environment has MAILENV_KEEP=1, e.g. `MAILENV_KEEP=1 cargo test`).
#
# `stop` sends one SIGTERM to exactly the processes listed in DIR/pids (cmdline
# checked) plus the children of the Dovecot masters, waits for them (zombies
# count as dead), SIGKILLs leftovers after 3 s.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
SYS_PY=/usr/bin/python3          # Debian's python: the only one with python3-aiosmtpd
LOCK=${MAILENV_LOCK:-/tmp/mailenv.lock}
SLOTS=(10000 14000 18000 22000 26000 61000)
USERS=(alice bob limited)
LOCALPART_USER=carol             # in users.passwd without domain: login "carol" only
DOMAIN=example.test
READY_TIMEOUT=${MAILENV_READY_TIMEOUT:-10}

die() { echo "mailenv: $*" >&2; exit 1; }

now_ms() { local s; s=$(date +%s%N); echo $((s / 1000000)); }

# ---------------------------------------------------------------- ports
set_ports() {
    local b=$1
    PORT_BASE=$b
    TARPIT=$((b + 1)); CLOSED=$((b + 2)); RELAY=$((b + 25))
    MAIN_IMAP=$((b + 143)); MAIN_IMAPS=$((b + 993)); MAIN_POP3=$((b + 110)); MAIN_POP3S=$((b + 995))
    MAIN_SMTP=$((b + 587)); MAIN_SMTPS=$((b + 465))
    STRICT_IMAP=$((b + 1143)); STRICT_IMAPS=$((b + 1993)); STRICT_POP3=$((b + 1110)); STRICT_POP3S=$((b + 1995))
    STRICT_SMTP=$((b + 1587)); STRICT_SMTPS=$((b + 1465))
    NOTLS_IMAP=$((b + 2143)); NOTLS_POP3=$((b + 2110)); NOTLS_SMTP=$((b + 2587))
    BADCERT_IMAP=$((b + 3143)); BADCERT_IMAPS=$((b + 3993)); BADCERT_POP3=$((b + 3110)); BADCERT_POP3S=$((b + 3995))
    BADCERT_SMTP=$((b + 3587)); BADCERT_SMTPS=$((b + 3465))
    SELF_IMAPS=$((b + 3000)); SELF_SMTPS=$((b + 3001)); EXPIRED_IMAPS=$((b + 3002)); EXPIRED_SMTPS=$((b + 3003))
    # host:port pairs that must answer once started
    LISTEN_PORTS=(
        "127.0.0.1:$TARPIT" "127.0.0.1:$RELAY"
        "127.0.0.1:$MAIN_IMAP" "127.0.0.1:$MAIN_IMAPS" "127.0.0.1:$MAIN_POP3" "127.0.0.1:$MAIN_POP3S"
        "127.0.0.1:$MAIN_SMTP" "127.0.0.1:$MAIN_SMTPS"
        "127.0.0.2:$STRICT_IMAP" "127.0.0.2:$STRICT_IMAPS" "127.0.0.2:$STRICT_POP3" "127.0.0.2:$STRICT_POP3S"
        "127.0.0.2:$STRICT_SMTP" "127.0.0.2:$STRICT_SMTPS"
        "127.0.0.1:$NOTLS_IMAP" "127.0.0.1:$NOTLS_POP3" "127.0.0.1:$NOTLS_SMTP"
        "127.0.0.1:$BADCERT_IMAP" "127.0.0.1:$BADCERT_IMAPS" "127.0.0.1:$BADCERT_POP3" "127.0.0.1:$BADCERT_POP3S"
        "127.0.0.1:$BADCERT_SMTP" "127.0.0.1:$BADCERT_SMTPS"
        "127.0.0.1:$SELF_IMAPS" "127.0.0.1:$SELF_SMTPS" "127.0.0.1:$EXPIRED_IMAPS" "127.0.0.1:$EXPIRED_SMTPS"
    )
}

# true if none of the slot's ports (the closed one included) has a listener, on any address
slot_free() {
    set_ports "$1"
    local busy p
    busy=" $(ss -Htln 2>/dev/null | awk '{n=split($4,a,":"); printf "%s ", a[n]}') "
    for p in "${LISTEN_PORTS[@]}" "127.0.0.1:$CLOSED"; do
        [[ $busy == *" ${p##*:} "* ]] && return 1
    done
    return 0
}

answers() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

# ---------------------------------------------------------------- processes
proc_alive() { # pid: running and not a zombie
    local st
    [[ -r /proc/$1/stat ]] || return 1
    read -r st 2>/dev/null <"/proc/$1/stat" || return 1
    st=${st##*) }
    [[ ${st%% *} != Z ]]
}

proc_starttime() {
    local st
    read -r st 2>/dev/null <"/proc/$1/stat" || return 0
    st=${st##*) }
    # fields after "comm)": state(3) ... starttime is field 22 -> index 19 here
    set -- $st
    echo "${19}"
}

cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" || true; }

# ---------------------------------------------------------------- stop
do_stop() {
    local d=$1 f pid cmd c ccmd
    [[ -d $d/pids ]] || return 0
    local -a victims=()
    for f in "$d"/pids/*.pid; do
        [[ -e $f ]] || continue
        pid=$(<"$f")
        [[ $pid =~ ^[0-9]+$ ]] || continue
        [[ $pid == "$$" ]] && continue            # the watcher running stop itself
        proc_alive "$pid" || continue
        cmd=$(cmdline "$pid")
        [[ $cmd == *"$d/"* ]] || { echo "mailenv: pid $pid ($cmd) is not ours, left alone" >&2; continue; }
        victims+=("$pid")
        if [[ $f == */dovecot-*.pid ]]; then
            for c in $(pgrep -P "$pid" 2>/dev/null || true); do
                ccmd=$(cmdline "$c")
                [[ $ccmd == dovecot*/* ]] && victims+=("$c")
            done
        fi
    done
    rm -f "$d"/pids/*.pid
    ((${#victims[@]})) || return 0
    kill -TERM "${victims[@]}" 2>/dev/null || true
    local i left
    for ((i = 0; i < 300; i++)); do
        left=()
        for pid in "${victims[@]}"; do proc_alive "$pid" && left+=("$pid"); done
        ((${#left[@]})) || return 0
        sleep 0.01
    done
    echo "mailenv: SIGKILL to ${left[*]}" >&2
    kill -KILL "${left[@]}" 2>/dev/null || true
}

# ---------------------------------------------------------------- watcher
do_watch() {
    local d=$1 pid=$2 t0
    t0=$(proc_starttime "$pid")
    while [[ -d $d ]] && proc_alive "$pid" && [[ $(proc_starttime "$pid") == "$t0" ]]; do
        sleep 0.2
    done
    [[ -d $d ]] || exit 0
    do_stop "$d"
    if [[ -n ${MAILENV_KEEP:-} ]]; then echo "MAILENV_KEEP set: $d kept"; else rm -rf "$d"; fi
}

# ---------------------------------------------------------------- config
write_openssl_cnf() {
    cat >"$1" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = mailenv test
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf_good]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:mail.example.test,DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_self]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:mail.example.test,DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:::1
subjectKeyIdentifier = hash
[leaf_bad]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example.invalid
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
}

make_tls() {
    local t=$1 cnf=$1/openssl.cnf name
    write_openssl_cnf "$cnf"
    openssl req -x509 -config "$cnf" -extensions v3_ca -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
        -nodes -keyout "$t/ca.key" -out "$t/ca.crt" -days 7 \
        -subj "/O=mailwiz tests/CN=mailenv test CA $(date +%s%N)" 2>>"$t/openssl.log"
    for name in good bad; do
        local cn=mail.example.test
        [[ $name == bad ]] && cn=wrong.example.invalid
        openssl req -new -config "$cnf" -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -keyout "$t/$name.key" -subj "/CN=$cn" 2>>"$t/openssl.log" |
            openssl x509 -req -CA "$t/ca.crt" -CAkey "$t/ca.key" -set_serial "$((RANDOM * 32768 + RANDOM + 1))" \
                -days 7 -extfile "$cnf" -extensions "leaf_$name" -out "$t/$name.crt" 2>>"$t/openssl.log"
    done
    # self-signed: its own issuer, not the test CA
    openssl req -x509 -config "$cnf" -extensions leaf_self -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
        -nodes -keyout "$t/self.key" -out "$t/self.crt" -days 7 \
        -subj "/O=mailwiz tests/CN=mail.example.test" 2>>"$t/openssl.log"
    # expired: signed by the CA, valid in January 2020 only (`x509 -days` cannot go back in time)
    mkdir -p "$t/ca.db"
    : >"$t/ca.db/index"
    printf '%08X\n' "$((RANDOM * 32768 + RANDOM + 4096))" >"$t/ca.db/serial"  # even length
    printf '%s\n' "[ca]" "default_ca = test_ca" "[test_ca]" "database = $t/ca.db/index" \
        "new_certs_dir = $t/ca.db" "serial = $t/ca.db/serial" "default_md = sha256" "policy = any" \
        "unique_subject = no" "[any]" "commonName = supplied" >"$t/ca.cnf"
    openssl req -new -config "$cnf" -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$t/expired.key" -subj "/CN=mail.example.test" -out "$t/expired.csr" 2>>"$t/openssl.log"
    openssl ca -batch -notext -config "$t/ca.cnf" -cert "$t/ca.crt" -keyfile "$t/ca.key" -in "$t/expired.csr" \
        -startdate 20200101000000Z -enddate 20200201000000Z -extfile "$cnf" -extensions leaf_good \
        -out "$t/expired.crt" >>"$t/openssl.log" 2>&1
}

# write_dovecot INSTANCE LISTEN SSL(yes|no) CERT(good|bad) IMAP IMAPS POP3 POP3S SMTP SMTPS
write_dovecot() {
    local inst=$1 listen=$2 ssl=$3 cert=$4 imap=$5 imaps=$6 pop3=$7 pop3s=$8 smtp=$9 smtps=${10}
    local i=$D/$inst protocols="imap pop3 submission" plain=yes sslconf=""
    [[ $inst == main ]] && protocols="imap pop3 submission lmtp"
    [[ $ssl == no ]] && plain=no
    if [[ $ssl == yes ]]; then
        sslconf="ssl_cert = <$D/tls/$cert.crt
ssl_key = <$D/tls/$cert.key"
    fi
    mkdir -p "$i"
    rm -rf "$i/run" "$i/dovecot.log" "$i/stdout.log"
    cat >"$i/dovecot.conf" <<EOF
# generated by mailenv.sh -- instance $inst
instance_name = mailenv-$inst
base_dir = $i/run
state_dir = $i/state
log_path = $i/dovecot.log
listen = $listen
protocols = $protocols
hostname = mail.example.test
default_login_user = $RUN_USER
default_internal_user = $RUN_USER
default_internal_group = $RUN_GROUP
first_valid_uid = 1
last_valid_uid = 0
ssl = $ssl
$sslconf
auth_mechanisms = plain login
disable_plaintext_auth = $plain
auth_failure_delay = 0 secs
auth_username_format = %Lu
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $D/users.passwd
}
userdb {
  driver = static
  args = uid=$RUN_UID gid=$RUN_GID home=$D/mail/%Ld/%Ln
}
mail_location = maildir:~/Maildir
recipient_delimiter = +
submission_relay_host = 127.0.0.1
submission_relay_port = $RELAY
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    path = anvil-auth-penalty-disabled
  }
}
service auth-worker {
  user = $RUN_USER
}
service imap-login {
  chroot =
  inet_listener imap {
    port = $imap
  }
  inet_listener imaps {
    port = $imaps
    ssl = yes
  }
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    port = $pop3
  }
  inet_listener pop3s {
    port = $pop3s
    ssl = yes
  }
}
service submission-login {
  chroot =
  inet_listener submission {
    port = $smtp
  }
  inet_listener submissions {
    port = $smtps
    ssl = yes
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
EOF
    [[ $inst == main ]] && write_dovecot_special_use >>"$i/dovecot.conf"
    return 0
}

# ---- export tests (issue 14.6): special-use folders (RFC 6154) under French
# names. Not auto-created: only a Maildir that has these folders (a test
# makes them for one user) shows them, so other users' lists are unchanged.
write_dovecot_special_use() {
    cat <<'EOF'
namespace inbox {
  inbox = yes
  mailbox Envoyes {
    special_use = \Sent
  }
  mailbox Brouillons {
    special_use = \Drafts
  }
  mailbox "Tous les messages" {
    special_use = \All
  }
}
EOF
}

# ---------------------------------------------------------------- start
tail_logs() {
    local f
    for f in "$D"/*/dovecot.log "$D"/*/stdout.log "$D"/logs/*.log "$D"/tls/openssl.log; do
        [[ -s $f ]] || continue
        echo "----- $f (tail)" >&2
        tail -n 15 "$f" >&2
    done
}

fail_start() {
    echo "mailenv: start failed: $*" >&2
    tail_logs
    do_stop "$D"
    exit 1
}

do_start() {
    local base=auto watch_pid=""
    D=$1; shift
    if (($#)) && [[ $1 != --watch ]]; then base=$1; shift; fi
    if (($#)); then
        [[ $1 == --watch && $# -ge 2 ]] || die "usage: start DIR [PORT_BASE|auto] [--watch PID]"
        watch_pid=$2
        [[ $watch_pid =~ ^[0-9]+$ ]] || die "--watch needs a pid"
    fi
    [[ -n ${MAILENV_PASSWORD:-} ]] || die "MAILENV_PASSWORD must be set"
    [[ $MAILENV_PASSWORD != *[:[:space:]]* ]] || die "MAILENV_PASSWORD must not contain ':' or spaces"
    command -v dovecot >/dev/null || die "dovecot not installed (run scripts/install-test-deps.sh)"
    "$SYS_PY" -c 'import aiosmtpd' 2>/dev/null || die "$SYS_PY cannot import aiosmtpd (apt install python3-aiosmtpd)"

    mkdir -p "$D"
    D=$(cd "$D" && pwd)
    ((${#D} <= 40)) || die "DIR path too long for unix sockets (keep it short, e.g. /tmp/mw-XXXXXX): $D"
    local f
    for f in "$D"/pids/*.pid; do
        [[ -e $f ]] && proc_alive "$(<"$f")" && die "already running in $D (run: $0 stop $D)"
    done

    local t0; t0=$(now_ms)
    if [[ $(id -u) == 0 ]]; then
        RUN_USER=${MAILENV_RUN_AS:-nobody}
        AS=(setpriv "--reuid=$RUN_USER" "--regid=$(id -gn "$RUN_USER")" --clear-groups --)
    else
        RUN_USER=$(id -un)
        AS=()
    fi
    RUN_UID=$(id -u "$RUN_USER"); RUN_GID=$(id -g "$RUN_USER"); RUN_GROUP=$(id -gn "$RUN_USER")

    # ---- files
    rm -rf "$D/tls" "$D/pids" "$D/logs" "$D/bin"
    mkdir -p "$D/tls" "$D/pids" "$D/logs" "$D/bin" "$D/outbound"
    cp "$HERE/relay.py" "$HERE/tarpit.py" "$D/bin/"   # the checkout may not be readable by $RUN_USER
    make_tls "$D/tls" || fail_start "openssl failed"
    : >"$D/users.passwd"
    local u
    for u in "${USERS[@]}"; do
        echo "$u@$DOMAIN:$MAILENV_PASSWORD" >>"$D/users.passwd"
        mkdir -p "$D/mail/$DOMAIN/$u/Maildir/"{new,cur,tmp}
    done
    # carol logs in with the local part only (her address is carol@example.test)
    echo "$LOCALPART_USER:$MAILENV_PASSWORD" >>"$D/users.passwd"
    mkdir -p "$D/mail/$LOCALPART_USER/Maildir/"{new,cur,tmp}

    # ---- port base (lock held until every port answers)
    if [[ -e $LOCK ]]; then :; else (umask 0; : >>"$LOCK") 2>/dev/null || true; fi
    exec 8<"$LOCK"
    flock -w 60 8 || die "could not take $LOCK within 60 s"
    if [[ $base == auto ]]; then
        local found="" try s
        for ((try = 0; try < 300; try++)); do
            [[ -z $found ]] || break
            for s in "${SLOTS[@]}"; do
                if slot_free "$s"; then found=$s; break; fi
            done
            if [[ -z $found ]]; then flock -u 8; sleep 0.2; flock -w 60 8; fi
        done
        [[ -n $found ]] || die "no free port slot among ${SLOTS[*]} within 60 s"
        set_ports "$found"
    else
        [[ $base =~ ^[0-9]+$ ]] && ((base >= 1024 && base + 3995 <= 65535)) || die "bad PORT_BASE $base"
        slot_free "$base" || die "a port of base $base is already in use"
        set_ports "$base"
    fi

    write_dovecot main 127.0.0.1 yes good "$MAIN_IMAP" "$MAIN_IMAPS" "$MAIN_POP3" "$MAIN_POP3S" "$MAIN_SMTP" "$MAIN_SMTPS"
    write_dovecot strict 127.0.0.2 yes good "$STRICT_IMAP" "$STRICT_IMAPS" "$STRICT_POP3" "$STRICT_POP3S" "$STRICT_SMTP" "$STRICT_SMTPS"
    write_dovecot notls 127.0.0.1 no good "$NOTLS_IMAP" 0 "$NOTLS_POP3" 0 "$NOTLS_SMTP" 0
    write_dovecot badcert 127.0.0.1 yes bad "$BADCERT_IMAP" "$BADCERT_IMAPS" "$BADCERT_POP3" "$BADCERT_POP3S" "$BADCERT_SMTP" "$BADCERT_SMTPS"
    write_dovecot selfsigned 127.0.0.1 yes self 0 "$SELF_IMAPS" 0 0 0 "$SELF_SMTPS"
    write_dovecot expired 127.0.0.1 yes expired 0 "$EXPIRED_IMAPS" 0 0 0 "$EXPIRED_SMTPS"
    if [[ $(id -u) == 0 ]]; then
        chown -R "$RUN_UID:$RUN_GID" "$D"
        "${AS[@]}" test -w "$D/mail" || die "$RUN_USER cannot reach $D (use a dir under /tmp)"
    fi

    # ---- daemons (stdio to files; fd 8, the lock, not inherited)
    cd "$D"
    local inst
    for inst in main strict notls badcert selfsigned expired; do
        "${AS[@]}" dovecot -F -c "$D/$inst/dovecot.conf" </dev/null >>"$D/$inst/stdout.log" 2>&1 8<&- &
        echo $! >"$D/pids/dovecot-$inst.pid"
    done
    "${AS[@]}" "$SYS_PY" "$D/bin/relay.py" 127.0.0.1 "$RELAY" "$D/main/run/lmtp" "$D/users.passwd" "$D/outbound" \
        </dev/null >>"$D/logs/relay.log" 2>&1 8<&- &
    echo $! >"$D/pids/relay.pid"
    "${AS[@]}" "$SYS_PY" "$D/bin/tarpit.py" 127.0.0.1 "$TARPIT" </dev/null >>"$D/logs/tarpit.log" 2>&1 8<&- &
    echo $! >"$D/pids/tarpit.pid"

    # ---- wait until every port answers
    local deadline=$(($(now_ms) + READY_TIMEOUT * 1000)) p
    local -a pending=("${LISTEN_PORTS[@]}") still
    while ((${#pending[@]})); do
        still=()
        for p in "${pending[@]}"; do answers "$p" || still+=("$p"); done
        pending=("${still[@]+"${still[@]}"}")
        ((${#pending[@]})) || break
        for f in "$D"/pids/*.pid; do
            proc_alive "$(<"$f")" || fail_start "$(basename "$f" .pid) exited; not answering: ${pending[*]}"
        done
        (($(now_ms) < deadline)) || fail_start "not answering after ${READY_TIMEOUT}s: ${pending[*]}"
        sleep 0.05
    done
    answers "127.0.0.1:$CLOSED" && fail_start "the closed port $CLOSED has a listener"
    [[ -S $D/main/run/lmtp ]] || fail_start "no LMTP socket $D/main/run/lmtp"
    flock -u 8
    exec 8<&-

    if [[ -n $watch_pid ]]; then
        setsid bash "$SELF" __watch "$D" "$watch_pid" </dev/null >>"$D/logs/watch.log" 2>&1 &
        echo $! >"$D/pids/watch.pid"
    fi

    local users_csv
    users_csv=$(printf "%s@$DOMAIN," "${USERS[@]}")
    {
        echo "MAILENV_DIR=$D"
        echo "MAILENV_CA=$D/tls/ca.crt"
        echo "MAILENV_HOST=127.0.0.1"
        echo "MAILENV_STRICT_HOST=127.0.0.2"
        echo "MAILENV_TLS_NAME=mail.example.test"
        echo "MAILENV_BADCERT_NAME=wrong.example.invalid"
        echo "MAILENV_DOMAIN=$DOMAIN"
        echo "MAILENV_USER=alice@$DOMAIN"
        echo "MAILENV_USERS=${users_csv%,}"
        echo "MAILENV_LOCALPART_USER=$LOCALPART_USER"
        echo "MAILENV_PORT_BASE=$PORT_BASE"
        echo "MAILENV_IMAP_PORT=$MAIN_IMAP"
        echo "MAILENV_IMAPS_PORT=$MAIN_IMAPS"
        echo "MAILENV_POP3_PORT=$MAIN_POP3"
        echo "MAILENV_POP3S_PORT=$MAIN_POP3S"
        echo "MAILENV_SMTP_PORT=$MAIN_SMTP"
        echo "MAILENV_SMTPS_PORT=$MAIN_SMTPS"
        echo "MAILENV_STRICT_IMAP_PORT=$STRICT_IMAP"
        echo "MAILENV_STRICT_IMAPS_PORT=$STRICT_IMAPS"
        echo "MAILENV_STRICT_POP3_PORT=$STRICT_POP3"
        echo "MAILENV_STRICT_POP3S_PORT=$STRICT_POP3S"
        echo "MAILENV_STRICT_SMTP_PORT=$STRICT_SMTP"
        echo "MAILENV_STRICT_SMTPS_PORT=$STRICT_SMTPS"
        echo "MAILENV_NOTLS_IMAP_PORT=$NOTLS_IMAP"
        echo "MAILENV_NOTLS_POP3_PORT=$NOTLS_POP3"
        echo "MAILENV_NOTLS_SMTP_PORT=$NOTLS_SMTP"
        echo "MAILENV_BADCERT_IMAP_PORT=$BADCERT_IMAP"
        echo "MAILENV_BADCERT_IMAPS_PORT=$BADCERT_IMAPS"
        echo "MAILENV_BADCERT_POP3_PORT=$BADCERT_POP3"
        echo "MAILENV_BADCERT_POP3S_PORT=$BADCERT_POP3S"
        echo "MAILENV_BADCERT_SMTP_PORT=$BADCERT_SMTP"
        echo "MAILENV_BADCERT_SMTPS_PORT=$BADCERT_SMTPS"
        echo "MAILENV_SELFSIGNED_IMAPS_PORT=$SELF_IMAPS"
        echo "MAILENV_SELFSIGNED_SMTPS_PORT=$SELF_SMTPS"
        echo "MAILENV_SELFSIGNED_CERT=$D/tls/self.crt"
        echo "MAILENV_EXPIRED_IMAPS_PORT=$EXPIRED_IMAPS"
        echo "MAILENV_EXPIRED_SMTPS_PORT=$EXPIRED_SMTPS"
        echo "MAILENV_RELAY_PORT=$RELAY"
        echo "MAILENV_TARPIT_PORT=$TARPIT"
        echo "MAILENV_CLOSED_PORT=$CLOSED"
        echo "MAILENV_MAILDIR_ROOT=$D/mail/$DOMAIN"
        echo "MAILENV_OUTBOUND=$D/outbound"
        echo "MAILENV_LMTP_SOCKET=$D/main/run/lmtp"
        echo "MAILENV_START_MS=$(($(now_ms) - t0))"
    } >"$D/mailenv.env"
    cat "$D/mailenv.env"
}

case ${1:-} in
    start) shift; (($# >= 1)) || die "usage: start DIR [PORT_BASE|auto] [--watch PID]"; do_start "$@" ;;
    stop) (($# == 2)) || die "usage: stop DIR"; do_stop "$(cd "$2" 2>/dev/null && pwd || echo "$2")" ;;
    __watch) do_watch "$2" "$3" ;;
    *) die "usage: $0 start DIR [PORT_BASE|auto] [--watch PID] | stop DIR" ;;
esac
