#!/bin/sh
# bench/http.sh BUILD_DIR ROWS NOTES: the crisis room's benchmarks (issue 5),
# side by side in one run, with wrk on loopback:
#   - GET /api/state from `entente serve` against nginx (Debian's, tuned:
#     keep-alive, open_file_cache, access_log off) serving the same JSON
#     bytes as a static file; the rounds alternate so that both see the same
#     machine;
#   - POST /api/commands with durable group commit from 64 connections (one
#     delegation's token, one `note` line a request), with p50 and p99
#     latency, in rounds alternating with the same server's cheapest answer
#     and with a bare libmicrohttpd server (bench/peers/bare_mhd.c, the
#     reference the issue gives its target against); the journal is checked
#     afterwards (every acknowledged command is an event, verify passes).
# Appends table rows ("| name | figure | unit | ratio | target | met? |") to
# ROWS and lines of detail to NOTES; run-bench.sh merges them into its table.
# Needs wrk and nginx (scripts/install-deps.sh --bench); without them the
# rows say so. Every loop is bounded; only 127.0.0.1 is used.
set -u
B=${1:?usage: bench/http.sh BUILD_DIR ROWS NOTES}
ROWS=${2:?}
NOTES=${3:?}
ROUNDS=${HTTP_ROUNDS:-3}
SECS=${HTTP_SECS:-5}
CONNS=${HTTP_CONNS:-64}
ENT="$B/entente"
BARE="$B/bare-mhd"

row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@" >>"$ROWS"; }
note() { printf -- '- %s\n' "$*" >>"$NOTES"; }

for tool in wrk nginx; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
        row "http: GET /api/state, POST /api/commands" "-" "-" "not measured: $tool missing (scripts/install-deps.sh --bench)" "-" "-"
        exit 0
    fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d "${TMPDIR:-/tmp}/entente-http.XXXXXX") || exit 74
chmod 755 "$work"
srv_pid=""
ngx_pid=""
bare_pid=""
cleanup() {
    [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
    [ -n "$bare_pid" ] && kill "$bare_pid" 2>/dev/null && wait "$bare_pid" 2>/dev/null
    [ -n "$ngx_pid" ] && kill "$ngx_pid" 2>/dev/null && wait "$ngx_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() { # a free loopback port, by asking the kernel
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() { # $1 = url; at most 10 s
    i=0
    while [ $i -lt 100 ]; do
        /usr/bin/python3 - "$1" <<'EOF' 2>/dev/null && return 0
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=1).read()
EOF
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# ------------------------------------------------------------ the server
db="$work/room.db"
"$ENT" run --db "$db" /dev/null >/dev/null 2>&1 || "$ENT" verify --db "$db" >/dev/null 2>&1
token=$("$ENT" token add --principal KZ --name bench-kz --db "$db" 2>/dev/null) || {
    row "http: crisis room" "-" "-" "not measured: entente token add failed" "-" "-"
    exit 0
}
sport=$(free_port)
"$ENT" serve --db "$db" --listen "127.0.0.1:$sport" >"$work/serve.log" 2>&1 &
srv_pid=$!
if ! wait_port "http://127.0.0.1:$sport/api/state"; then
    row "http: crisis room" "-" "-" "not measured: entente serve did not start ($(tail -n 1 "$work/serve.log"))" "-" "-"
    exit 0
fi

# ------------------------------------------------------------ nginx, same bytes
mkdir -p "$work/www" "$work/ngx"
/usr/bin/python3 - "http://127.0.0.1:$sport/api/state" "$work/www/state.json" <<'EOF'
import sys, urllib.request
open(sys.argv[2], "wb").write(urllib.request.urlopen(sys.argv[1], timeout=5).read())
EOF
chmod 644 "$work/www/state.json"
nport=$(free_port)
# entente's Content-Security-Policy, as it sends it
csp=$(/usr/bin/python3 - "http://127.0.0.1:$sport/api/state" <<'EOF'
import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=5).headers.get("Content-Security-Policy", ""))
EOF
)
cat >"$work/ngx/nginx.conf" <<EOF
worker_processes auto;
pid $work/ngx/nginx.pid;
error_log $work/ngx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
    open_file_cache_min_uses 1;
    client_body_temp_path $work/ngx/body;
    proxy_temp_path $work/ngx/proxy;
    fastcgi_temp_path $work/ngx/fastcgi;
    uwsgi_temp_path $work/ngx/uwsgi;
    scgi_temp_path $work/ngx/scgi;
    types { application/json json; }
    charset utf-8;
    charset_types application/json;
    server {
        listen 127.0.0.1:$nport;
        root $work/www;
        # the headers entente serve sends with /api/state, so that both
        # answers carry about the same bytes (docs/performance.md)
        add_header Cache-Control "no-cache" always;
        add_header Content-Security-Policy "$csp" always;
        add_header X-Content-Type-Options "nosniff" always;
        add_header X-Frame-Options "DENY" always;
        add_header Referrer-Policy "no-referrer" always;
        location = /api/state { default_type application/json; try_files /state.json =404; }
    }
}
EOF
"$NGINX" -p "$work/ngx" -c "$work/ngx/nginx.conf" -g 'daemon off;' >"$work/ngx/out.log" 2>&1 &
ngx_pid=$!
if ! wait_port "http://127.0.0.1:$nport/api/state"; then
    row "http: nginx peer" "-" "-" "not measured: nginx did not start ($(tail -n 1 "$work/ngx/error.log" 2>/dev/null))" "-" "-"
    exit 0
