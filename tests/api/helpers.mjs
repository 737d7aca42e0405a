// helpers.mjs: what the endpoint tests share (tests/api/run.sh sets the environment):
// the server's URL, the tokens of every principal, requests by fetch and by node:http
// (raw paths that fetch would normalize, and a chosen local address for the rate limits).
import fs from 'node:fs';
import http from 'node:http';

export const BASE = process.env.ENTENTE_URL.replace(/\/$/, '');
export const TOKENS = JSON.parse(fs.readFileSync(process.env.ENTENTE_TOKENS, 'utf8'));
export const TODAY = '2027-03-01';
let counter = 0;
// An id no other test uses (chronicle ids: a letter, then letters, digits, - and _).
export function uid(prefix = 'X') {
    counter += 1;
    return `${prefix}${process.pid % 10000}-${counter}-${Math.floor(Math.random() * 1e6)}`;
}

export async function get(path, headers = {}) {
    const r = await fetch(BASE + path, { headers });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, text, json };
}

export async function post(path, body, { token, type, headers = {} } = {}) {
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    let data = body;
    if (type === undefined) type = typeof body === 'string' ? 'text/plain' : 'application/json';
    if (type) h['Content-Type'] = type;
    if (typeof body !== 'string') data = JSON.stringify(body);
    const r = await fetch(BASE + path, { method: 'POST', headers: h, body: data });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, text, json };
}

// Chronicle lines as the given principal.
export function command(principal, lines, extra = {}) {
    const token = principal === null ? undefined : TOKENS[principal];
    return post('/api/commands', Array.isArray(lines) ? lines.join('\n') + '\n' : lines, { token, ...extra });
}

// A request with the path exactly as written (no URL normalization), from localAddress.
export function raw(method, path, { headers = {}, body = null, localAddress } = {}) {
    const u = new URL(BASE);
    return new Promise((resolve, reject) => {
        const req = http.request({ host: u.hostname, port: u.port, method, path, headers, localAddress }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => { text += d; });
            res.on('end', () => {
                let json = null;
                try { json = JSON.parse(text); } catch { /* not JSON */ }
                resolve({ status: res.statusCode, headers: res.headers, text, json });
            });
        });
        req.on('error', reject);
        if (body !== null) req.write(body);
        req.end();
    });
}

// The journal's events after seq (GET /api/log), all of them.
export async function eventsAfter(seq) {
    const r = await get(`/api/log?after=${seq}&limit=10000`);
    if (r.status !== 200) throw new Error(`log: ${r.status} ${r.text}`);
    return r.json.events;
}

export async function lastSeq() {
    const r = await get('/api/log?after=0&limit=1');
    return r.json.last_seq;
}

// An error answer: the status, the JSON shape, and (optionally) the rule.
export function isError(assert, r, status, rule) {
    assert.equal(r.status, status, `want ${status}, got ${r.status}: ${r.text}`);
    assert.ok(r.json && r.json.error, `an error object: ${r.text}`);
    assert.equal(r.json.error.status, status);
    assert.equal(typeof r.json.error.code, 'string');
    assert.equal(typeof r.json.error.message, 'string');
    assert.ok(r.json.error.message.length > 0);
    if (rule) {
        assert.equal(r.json.error.rule, rule, `rule: ${r.text}`);
        assert.ok(r.json.error.source && r.json.error.source.length > 0, `a source: ${r.text}`);
    }
}
