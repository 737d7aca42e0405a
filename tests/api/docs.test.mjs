// docs.test.mjs: every example of docs/api.md, run in order: each ```http block is a
// request (method and path, headers, a blank line, the body; $NAME is the token of
// principal NAME), the ```response block after it the status and the answer. In an
// answer "*" matches anything, an object's fields must be there with these values, and
// an array's items must each match one of the answer's items.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { raw, TOKENS } from './helpers.mjs';

const md = fs.readFileSync(process.env.ENTENTE_DOCS, 'utf8');
const blocks = [...md.matchAll(/```(http|response)\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1], text: m[2] }));

function matches(doc, got, where) {
    if (doc === '*') return;
    if (Array.isArray(doc)) {
        assert.ok(Array.isArray(got), `${where}: an array, got ${JSON.stringify(got)}`);
        doc.forEach((d, i) => {
            const ok = got.some((g) => { try { matches(d, g, where); return true; } catch { return false; } });
            assert.ok(ok, `${where}[${i}]: no item matches ${JSON.stringify(d)}`);
        });
        return;
    }
    if (doc && typeof doc === 'object') {
        assert.ok(got && typeof got === 'object', `${where}: an object, got ${JSON.stringify(got)}`);
        for (const k of Object.keys(doc)) {
            assert.ok(k in got, `${where}.${k} missing in ${JSON.stringify(got).slice(0, 300)}`);
            matches(doc[k], got[k], `${where}.${k}`);
        }
        return;
    }
    assert.deepEqual(got, doc, where);
}

let n = 0;
for (let i = 0; i < blocks.length; i++) {
    if (blocks[i].kind !== 'http') continue;
    const req = blocks[i].text;
    const res = blocks[i + 1];
    n += 1;
    const first = req.split('\n')[0];
    test(`docs/api.md example ${n}: ${first}`, async () => {
        assert.ok(res && res.kind === 'response', `example ${n} has a response block`);
        const [head, ...rest] = req.split('\n\n');
        const lines = head.split('\n').filter((l) => l.length > 0);
        const [method, path] = lines[0].split(' ');
        const headers = {};
        for (const h of lines.slice(1)) {
            const k = h.indexOf(':');
            headers[h.slice(0, k)] = h.slice(k + 1).trim().replace(/\$([a-zA-Z]+)/g, (_, p) => TOKENS[p]);
        }
        const body = rest.length ? rest.join('\n\n') : null;
        const [statusLine, ...json] = res.text.trim().split('\n');
        const r = await raw(method, path, { headers, body });
        assert.equal(r.status, Number(statusLine), `${first}: ${r.text.slice(0, 400)}`);
        matches(JSON.parse(json.join('\n')), r.json, 'answer');
    });
}

test('docs/api.md has examples for every endpoint', () => {
    const requests = blocks.filter((b) => b.kind === 'http').map((b) => b.text.split('\n')[0]);
    for (const ep of ['GET /api/state', 'GET /api/log', 'GET /api/why/', 'GET /api/route', 'GET /api/whoami',
                      'POST /api/commands', 'GET /api/conferences', 'POST /api/conferences/', 'GET /api/articles',
                      'GET /api/comments', 'POST /api/comments', 'GET /api/world']) {
        assert.ok(requests.some((r) => r.startsWith(ep)), ep);
    }
});