fi
bytes=$(wc -c <"$work/www/state.json")
hdr_bytes() { # the bytes of an answer's status line and headers
    /usr/bin/python3 - "$1" <<'EOF'
import sys, http.client, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
c.request("GET", u.path)
r = c.getresponse()
r.read()
print(len("HTTP/1.1 200 OK\r\n") + sum(len(k) + len(v) + 4 for k, v in r.getheaders()) + 2)
EOF
}
ehdr=$(hdr_bytes "http://127.0.0.1:$sport/api/state")
nhdr=$(hdr_bytes "http://127.0.0.1:$nport/api/state")

# wrk's summary -> "RPS P50 P99" (latencies in ms)
wrk_run() { # $1 = url, $2 = extra args
    # shellcheck disable=SC2086
    wrk -t2 -c"$CONNS" -d"${SECS}s" --latency $2 "$1" 2>&1 | awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^Requests\/sec:/ { rps = $2 }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        /Socket errors:/ { err = $0 }
        / requests in / { n = $1 }
        END { printf "%s %s %s %s %s\n", rps + 0, p50 + 0, p99 + 0, bad + 0, n + 0 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$work/get-ent"
: >"$work/get-ngx"
: >"$work/get-ratio"
r=0
while [ $r -lt "$ROUNDS" ]; do
    # the order alternates too (even rounds: entente first)
    if [ $((r % 2)) -eq 1 ]; then
        set -- $(wrk_run "http://127.0.0.1:$nport/api/state" "")
        n_rps=$1 n_p50=$2 n_p99=$3 n_bad=$4
    fi
    set -- $(wrk_run "http://127.0.0.1:$sport/api/state" "")
    e_rps=$1 e_p50=$2 e_p99=$3 e_bad=$4
    if [ $((r % 2)) -eq 0 ]; then
        set -- $(wrk_run "http://127.0.0.1:$nport/api/state" "")
        n_rps=$1 n_p50=$2 n_p99=$3 n_bad=$4
    fi
    echo "$e_rps $e_p50 $e_p99 $e_bad" >>"$work/get-ent"
    echo "$n_rps $n_p50 $n_p99 $n_bad" >>"$work/get-ngx"
    awk -v a="$e_rps" -v b="$n_rps" 'BEGIN { printf("%.3f\n", (b > 0) ? a / b : 0) }' >>"$work/get-ratio"
    r=$((r + 1))
done
e_med=$(cut -d' ' -f1 "$work/get-ent" | median)
n_med=$(cut -d' ' -f1 "$work/get-ngx" | median)
ratio=$(median <"$work/get-ratio")
e_p50=$(cut -d' ' -f2 "$work/get-ent" | median)
e_p99=$(cut -d' ' -f3 "$work/get-ent" | median)
n_p50=$(cut -d' ' -f2 "$work/get-ngx" | median)
n_p99=$(cut -d' ' -f3 "$work/get-ngx" | median)
e_bad=$(awk '{ s += $4 } END { print s + 0 }' "$work/get-ent")
met=$(awk -v r="$ratio" -v bad="$e_bad" 'BEGIN { print (r >= 1.0 && bad == 0) ? "yes" : "NO" }')
row "http: GET /api/state (entente serve, cached)" "$(printf '%.0f' "$e_med")" "requests/s" \
    "${ratio}x nginx, same $bytes bytes; p50 ${e_p50} ms, p99 ${e_p99} ms" ">= 1.0x nginx" "$met"
row "nginx static file, same JSON (peer)" "$(printf '%.0f' "$n_med")" "requests/s" \
    "p50 ${n_p50} ms, p99 ${n_p99} ms" "-" "-"
note "http: wrk -t2 -c$CONNS -d${SECS}s --latency, $ROUNDS rounds alternating entente serve and nginx ($("$NGINX" -v 2>&1 | sed 's/.*: //'), worker_processes auto, keep-alive, open_file_cache, access_log off, sendfile, entente's security headers and Cache-Control added); the body: $bytes bytes of /api/state; header bytes: entente $ehdr, nginx $nhdr"
note "GET entente (requests/s p50-ms p99-ms non-2xx): $(tr '\n' ';' <"$work/get-ent")"
note "GET nginx (requests/s p50-ms p99-ms non-2xx): $(tr '\n' ';' <"$work/get-ngx")"
note "GET ratio entente/nginx per round: $(tr '\n' ' ' <"$work/get-ratio" | sed 's/ $//')"

# ------------------------------------------------------------ POST, durable
before=$(/usr/bin/python3 - "http://127.0.0.1:$sport/api/state" <<'EOF'
import sys, json, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1], timeout=5))["date"])
EOF
)
cat >"$work/post.lua" <<EOF
local n = 0
local tid = 0
local threads = {}
function setup(thread) tid = tid + 1; thread:set("tid", tid) end
request = function()
    n = n + 1
    local body = "$before KZ note \"bench " .. tid .. "-" .. n .. "\"\n"
    return wrk.format("POST", "/api/commands", {
        ["Authorization"] = "Bearer $token",
        ["Content-Type"] = "text/plain"
    }, body)
