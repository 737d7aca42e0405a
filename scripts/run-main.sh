#!/bin/sh
# run-main.sh ENTENTE: the main job on the built-in CSTO data (make run):
# the organization today, the Kazakhstan 2022 deployment explained, and the
# same crisis played 100,000 times by the simulator; then the crisis room:
# entente serve at http://127.0.0.1:8080/ in the foreground (Ctrl-C stops it).
set -eu
E=${1:-build/entente}
echo "\$ entente state"
"$E" state
echo
echo "\$ entente why KZ-2022-D"
"$E" why KZ-2022-D
echo
echo "\$ entente simulate --host KZ --at 2022-01-05 --severity 0.8 --runs 100000"
"$E" simulate --host KZ --at 2022-01-05 --severity 0.8 --runs 100000

# The crisis room (docs/crisis-room.md): the built-in history in a journal
# (build/room.db, or $ENTENTE_DB), an admin token made on the first run only
# (printed once, kept next to the journal with mode 0600), and the server in
# the foreground until Ctrl-C.
J=${ENTENTE_DB:-$(dirname "$E")/room.db}
LISTEN=${ENTENTE_LISTEN:-127.0.0.1:8080}
WEB=${ENTENTE_WEB:-$(dirname "$E")/web}
TOKFILE="$J.admin-token"
echo
if [ ! -s "$TOKFILE" ]; then
    echo "\$ entente token add --db $J --principal admin --name admin-YYYYMMDDHHMMSS"
    # a new journal starts from the built-in history (ent_open); the token is shown once
    tok=$(umask 077 && "$E" token add --db "$J" --principal admin --name "admin-$(date +%Y%m%d%H%M%S)") || exit $?
    (umask 077 && printf '%s\n' "$tok" > "$TOKFILE")
    chmod 600 "$TOKFILE"
    echo "admin token (shown once; also kept in $TOKFILE, mode 0600):"
    echo "  $tok"
else
    echo "journal: $J; the admin token made on the first run is in $TOKFILE"
fi
echo "more tokens: $E token add --db $J --principal KZ|chair|sg|secretariat|observer --name NAME"
echo
echo "\$ entente serve --db $J --listen $LISTEN --web $WEB"
echo "crisis room: http://$LISTEN/   (Ctrl-C stops it)"
exec "$E" serve --db "$J" --listen "$LISTEN" --web "$WEB"
