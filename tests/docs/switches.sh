#!/bin/sh
# tests/docs/switches.sh: docs/rules.md agrees with data/charter.chron.
#
#   - every `charter switch NAME default=D values=V` has a row of the switch
#     table of docs/rules.md that starts | `NAME` | `D` | `V` |, and the
#     table has no row for a switch the charter does not declare;
#   - every `charter rule ID source="S" from=F` has a section "## ID" and a
#     row of the rules-at-a-glance table that starts | [ID](#ID) | S | F |.
#
# Prints "FAIL: ..." for each difference, and last "switches: N passed, M
# failed" (one check per switch and per rule). Exit status 0 when all agree,
# 1 otherwise, 70 when a file cannot be read. Needs only sh, sed and grep.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
charter="$top/data/charter.chron"
doc="$top/docs/rules.md"
for f in "$charter" "$doc"; do
    if [ ! -r "$f" ]; then
        echo "switches: cannot read $f" >&2
        echo "switches: 0 passed, 1 failed"
        exit 70
    fi
done

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# The document has a line that contains this exact text (a table row prefix).
has_row() { grep -F -q -- "$1" "$doc"; }

# --- switches -----------------------------------------------------------
# One line per switch: NAME DEFAULT VALUES (VALUES empty when values= is absent).
switches=$(grep -E '^[[:space:]]*charter[[:space:]]+switch[[:space:]]' "$charter" |
    while IFS= read -r line; do
        name=$(printf '%s\n' "$line" | sed 's/^[[:space:]]*charter[[:space:]]*switch[[:space:]]*\([^[:space:]]*\).*/\1/')
        dflt=$(printf '%s\n' "$line" | sed -n 's/.*[[:space:]]default=\([^[:space:]]*\).*/\1/p')
        vals=$(printf '%s\n' "$line" | sed -n 's/.*[[:space:]]values=\([^[:space:]]*\).*/\1/p')
        printf '%s %s %s\n' "$name" "$dflt" "$vals"
    done)
if [ -z "$switches" ]; then
    echo "switches: no 'charter switch' in $charter" >&2
    echo "switches: 0 passed, 1 failed"
    exit 70
fi
# (a here-document, not a pipe, so that the loop runs in this shell)
while read -r name dflt vals; do
    if [ -n "$vals" ]; then
        row="| \`$name\` | \`$dflt\` | \`$vals\` |"
    else
        row="| \`$name\` | \`$dflt\` |"
    fi
    if has_row "$row"; then ok; else bad "switch $name: docs/rules.md has no row starting '$row'"; fi
done <<EOF
$switches
EOF

# Rows of the switch table that name a switch the charter does not declare.
names=$(printf '%s\n' "$switches" | cut -d' ' -f1)
for doc_name in $(sed -n 's/^| `\([a-z][a-z0-9-]*\.[a-z0-9.-]*\)` | `[^`]*` | `[^`]*` |.*/\1/p' "$doc"); do
    if printf '%s\n' "$names" | grep -F -x -q -- "$doc_name"; then :; else
        bad "docs/rules.md documents a switch '$doc_name' that data/charter.chron does not declare"
    fi
done

# --- rules --------------------------------------------------------------
rules=$(sed -n 's/^[[:space:]]*charter[[:space:]][[:space:]]*rule[[:space:]][[:space:]]*\([A-Za-z][A-Za-z0-9_-]*\).*/\1/p' "$charter")
for id in $rules; do
    line=$(grep -E "^[[:space:]]*charter[[:space:]]+rule[[:space:]]+$id[[:space:]]" "$charter" | head -n 1)
    src=$(printf '%s\n' "$line" | sed -n 's/.*[[:space:]]source="\([^"]*\)".*/\1/p')
    from=$(printf '%s\n' "$line" | sed -n 's/.*[[:space:]]from=\([0-9-]*\).*/\1/p')
    row="| [$id](#$id) | $src | $from |"
    if ! grep -F -x -q -- "## $id" "$doc"; then
        bad "rule $id: docs/rules.md has no section '## $id'"
    elif ! has_row "$row"; then
        bad "rule $id: docs/rules.md has no row starting '$row'"
    else
        ok
    fi
done

echo "switches: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
