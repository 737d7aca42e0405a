// tests/lib/serve.mjs: what the node harnesses that start `entente serve` share
// (tests/crash/server.mjs, tests/security/http.mjs): a free loopback port, and
// the server started on it and waited for (GET /api/state answers).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  });
}

// Start ENT serve --db DB on a free port with more args; resolves to
// { port, child, exited (a promise of {code, sig}), err() (its stderr so far) }.
export async function startServer(ENT, db, args = []) {
  const port = await freePort();
  const child = spawn(ENT, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((r) => child.once('exit', (code, sig) => r({ code, sig })));
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/state`);
      await r.arrayBuffer();
      if (r.ok) return { port, child, exited, err: () => err };
    } catch { /* not yet */ }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`entente serve did not start: ${err}`);
}