end
EOF
# the host's ceiling for one request: the same server's cheapest answer (the
# events after a seq beyond the last: 50 bytes of JSON, no journal read), so
# that the POST figure can be read against what this machine does for any
# request. ROUNDS rounds, each the cheapest answer and POST back to back (the
# order alternating), the medians and the median of the rounds' ratios: the
# host's own speed moves between runs, and a ratio of one round does not
CHEAP="http://127.0.0.1:$sport/api/log?after=1000000000000"
events0=$("$ENT" log --json --db "$db" 2>/dev/null | wc -l)
# the server holds the journal; count through the API instead
count_events() { # the log's last_seq (its events are capped by limit)
    /usr/bin/python3 - "http://127.0.0.1:$sport/api/log?after=0&limit=1" <<'EOF'
import sys, json, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1], timeout=30))["last_seq"])
EOF
}
ev0=$(count_events)
# the bare libmicrohttpd peer: entente serve's pool of two threads and turbo,
# with epoll; one response made once (the cheapest answer's 50 bytes), no product
BARE_URL=""
if [ -x "$BARE" ]; then
    bport=$(free_port)
    "$BARE" "$bport" >"$work/bare.log" 2>&1 &
    bare_pid=$!
    if wait_port "http://127.0.0.1:$bport/"; then
        BARE_URL="http://127.0.0.1:$bport/api/log"
    else
        note "bare libmicrohttpd peer did not start: $(tail -n 1 "$work/bare.log")"
    fi
fi
: >"$work/cheap"
: >"$work/bare"
: >"$work/post"
: >"$work/post-ratio"
: >"$work/bare-ratio"
post_round() {
    set -- $(wrk_run "http://127.0.0.1:$sport/api/commands" "-s $work/post.lua")
    echo "$1 $2 $3 $4 $5" >>"$work/post"
}
peer_rounds() { # the cheapest answer, then the bare peer
    set -- $(wrk_run "$CHEAP" "")
    c_rps=$1
    echo "$1 $2 $3 $4" >>"$work/cheap"
    b_rps=0
    if [ -n "$BARE_URL" ]; then
        set -- $(wrk_run "$BARE_URL" "")
        b_rps=$1
        echo "$1 $2 $3 $4" >>"$work/bare"
    fi
}
r=0
while [ $r -lt "$ROUNDS" ]; do
    # the order alternates (even rounds: POST first)
    if [ $((r % 2)) -eq 0 ]; then post_round; peer_rounds; else peer_rounds; post_round; fi
    p_last=$(tail -n 1 "$work/post" | cut -d' ' -f1)
    awk -v a="$p_last" -v b="$c_rps" 'BEGIN { printf("%.3f\n", (b > 0) ? a / b : 0) }' >>"$work/post-ratio"
    [ -n "$BARE_URL" ] && awk -v a="$p_last" -v b="$b_rps" 'BEGIN { printf("%.3f\n", (b > 0) ? a / b : 0) }' >>"$work/bare-ratio"
    r=$((r + 1))
