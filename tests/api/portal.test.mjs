// portal.test.mjs: the public portal: conference registration (open, rate-limited per
// address, a participant token; over capacity and past the deadline refused by the
// rule `conferences`), comments with a participant's or a delegation's token, articles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { command, get, post, raw, isError, lastSeq, eventsAfter, uid, TOKENS, TODAY } from './helpers.mjs';

// Each test registers from its own loopback address, so the rate limits do not mix.
let host = 10;
const nextAddr = () => `127.0.0.${host++}`;

function register(conf, body, localAddress) {
    return raw('POST', `/api/conferences/${conf}/register`, {
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), localAddress,
    });
}

async function conference(capacity, extra = '') {
    const id = uid('K');
    const r = await command('chair', [`${TODAY} CSC conference id=${id} city=Minsk start=2027-10-26T10:00 end=2027-10-27T18:00 tz=Europe/Minsk capacity=${capacity} ${extra} "Eurasian security"`]);
    assert.equal(r.status, 200, r.text);
    return id;
}

test('registration: a registration id, its confirmation code and a participant token', async () => {
    const k = await conference(2);
    const addr = nextAddr();
    const r = await register(k, { name: 'Jane Doe', email: 'jane@example.org', party: 'UN' }, addr);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.accepted, true);
    assert.equal(r.json.conference, k);
    assert.match(r.json.registration, /^REG-[0-9A-Z]{8}$/);
    assert.match(r.json.confirmation, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.match(r.json.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(r.json.principal, 'participant');
    const who = await get('/api/whoami', { Authorization: `Bearer ${r.json.token}` });
    assert.equal(who.json.principal, 'participant');
    const confs = await get('/api/conferences');
    assert.equal(confs.json.conferences.find((c) => c.id === k).registered, 1);
});

test('registration over capacity: 422 with the rule conferences; nothing stored', async () => {
    const k = await conference(1);
    const addr = nextAddr();
    const a = await register(k, { name: 'First Comer', email: 'first@example.org' }, addr);
    assert.equal(a.status, 200, a.text);
    const before = await lastSeq();
    const b = await register(k, { name: 'Second Comer', email: 'second@example.org' }, addr);
    isError(assert, b, 422, 'conferences');
    assert.match(b.json.error.message, /full/);
    assert.deepEqual(await eventsAfter(before), []);
});

test('registration past the deadline: 422 with the rule conferences', async () => {
    const k = await conference(10, 'deadline=2027-02-01');
    const r = await register(k, { name: 'Late Comer', email: 'late@example.org' }, nextAddr());
    isError(assert, r, 422, 'conferences');
    assert.match(r.json.error.message, /deadline/);
});

test('registration: bad input is 400 naming the field; an unknown conference 422 or 404', async () => {
    const k = await conference(10);
    const addr = nextAddr();
    const u = await register(k, { name: 'A', email: 'a@example.org', phone: '1' }, addr);
    isError(assert, u, 400);
    assert.match(u.json.error.message, /unknown field 'phone'/);
    isError(assert, await register(k, { email: 'a@example.org' }, addr), 400);
    isError(assert, await register(k, { name: 'A', email: 7 }, addr), 400);
    isError(assert, await register(k, { name: 'A', email: 'a@example.org', party: 'not a code' }, addr), 400);
    isError(assert, await raw('POST', `/api/conferences/${k}/register`, { headers: { 'Content-Type': 'application/json' }, body: '{"name":', localAddress: addr }), 400);
    isError(assert, await raw('POST', `/api/conferences/${k}/register`, { headers: { 'Content-Type': 'text/plain' }, body: 'x', localAddress: addr }), 415);
    const none = await register('NO-SUCH-CONF', { name: 'A', email: 'a@example.org' }, nextAddr());
    assert.ok(none.status === 422 || none.status === 400 || none.status === 404, none.text);
    assert.ok(none.json.error);
});

test('registration is rate-limited per address: 429 with Retry-After', async () => {
    const k = await conference(50);
    const addr = nextAddr();
    const codes = [];
    for (let i = 0; i < 5; i++) {
        const r = await register(k, { name: `Rate ${i}`, email: `rate${i}@example.org` }, addr);
        codes.push(r.status);
        if (r.status === 429) {
            isError(assert, r, 429);
            assert.ok(Number(r.headers['retry-after']) >= 1, JSON.stringify(r.headers));
        }
    }
    // the test server allows 3 a minute
    assert.deepEqual(codes, [200, 200, 200, 429, 429]);
    // another address is not limited
    const other = await register(k, { name: 'Other', email: 'other@example.org' }, nextAddr());
    assert.equal(other.status, 200, other.text);
});

test('comments: a participant comments as its registered name; listed by ?about=', async () => {
    const k = await conference(10);
    const reg = await register(k, { name: 'Commenter One', email: 'c1@example.org' }, nextAddr());
    assert.equal(reg.status, 200, reg.text);
    const r = await raw('POST', '/api/comments', {
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${reg.json.token}` },
        body: JSON.stringify({ about: k, stance: 'for', text: 'Good "idea"' }), localAddress: nextAddr(),
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.about, k);
    assert.match(r.json.comment, /^CM-/);
    const list = await get(`/api/comments?about=${k}`);
    assert.equal(list.status, 200);
    assert.equal(list.json.comments.length, 1);
    const c = list.json.comments[0];
    assert.equal(c.id, r.json.comment);
    assert.equal(c.author, reg.json.name);
    assert.equal(c.stance, 'for');
    assert.equal(c.text, 'Good "idea"');
});

test('comments: no token 401, bad fields 400, rate limit 429', async () => {
    const addr = nextAddr();
    const send = (body, token) => raw('POST', '/api/comments', {
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body), localAddress: addr,
    });
    isError(assert, await send({ about: 'KZ-2022-D', stance: 'for', text: 'x' }), 401);
    isError(assert, await send({ about: 'KZ-2022-D', stance: 'maybe', text: 'x' }, TOKENS.participant), 400);
    isError(assert, await send({ about: 'KZ-2022-D', stance: 'for' }, TOKENS.participant), 400);
    const u = await send({ about: 'KZ-2022-D', stance: 'for', text: 'x', mood: 1 }, TOKENS.participant);
    isError(assert, u, 400);
    assert.match(u.json.error.message, /unknown field 'mood'/);
    isError(assert, await send({ about: 'KZ-2022-D', stance: 'for', text: 'x' }, TOKENS.revoked), 401);
    // the test server allows 5 comments a minute from one address (a request that is
    // well-formed counts, whatever its outcome): from a fresh address, the sixth is 429
    const fresh = nextAddr();
    const codes = [];
    for (let i = 0; i < 6; i++) {
        const r = await raw('POST', '/api/comments', {
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKENS.participant}` },
            body: JSON.stringify({ about: 'KZ-2022-D', stance: 'neutral', text: `n${i}` }), localAddress: fresh,
        });
        codes.push(r.status);
        if (r.status === 429) assert.ok(Number(r.headers['retry-after']) >= 1);
    }
    assert.deepEqual(codes.slice(0, 5).every((c) => c === 200), true, JSON.stringify(codes));
    assert.equal(codes[5], 429);
});

test('articles: published by SG, listed with their texts', async () => {
    const id = uid('A');
    const r = await command('sg', [`${TODAY} SG article id=${id} author="Press office" title="Announced" "The text."`]);
    assert.equal(r.status, 200, r.text);
    const a = await get('/api/articles');
    const art = a.json.articles.find((x) => x.id === id);
    assert.ok(art, a.text);
    assert.equal(art.title, 'Announced');
    assert.equal(art.author, 'Press office');
    assert.equal(art.text, 'The text.');
    assert.equal(art.by, 'SG');
});
