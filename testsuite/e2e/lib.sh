# lib.sh: a private Postfix with sieve-milter, for run.sh (the e2e test)
# and ../bench/milter-eom.sh. Source it with SIEVEC, MILTER and HERE (this
# directory) set; see ../shared/spec/private-postfix.md for the Postfix side.
#
#   e2e_init            skip (77) without postfix/swaks or root; make $D,
#                       pick a free loopback $PORT, install the clean-up
#   compile NAME USER   compile scripts/NAME.sieve as USER@example.org's .so
#   start_milter [KEY=VALUE...]   the milter on $D/milter.sock, as nobody
#   start_postfix USER...         Postfix on $PORT with a Maildir per user
# The clean-up stops both and removes $D (kept with KEEP_E2E=1 or when
# $fail is not 0, after printing the logs' tails).

export PATH=$PATH:/usr/sbin:/sbin
MUSER=nobody
MILTER_PID=
fail=${fail:-0}

e2e_cleanup() {
    postfix -c "$D/etc" stop >/dev/null 2>&1
    if [ -n "$MILTER_PID" ]; then
        kill "$MILTER_PID" 2>/dev/null
        wait "$MILTER_PID" 2>/dev/null
    fi
    if [ "$fail" -ne 0 ] || [ -n "${KEEP_E2E:-}" ]; then
        echo "---- maillog (tail)"; tail -n 40 "$D/maillog" 2>/dev/null
        echo "---- milter log (tail)"; tail -n 40 "$D/milter.log" 2>/dev/null
    fi
    if [ -n "${KEEP_E2E:-}" ]; then echo "kept $D"; else rm -rf "$D"; fi
}

e2e_init() {
    if ! command -v postfix >/dev/null || ! command -v swaks >/dev/null; then
        echo "SKIP: postfix or swaks not installed (Debian: apt-get install postfix swaks)"
        exit 77
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "SKIP: a private Postfix must be started as root"
        exit 77
    fi
    D=$(mktemp -d /tmp/sieve-e2e.XXXXXX) || exit 2
    chmod 755 "$D"
    trap e2e_cleanup EXIT
    # A port in 20000-29999 that nothing listens on.
    PORT=
    local try p
    for try in $(seq 1 50); do
        p=$((20000 + (RANDOM % 10000)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; break; fi
    done
    [ -n "$PORT" ] || { echo "no free port"; exit 2; }
    mkdir -p "$D/etc" "$D/queue" "$D/data" "$D/mail" "$D/scripts/example.org" "$D/cache"
    # Scripts are compiled with a private key and owned by root; the milter
    # (as nobody) reads the key and keeps its object cache.
    printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f > "$D/mac.key"
    chmod 600 "$D/mac.key"
    chown "$MUSER" "$D/mac.key" "$D/cache"
    chmod 700 "$D/cache"
}

compile() {   # into the layout, atomically (rename), as an upload would
    "$SIEVEC" --key-file "$D/mac.key" -o "$D/scripts/example.org/.$2.tmp" "$HERE/scripts/$1.sieve" &&
        mv "$D/scripts/example.org/.$2.tmp" "$D/scripts/example.org/$2.so"
}

start_milter() {
    cat > "$D/milter.conf" <<CONF
# sieve-milter.conf for the e2e test
socket = unix:$D/milter.sock
socket_mode = 0666
user = $MUSER
script_owner = root
script_layout = $D/scripts/%d/%l.so
key_file = $D/mac.key
cache_dir = $D/cache
multi_recipient = split
redirect_domains = example.org
redirect_rate = 100
log = stderr
CONF
    local kv
    for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}" >> "$D/milter.conf"; done
    "$MILTER" -c "$D/milter.conf" --check >/dev/null || { echo "milter config refused"; exit 2; }
    "$MILTER" -c "$D/milter.conf" 2> "$D/milter.log" &
    MILTER_PID=$!
    local i
    for i in $(seq 1 100); do [ -S "$D/milter.sock" ] && break; sleep 0.1; done
    [ -S "$D/milter.sock" ] || { echo "milter did not start"; cat "$D/milter.log"; exit 2; }
}

start_postfix() {
    local pf_uid pf_gid u i
    pf_uid=$(id -u postfix)
    pf_gid=$(id -g postfix)
    cp /etc/postfix/dynamicmaps.cf "$D/etc/"
    # Our smtpd on the test port; nothing chrooted (the queue is in /tmp).
    awk -v port="$PORT" '
        /^smtp[ \t]+inet/ { print "127.0.0.1:" port " inet n - n - - smtpd"; next }
        /^#/ || /^[ \t]/ || NF < 8 { print; next }
        { $5 = "n"; print }' /etc/postfix/master.cf > "$D/etc/master.cf"
    for u in "$@"; do echo "$u@example.org $u/"; done > "$D/etc/mailboxes"
    cat > "$D/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $D/queue
data_directory = $D/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.example.net
mydomain = example.net
myorigin = \$myhostname
mydestination = localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = $D/maillog
maillog_file_prefixes = /var, /dev/stdout, $D
virtual_mailbox_domains = example.org
virtual_transport = virtual
virtual_mailbox_base = $D/mail
virtual_mailbox_maps = texthash:$D/etc/mailboxes
virtual_uid_maps = static:$pf_uid
virtual_gid_maps = static:$pf_gid
recipient_delimiter = +
default_transport = error:no relaying in tests
relay_transport = error:no relaying in tests
alias_maps =
alias_database =
biff = no
smtpd_milters = unix:$D/milter.sock
milter_default_action = tempfail
CF
    chown "$pf_uid:$pf_gid" "$D/mail" "$D/data"
    if ! postfix -c "$D/etc" start > "$D/postfix-start.log" 2>&1; then
        echo "postfix did not start:"; cat "$D/postfix-start.log" "$D/maillog" 2>/dev/null
        exit 2
    fi
    for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
}