done
c_med=$(cut -d' ' -f1 "$work/cheap" | median)
c_p50=$(cut -d' ' -f2 "$work/cheap" | median)
c_p99=$(cut -d' ' -f3 "$work/cheap" | median)
c_bad=$(awk '{ s += $4 } END { print s + 0 }' "$work/cheap")
row "entente serve, cheapest answer: GET /api/log?after=beyond the last (peer)" "$(printf '%.0f' "$c_med")" "requests/s" \
    "the request ceiling of this host; p50 ${c_p50} ms, p99 ${c_p99} ms, non-2xx $c_bad" "-" "-"
if [ -n "$BARE_URL" ]; then
    b_med=$(cut -d' ' -f1 "$work/bare" | median)
    row "bare libmicrohttpd, one fixed answer (peer, bench/peers/bare_mhd.c)" "$(printf '%.0f' "$b_med")" "requests/s" \
        "the issue's reference (190k-225k on the machine it was written for); p50 $(cut -d' ' -f2 "$work/bare" | median) ms, p99 $(cut -d' ' -f3 "$work/bare" | median) ms" "-" "-"
fi
p_rps=$(cut -d' ' -f1 "$work/post" | median)
p_p50=$(cut -d' ' -f2 "$work/post" | median)
p_p99=$(cut -d' ' -f3 "$work/post" | median)
p_bad=$(awk '{ s += $4 } END { print s + 0 }' "$work/post")
p_n=$(awk '{ s += $5 } END { print s + 0 }' "$work/post")
p_ok=$((p_n - p_bad))
p_ratio=$(median <"$work/post-ratio")
b_ratio=$([ -s "$work/bare-ratio" ] && median <"$work/bare-ratio" || echo "-")
ev1=$(count_events)
added=$((ev1 - ev0))
kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
srv_pid=""
vrc=0
"$ENT" verify --db "$db" >"$work/verify.log" 2>&1 || vrc=$?
# acknowledged = durable: every 2xx answer is an event in the journal (there
# may be more events: commands committed while wrk stopped reading)
durable=$([ "$added" -ge "$p_ok" ] && echo yes || echo NO)
met=$(awk -v r="$p_rps" -v bad="$p_bad" -v v="$vrc" -v d="$durable" 'BEGIN { print (r >= 50000 && bad == 0 && v == 0 && d == "yes") ? "yes" : "NO" }')
row "http: POST /api/commands, durable group commit" "$(printf '%.0f' "$p_rps")" "commands/s" \
    "$CONNS clients, median of $ROUNDS rounds; ${b_ratio}x bare libmicrohttpd (the issue's 50,000 against its 190k-225k: 0.22-0.26x), ${p_ratio}x the cheapest answer; p50 ${p_p50} ms, p99 ${p_p99} ms; $p_ok answered 2xx, $added events appended$([ "$durable" = yes ] || echo ' (FEWER: an acknowledged command was lost)'), verify $([ $vrc -eq 0 ] && echo passed || echo FAILED)" \
    ">= 50,000/s" "$met"
note "cheapest answer (requests/s p50-ms p99-ms non-2xx): $(tr '\n' ';' <"$work/cheap")"
note "POST (commands/s p50-ms p99-ms non-2xx answers): $(tr '\n' ';' <"$work/post")"
if [ -n "$BARE_URL" ]; then
    note "bare libmicrohttpd (requests/s p50-ms p99-ms non-2xx): $(tr '\n' ';' <"$work/bare")"
    note "POST / bare libmicrohttpd per round: $(tr '\n' ' ' <"$work/bare-ratio" | sed 's/ $//'), median $b_ratio"
fi
note "POST / cheapest answer per round: $(tr '\n' ' ' <"$work/post-ratio" | sed 's/ $//'), median $p_ratio (the issue's figures, 50,000 POST/s against 190k-225k requests/s of a bare libmicrohttpd server, make 0.22-0.26)"
note "POST: wrk -t2 -c$CONNS -d${SECS}s, $ROUNDS rounds, one KZ note line a request (text/plain, Bearer token); $p_n answers, non-2xx: $p_bad; events before $ev0, after $ev1 (journal had $events0 at start); $(grep 'the writer put' "$work/serve.log" | sed 's/^[^:]*: //')"
exit 0
