// tests/security/http.mjs BUILD_DIR: the server's bounds (issue 6, security):
//   - an idle connection, and one that sends half a request (slowloris), is
//     closed after --timeout;
//   - connections past --max-connections are not served (under --loop poll and epoll);
//   - live streams take at most half the connections, and dropped ones are reaped;
//   - every answer, errors too, carries the content security policy, nosniff
//     and frame-ancestors 'none';
//   - the server refuses a non-loopback address unless --public.
// Prints "ok"/"FAIL" lines and "http-security: N passed, M failed".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:net';
import { startServer, sleep } from '../lib/serve.mjs';

const B = resolve(process.argv[2] || 'build');
const ENT = join(B, 'entente');
const work = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'entente-sec-'));
const db = join(work, 'room.db');
let pass = 0, fail = 0;
const ok = (m) => { pass++; console.log(`ok http-security: ${m}`); };
const bad = (m) => { fail++; console.log(`FAIL http-security: ${m}`); };
const start = (args) => startServer(ENT, db, args);

async function stop(srv) {
  const done = new Promise((r) => srv.child.once('exit', r));
  srv.child.kill('SIGTERM');
  await Promise.race([done, sleep(5000)]);
}

// How long until the server closes a socket that sends `first` and nothing more (ms; -1: not within limit).
function closedAfter(port, first, limitMs) {
  return new Promise((res) => {
    const t0 = Date.now();
    const s = connect(port, '127.0.0.1', () => { if (first) s.write(first); });
    const timer = setTimeout(() => { s.destroy(); res(-1); }, limitMs);
    s.on('data', () => {});
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(timer); res(Date.now() - t0); });
  });
}

