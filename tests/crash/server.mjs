// tests/crash/server.mjs BUILD_DIR ROUNDS: crash safety of `entente serve`
// (issue 6). Each round starts the server on a journal, drives it with 16
// concurrent clients posting one `note` line a request (each with its own
// Idempotency-Key), kills it with SIGKILL at a random moment, and restarts it
// for the next round. At the end (and after every round):
//   - `entente verify` passes (hash chain and replay);
//   - every command the server acknowledged (HTTP 200) is in the journal,
//     exactly once; nothing that was not sent is there;
//   - the state digest of the journal equals that of a fresh replay: the
//     journal exported as a chronicle and run into a new bare journal.
// Prints "ok ..." / "FAIL ..." lines and ends with
// "crash-server: N passed, M failed". Every loop is bounded; only 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer as start, sleep } from '../lib/serve.mjs';

const B = resolve(process.argv[2] || 'build');
const ROUNDS = Number(process.argv[3] || 5);
const ENT = join(B, 'entente');
const CLIENTS = 16;
const work = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'entente-crash-srv-'));
const db = join(work, 'room.db');
let pass = 0, fail = 0;
const ok = (m) => { pass++; console.log(`ok crash-server: ${m}`); };
const bad = (m) => { fail++; console.log(`FAIL crash-server: ${m}`); };

const ent = (...args) => execFileSync(ENT, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });

const startServer = () => start(ENT, db, ['--today', '2027-03-01']);

// One client: posts until stopped; returns the markers acknowledged.
async function client(port, token, round, id, state) {
  const acked = [];
  for (let n = 0; n < 100000 && !state.stop; n++) {
    const marker = `r${round}-c${id}-n${n}`;
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/commands`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain', 'Idempotency-Key': marker },
        body: `2027-03-01 KZ note "${marker}"\n`,
      });
      const body = await r.text();
      if (r.status === 200) acked.push(marker);
      else if (r.status !== 503) state.errors.push(`${r.status} ${body.slice(0, 200)}`);
    } catch {
      break; // the server is gone
    }
  }
  return acked;
}

function journalMarkers() {
  const lines = ent('log', '--json', '--db', db).trim().split('\n').filter(Boolean);
  const seen = new Map();
  for (const l of lines) {
    const ev = JSON.parse(l.replace(/^\[|,$|\]$/g, ''));
    if (ev.verb === 'note' && ev.text && /^r\d+-c\d+-n\d+$/.test(ev.text)) seen.set(ev.text, (seen.get(ev.text) || 0) + 1);
  }
  return seen;
}

function digestOf(path) {
  const out = ent('verify', '--db', path);
  const m = out.match(/[0-9a-f]{64}/);
  return m ? m[0] : null;
}

try {
  ent('run', '--db', db, '/dev/null');
  const token = ent('token', 'add', '--principal', 'KZ', '--name', 'crash-kz', '--db', db).trim();
  const acked = new Set();
  let sent = 0, killedWith = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    let srv, port;
    try {
      srv = await startServer();
      port = srv.port;
    } catch (e) {
      bad(`round ${round}: ${e.message}`);
      break;
    }
    const state = { stop: false, errors: [] };
    const clients = [];
    for (let c = 0; c < CLIENTS; c++) clients.push(client(port, token, round, c, state));
    await sleep(100 + Math.floor(Math.random() * 700));
    srv.child.kill('SIGKILL');
    const how = await srv.exited;
    if (how.sig === 'SIGKILL') killedWith++;
    state.stop = true;
    const got = await Promise.all(clients);
    for (const a of got) for (const m of a) acked.add(m);
    sent += got.reduce((n, a) => n + a.length, 0);
    if (state.errors.length) bad(`round ${round}: unexpected answers: ${state.errors.slice(0, 3).join(' | ')}`);

    // after every kill: the journal verifies and holds every acknowledged command once
    try {
      ent('verify', '--db', db);
    } catch (e) {
      bad(`round ${round}: verify failed after SIGKILL: ${e.stderr || e.message}`);
      break;
    }
    const seen = journalMarkers();
    const missing = [...acked].filter((m) => !seen.has(m));
    const twice = [...seen].filter(([, n]) => n > 1).map(([m]) => m);
    if (missing.length) bad(`round ${round}: ${missing.length} acknowledged commands missing, e.g. ${missing[0]}`);
    else if (twice.length) bad(`round ${round}: ${twice.length} commands stored twice, e.g. ${twice[0]}`);
    else ok(`round ${round}: killed after load; ${acked.size} acknowledged so far, all stored once; ${seen.size} stored (some stored but not acknowledged is allowed)`);
  }

  // the digest of the journal equals a fresh replay of its events
  const chron = join(work, 'all.chron');
  writeFileSync(chron, ent('export', '--format', 'chronicle', '--db', db));
  const fresh = join(work, 'fresh.db');
  ent('run', '--bare', '--db', fresh, chron);
  const a = digestOf(db), b = digestOf(fresh);
  if (a && a === b) ok(`the journal's state digest equals a fresh replay's (${a.slice(0, 16)}...); ${killedWith} of ${ROUNDS} rounds ended by SIGKILL; ${acked.size} commands acknowledged`);
  else bad(`state digest ${a} differs from a fresh replay's ${b}`);
} catch (e) {
  bad(`harness: ${e.stack || e.message}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`crash-server: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
