// stream.test.mjs: GET /api/stream (Server-Sent Events): every accepted event once, in
// order, with id: SEQ; resuming from Last-Event-ID and from ?after=; bad positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, command, get, isError, lastSeq, uid, TODAY } from './helpers.mjs';

// Open a stream; collect events until `want` have come or `ms` pass.
async function collect(path, headers, want, ms, during = async () => {}) {
    const ctl = new AbortController();
    const r = await fetch(BASE + path, { headers, signal: ctl.signal });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/event-stream/);
    const reader = r.body.getReader();
    const dec = new TextDecoder();
    const events = [];
    let buf = '';
    const timer = setTimeout(() => ctl.abort(), ms);
    const work = during();
    try {
        while (events.length < want) {
            const { value, done } = await reader.read();
            if (done) break;
            buf += dec.decode(value, { stream: true });
            let i;
            while ((i = buf.indexOf('\n\n')) >= 0) {
                const block = buf.slice(0, i);
                buf = buf.slice(i + 2);
                const ev = {};
                for (const line of block.split('\n')) {
                    if (line.startsWith(':')) continue;
                    const k = line.indexOf(':');
                    if (k < 0) continue;
                    ev[line.slice(0, k)] = line.slice(k + 1).replace(/^ /, '');
                }
                if (ev.event === 'event') events.push({ id: Number(ev.id), data: JSON.parse(ev.data) });
            }
        }
    } catch (e) {
        if (e.name !== 'AbortError') throw e;
    } finally {
        clearTimeout(timer);
        ctl.abort();
    }
    await work;
    return events.slice(0, want);
}

const consult = (id) => `${TODAY} KZ request consultations id=${id} article=treaty-2 "Talks"`;

test('the live feed delivers each new event once, in order', async () => {
    const start = await lastSeq();
    const ids = [uid('S'), uid('S'), uid('S'), uid('S'), uid('S')];
    const events = await collect('/api/stream', {}, 6, 8000, async () => {
        await new Promise((r) => setTimeout(r, 200));
        await command('KZ', [consult(ids[0])]);
        await Promise.all([command('KZ', [consult(ids[1])]), command('KZ', [consult(ids[2])])]);
        await command('KZ', [consult(ids[3]), consult(ids[4])]);
        await command('KZ', [consult(uid('S'))]);
    });
    assert.equal(events.length, 6);
    const seqs = events.map((e) => e.id);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6].map((k) => start + k), 'consecutive, each once');
    for (const e of events) assert.equal(e.data.seq, e.id);
    const got = events.map((e) => e.data.args.match(/id=(\S+)/)[1]);
    for (const id of ids) assert.equal(got.filter((g) => g === id).length, 1, id);
    assert.equal(got.indexOf(ids[3]) + 1, got.indexOf(ids[4]), 'one command\'s events in its order');
});

test('resuming: Last-Event-ID and ?after= give the events after it, from the start too', async () => {
    const before = await lastSeq();
    await command('KZ', [consult(uid('S')), consult(uid('S')), consult(uid('S'))]);
    const resumed = await collect('/api/stream', { 'Last-Event-ID': String(before + 1) }, 2, 5000);
    assert.deepEqual(resumed.map((e) => e.id), [before + 2, before + 3]);
    const after = await collect(`/api/stream?after=${before}`, {}, 3, 5000);
    assert.deepEqual(after.map((e) => e.id), [before + 1, before + 2, before + 3]);
    const first = await collect('/api/stream?after=0', {}, 5, 5000);
    assert.deepEqual(first.map((e) => e.id), [1, 2, 3, 4, 5]);
    assert.equal(first[0].data.verb, 'join');
});

test('bad positions are 400; unknown parameters 400', async () => {
    isError(assert, await get('/api/stream?after=x'), 400);
    isError(assert, await get('/api/stream?from=3'), 400);
    const r = await fetch(BASE + '/api/stream', { headers: { 'Last-Event-ID': 'abc' } });
    assert.equal(r.status, 400);
    await r.text();
});

test('e-mail addresses never go out in the feed or the log', async () => {
    const before = await lastSeq();
    const conf = uid('K');
    const ok = await command('chair', [`${TODAY} CSC conference id=${conf} city=Minsk start=2027-10-26T10:00 end=2027-10-27T18:00 tz=Europe/Minsk capacity=5 "Feed test"`]);
    assert.equal(ok.status, 200, ok.text);
    const reg = await fetch(`${BASE}/api/conferences/${conf}/register`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Mail Person', email: 'mail.person@example.org' }),
    });
    assert.equal(reg.status, 200, await reg.clone().text());
    const events = await collect(`/api/stream?after=${before}`, {}, 2, 5000);
    assert.equal(events.length, 2);
    assert.doesNotMatch(JSON.stringify(events), /mail\.person@example|example\.org/);
    const log = await get(`/api/log?after=${before}`);
    assert.doesNotMatch(log.text, /person@example/);
    assert.match(log.text, /email=/);
});
