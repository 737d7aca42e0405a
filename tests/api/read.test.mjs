// read.test.mjs: the GET endpoints and their errors (docs/api.md): state, state?at,
// log, why, route, whoami, conferences, articles, world; unknown endpoints,
// parameters and methods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, post, raw, isError, TOKENS, TODAY } from './helpers.mjs';

test('GET /api/state: the organization today, cached, with an ETag', async () => {
    const r = await get('/api/state');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.json.organization, 'CSTO');
    assert.equal(r.json.date, TODAY);
    assert.ok(Array.isArray(r.json.members) && r.json.members.length >= 6);
    const etag = r.headers.get('etag');
    assert.ok(etag);
    const again = await get('/api/state', { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    const same = await get('/api/state');
    assert.equal(same.text, r.text);
});

test('GET /api/state?at=DATE: the organization on a date; a bad date is 400', async () => {
    const r = await get('/api/state?at=2022-01-10');
    assert.equal(r.status, 200);
    assert.equal(r.json.date, '2022-01-10');
    isError(assert, await get('/api/state?at=2022-13-40'), 400);
    isError(assert, await get('/api/state?at=yesterday'), 400);
});

test('GET /api/log?after=SEQ&limit=N: events after a sequence number', async () => {
    const r = await get('/api/log?after=2&limit=3');
    assert.equal(r.status, 200);
    assert.equal(r.json.after, 2);
    assert.ok(r.json.last_seq >= 135);
    assert.deepEqual(r.json.events.map((e) => e.seq), [3, 4, 5]);
    for (const k of ['seq', 'date', 'subject', 'verb', 'args', 'text', 'src', 'hash']) assert.ok(k in r.json.events[0], k);
    const none = await get(`/api/log?after=${r.json.last_seq + 1000}`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.json.events, []);
    isError(assert, await get('/api/log?after=-1'), 400);
    isError(assert, await get('/api/log?after=abc'), 400);
    isError(assert, await get('/api/log?limit=0'), 400);
    isError(assert, await get('/api/log?limit=10001'), 400);
});

test('GET /api/why/ID: how a record came about; 404 for an unknown id', async () => {
    const r = await get('/api/why/KZ-2022-D');
    assert.equal(r.status, 200);
    assert.equal(r.json.id, 'KZ-2022-D');
    assert.match(r.json.text, /outcome: adopted on 2022-01-06/);
    isError(assert, await get('/api/why/NO-SUCH-RECORD'), 404);
    isError(assert, await get('/api/why/bad%20id'), 404);
});

test('GET /api/route?from=&to=[&at=]: routes between capitals; bad input is 400', async () => {
    const r = await get('/api/route?from=RU&to=AM');
    assert.equal(r.status, 200);
    assert.equal(r.json.from, 'RU');
    assert.equal(r.json.to, 'AM');
    assert.ok(r.json.routes.length > 0);
    assert.deepEqual(r.json.routes[0].path, ['RU', 'GE', 'AM']);
    const at = await get('/api/route?from=RU&to=AM&at=2020-01-01');
    assert.equal(at.json.date, '2020-01-01');
    isError(assert, await get('/api/route?from=RU'), 400);
    isError(assert, await get('/api/route?from=RU&to=ZZ'), 400);
    isError(assert, await get('/api/route?from=RU&to=AM&at=never'), 400);
});

test('GET /api/whoami: the principal of a token; 401 without or with a bad one', async () => {
    const r = await get('/api/whoami', { Authorization: `Bearer ${TOKENS.KZ}` });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { principal: 'KZ', name: 'tok-KZ' });
    const chair = await get('/api/whoami', { Authorization: `Bearer ${TOKENS.chair}` });
    assert.equal(chair.json.principal, 'chair');
    isError(assert, await get('/api/whoami'), 401);
    isError(assert, await get('/api/whoami', { Authorization: 'Bearer short' }), 401);
    isError(assert, await get('/api/whoami', { Authorization: `Bearer ${'A'.repeat(43)}` }), 401);
    isError(assert, await get('/api/whoami', { Authorization: `Bearer ${TOKENS.revoked}` }), 401);
});

test('GET /api/conferences, /api/articles, /api/world', async () => {
    const c = await get('/api/conferences');
    assert.equal(c.status, 200);
    assert.ok(c.json.conferences.some((k) => k.id === 'MINSK-2023'));
    const a = await get('/api/articles');
    assert.equal(a.status, 200);
    assert.ok(Array.isArray(a.json.articles));
    const w = await get('/api/world');
    assert.equal(w.status, 200);
    const kz = w.json.states.find((s) => s.code === 'KZ');
    assert.deepEqual(kz, { code: 'KZ', name: 'Kazakhstan', capital: 'Astana', lat: 51.1694, lon: 71.4491 });
    assert.ok(w.json.links.some((l) => l.a === 'AM' && l.b === 'TR' && l.closed === true));
    assert.ok(w.json.links.some((l) => l.kind === 'sea' && l.sea === 'Caspian'));
});

test('GET /api/comments needs ?about=ID', async () => {
    isError(assert, await get('/api/comments'), 400);
    const r = await get('/api/comments?about=AM-2021-C');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { about: 'AM-2021-C', comments: [] });
});

test('unknown endpoints are 404, unknown parameters 400 naming them, wrong methods 405', async () => {
    isError(assert, await get('/api/nothing'), 404);
    const p = await get('/api/state?colour=red');
    isError(assert, p, 400);
    assert.match(p.json.error.message, /colour/);
    isError(assert, await get('/api/log?after=1&x=2'), 400);
    isError(assert, await post('/api/state', 'x', { token: TOKENS.admin }), 405);
    isError(assert, await get('/api/commands'), 405);
    isError(assert, await raw('DELETE', '/api/state'), 405);
    isError(assert, await raw('PUT', '/api/commands'), 405);
    isError(assert, await post('/api/nothing', 'x'), 404);
});

test('HEAD /api/state: the headers without the body', async () => {
    const r = await raw('HEAD', '/api/state');
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
    assert.match(r.headers['content-type'], /^application\/json/);
});
