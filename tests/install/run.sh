#!/bin/sh
# install/run.sh BUILD_DIR: `make install PREFIX=TMP` puts the command, the
# library with its header and pkg-config file, and the man page in place, and a
# program built with `pkg-config --cflags --libs entente` runs against it.
set -u
B=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

if make --no-print-directory -s install PREFIX="$tmp/prefix" B="$B" >"$tmp/log" 2>&1; then ok; else ko "make install"; cat "$tmp/log"; fi
for f in bin/entente lib/libentente.a lib/libentente.so include/entente.h lib/pkgconfig/entente.pc \
         share/man/man1/entente.1 share/entente/charters/nato.chron share/entente/charters/rio.chron \
         share/entente/web/index.html; do
    if [ -e "$tmp/prefix/$f" ]; then ok; else ko "missing $f"; fi
done
if "$tmp/prefix/bin/entente" --version | grep -q '^entente '; then ok; else ko "installed entente --version"; fi

# the installed server finds its page without --web, from any directory
if command -v node >/dev/null 2>&1; then
    (cd "$tmp" && exec "$tmp/prefix/bin/entente" serve --db "$tmp/room.db" --listen 127.0.0.1:0 2>"$tmp/serve.log") &
    spid=$!
    url=""
    i=0
    while [ $i -lt 100 ] && [ -z "$url" ]; do
        url=$(sed -n 's/.*serving \(http:[^ ]*\).*/\1/p' "$tmp/serve.log" 2>/dev/null)
        [ -n "$url" ] || sleep 0.1
        i=$((i + 1))
    done
    if [ -n "$url" ] && node -e '
        fetch(process.argv[1]).then(async (r) => {
            const t = await r.text();
            process.exit(r.status === 200 && /<html/i.test(t) ? 0 : 1);
        }).catch(() => process.exit(1));' "$url"; then ok; else ko "the installed entente serve gives its page (${url:-no URL}): $(cat "$tmp/serve.log")"; fi
    kill "$spid" 2>/dev/null
    wait "$spid" 2>/dev/null
fi

cat >"$tmp/t.c" <<'C'
#include <entente.h>
#include <stdio.h>
int main(void)
{
    ent_db *db;
    char *out;
    if (ent_open(&db, NULL, 0, NULL) != ENT_OK) return 1;
    if (ent_state(db, "2022-01-08", ENT_FMT_JSON, &out, NULL) != ENT_OK) return 2;
    fputs(out, stdout);
    ent_free(out);
    ent_close(db);
    return 0;
}
C
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
if cc "$tmp/t.c" -o "$tmp/t" $(pkg-config --cflags entente) $(pkg-config --static --libs entente) 2>"$tmp/cc.log" \
   && LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/t" | grep -q '"id":"KZ-2022-D"'; then ok; else ko "program linked with pkg-config"; cat "$tmp/cc.log"; fi
if command -v man >/dev/null 2>&1; then
    if MANWIDTH=80 man -l "$tmp/prefix/share/man/man1/entente.1" 2>&1 | grep -q 'entente'; then ok; else ko "man page renders"; fi
fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