try {
  execFileSync(ENT, ['run', '--db', db, '/dev/null'], { stdio: 'ignore' });

  // idle and half-sent requests
  let srv = await start(['--timeout', '1']);
  const idle = await closedAfter(srv.port, '', 6000);
  if (idle >= 0 && idle < 4000) ok(`an idle connection is closed after ${idle} ms (--timeout 1)`);
  else bad(`an idle connection was not closed within 6 s (${idle})`);
  const slow = await closedAfter(srv.port, 'GET /api/state HTTP/1.1\r\nHost: x\r\n', 6000);
  if (slow >= 0 && slow < 4000) ok(`half a request (no end of headers) is closed after ${slow} ms`);
  else bad(`a half-sent request was not closed within 6 s (${slow})`);

  // headers on every kind of answer
  const want = [['x-content-type-options', /^nosniff$/], ['content-security-policy', /frame-ancestors 'none'/],
    ['content-security-policy', /script-src 'self'/]];
  const urls = [['GET', '/api/state', 200], ['GET', '/api/nothing', 404], ['GET', '/', null],
    ['POST', '/api/commands', 401], ['GET', '/api/why/NO-SUCH', 404], ['GET', '/%2e%2e/etc/passwd', null]];
  let hdrOk = 0;
  for (const [method, url, status] of urls) {
    const r = await fetch(`http://127.0.0.1:${srv.port}${url}`, { method, body: method === 'POST' ? 'x' : undefined });
    await r.arrayBuffer();
    if (status && r.status !== status) { bad(`${method} ${url}: status ${r.status}, expected ${status}`); continue; }
    const miss = want.filter(([h, re]) => !re.test(r.headers.get(h) || ''));
    if (miss.length) bad(`${method} ${url} (${r.status}) lacks ${miss.map(([h]) => h).join(', ')}`);
    else hdrOk++;
  }
  if (hdrOk === urls.length) ok(`CSP (script-src 'self', frame-ancestors 'none') and nosniff on ${hdrOk} kinds of answer, errors included`);
  await stop(srv);

  // the connection limit, and a command answered, under both event loops
  for (const loop of ['poll', 'epoll']) {
    const token = execFileSync(ENT, ['token', 'add', '--principal', 'KZ', '--name', `sec-${loop}`, '--db', db],
      { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    srv = await start(['--loop', loop, '--max-connections', '4', '--timeout', '5']);
    {
      const state = await (await fetch(`http://127.0.0.1:${srv.port}/api/state`)).json();
      const r = await fetch(`http://127.0.0.1:${srv.port}/api/commands`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
        body: `${state.date} KZ note "under ${loop}"\n` });
      const j = await r.json();
      if (r.status === 200 && j.accepted) ok(`--loop ${loop}: a command is answered once durable (seq ${j.last_seq})`);
      else bad(`--loop ${loop}: POST ${r.status} ${JSON.stringify(j)}`);
    }
    const socks = [];
    for (let i = 0; i < 4; i++) {
      const s = connect(srv.port, '127.0.0.1');
      s.on('error', () => {});
      socks.push(s);
    }
    await sleep(300);
    // a 5th connection sends a whole request: no answer while the four are held
    const fifth = { data: 0, closed: false };
    const s5 = connect(srv.port, '127.0.0.1', () => s5.write('GET /api/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    s5.on('data', (d) => { fifth.data += d.length; });
    s5.on('error', () => {});
    s5.on('close', () => { fifth.closed = true; });
    await sleep(1500);
    if (fifth.data === 0) ok(`--loop ${loop}: a 5th connection past --max-connections 4 gets no answer while four are open (${fifth.closed ? 'closed' : 'left waiting'})`);
    else bad('a connection past --max-connections was served');
    for (const s of socks) s.destroy();
    for (let i = 0; i < 30 && fifth.data === 0 && !fifth.closed; i++) await sleep(100);
    const r = await fetch(`http://127.0.0.1:${srv.port}/api/state`);
    await r.arrayBuffer();
    if (r.ok) ok(`--loop ${loop}: once the others close, connections are served again${fifth.data ? ' (the waiting one too)' : ''}`);
    else bad(`after the others closed: ${r.status}`);
    s5.destroy();
    await stop(srv);
  }
  // live streams: at most half of --max-connections, and a dropped one is
  // reaped while it waits (a suspended connection is out of MHD's poll set)
  {
    srv = await start(['--max-connections', '16']);
    const openStream = () => new Promise((res) => {
      const so = connect(srv.port, '127.0.0.1', () => so.write('GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n'));
      let head = '';
      so.on('data', (d) => { head += d; if (/\r\n\r\n/.test(head)) res({ so, status: Number(head.split(' ')[1]), head }); });
      so.on('error', () => res({ so, status: 0, head }));
      setTimeout(() => res({ so, status: -1, head }), 3000);
    });
    const held = [];
    for (let i = 0; i < 8; i++) held.push(await openStream());
    const ninth = await openStream();
    if (held.every((h) => h.status === 200) && ninth.status === 503 && /too many live streams/.test(ninth.head))
      ok('--max-connections 16: 8 live streams, the 9th is 503 "too many live streams"');
    else bad(`streams: ${held.map((h) => h.status).join(',')}, the 9th ${ninth.status}`);
    ninth.so.destroy();
    const st1 = await fetch(`http://127.0.0.1:${srv.port}/api/state`);
    await st1.arrayBuffer();
    if (st1.ok) ok('with the streams at their limit, GET /api/state is answered');
    else bad(`GET /api/state with 8 streams: ${st1.status}`);
    for (const h of held) h.so.destroy();
    let again = null;
    for (let i = 0; i < 20 && !(again && again.status === 200); i++) {
      if (again) again.so.destroy();
      await sleep(200);
      again = await openStream();
    }
    if (again && again.status === 200) ok('streams dropped by their peers are reaped: a new stream is accepted');
    else bad(`after dropping 8 streams a new one is ${again && again.status}`);
    again.so.destroy();
    // forty streams opened and dropped in a row leave every other request served
    for (let i = 0; i < 40; i++) (await openStream()).so.destroy();
    const t0 = Date.now();
    const st2 = await fetch(`http://127.0.0.1:${srv.port}/api/state`, { signal: AbortSignal.timeout(5000) }).catch((e) => ({ ok: false, status: String(e) }));
    // (before the cap and the reaping it waited for the next heartbeat, up to 15 s)
    if (st2.ok) await st2.arrayBuffer();
    const waited = Date.now() - t0;
    if (st2.ok && waited < 1000) ok(`40 streams opened and dropped: GET /api/state answered after ${waited} ms`);
    else bad(`40 streams opened and dropped: GET /api/state ${st2.status} after ${waited} ms`);
    await stop(srv);
  }
  {
    let st = 0, msg = '';
    try {
      execFileSync(ENT, ['serve', '--db', db, '--loop', 'kqueue'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
    } catch (e) { st = e.status; msg = String(e.stderr || ''); }
    if (st === 64 && /--loop wants poll or epoll/.test(msg)) ok('--loop kqueue: exit 64, the choices named');
    else bad(`--loop kqueue: status ${st}, ${msg.slice(0, 200)}`);
  }

  // loopback only unless --public
  let out = '';
  try {
    execFileSync(ENT, ['serve', '--db', db, '--listen', '0.0.0.0:0'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
  } catch (e) {
    out = String(e.stderr || '');
    if (e.status === 64 && /public/.test(out)) ok('a non-loopback address is refused without --public (exit 64)');
    else bad(`--listen 0.0.0.0 without --public: status ${e.status}, ${out.slice(0, 200)}`);
  }
  if (!out) bad('--listen 0.0.0.0 without --public was accepted');
} catch (e) {
  bad(`harness: ${e.stack || e.message}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`http-security: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
