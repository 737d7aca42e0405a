// tests/security/sql.mjs: SQL is never built from strings (issue 6, security).
// Reads the C sources under src/ and fails when:
//   - a file other than src/store/journal.c includes sqlite3.h (the journal is
//     the only code that talks to SQLite);
//   - any code calls a formatting function of SQLite (sqlite3_mprintf and kin)
//     or formats text that looks like SQL with printf-like functions;
//   - the SQL argument of sqlite3_prepare*/sqlite3_exec is anything but a
//     string literal, or a name declared in the same file as a constant
//     string or an array of constant strings (sql[i]); the one exception is
//     ent__journal_exec_for_test, the tests' hook, which no program calls.
// Prints "ok"/"FAIL" lines and "sql: N passed, M failed".
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] || '.';
let pass = 0, fail = 0;
const ok = (m) => { pass++; console.log(`ok sql: ${m}`); };
const bad = (m) => { fail++; console.log(`FAIL sql: ${m}`); };

function walk(d, out = []) {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.[ch]$/.test(f)) out.push(p);
  }
  return out;
}
const strip = (s) => s.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');

const files = walk(join(root, 'src'));
const includers = files.filter((f) => /#include\s*[<"]sqlite3\.h[>"]/.test(readFileSync(f, 'utf8')));
if (includers.length === 1 && includers[0].endsWith(join('src', 'store', 'journal.c'))) ok('only src/store/journal.c includes sqlite3.h');
else bad(`sqlite3.h included by: ${includers.join(', ') || 'none'}`);

let calls = 0;
for (const f of files) {
  const src = strip(readFileSync(f, 'utf8'));
  if (/sqlite3_(v?mprintf|snprintf|vsnprintf|str_appendf)\s*\(/.test(src)) bad(`${f}: SQLite's formatting functions build SQL from strings`);
  for (const m of src.matchAll(/\b(?:snprintf|sprintf|asprintf|ent__buf_printf)\s*\([^;]*?"\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|PRAGMA|BEGIN)\b/gi))
    bad(`${f}: SQL formatted with a printf-like function: ${m[0].slice(0, 80)}`);
  const consts = new Set();
  for (const m of src.matchAll(/static\s+const\s+char\s*(?:\*\s*const\s*)?(\w+)\s*\[\s*\w*\s*\]\s*=/g)) consts.add(m[1]);
  for (const m of src.matchAll(/const\s+char\s*\*\s*const\s+(\w+)\s*\[\s*\w*\s*\]\s*=/g)) consts.add(m[1]);
  for (const m of src.matchAll(/\bsqlite3_(prepare(?:_v2|_v3)?|exec)\s*\(\s*[^,]+,\s*([^,]+?)\s*,/g)) {
    calls++;
    const arg = m[2].trim();
    const before = src.slice(0, m.index);
    const fn = [...before.matchAll(/\n(?:static\s+)?[\w\s\*]+?\b(\w+)\s*\([^;{]*\)\s*\{/g)].pop();
    const inFn = fn ? fn[1] : '?';
    if (/^"/.test(arg)) continue;                                  // a literal (concatenated literals too)
    const name = arg.replace(/\[[^\]]*\]$/, '');
    if (consts.has(name)) continue;                                // a constant string or an array of them
    if (inFn === 'ent__journal_exec_for_test') continue;           // the tests' hook
    bad(`${f}: sqlite3_${m[1]} in ${inFn}() takes SQL that is not a constant: ${arg}`);
  }
}
if (calls > 0) ok(`${calls} calls of sqlite3_prepare*/sqlite3_exec take constant SQL (values are bound)`);
else bad('no sqlite3_prepare/sqlite3_exec call found: the check reads nothing');
console.log(`sql: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
