// privacy.test.mjs: a registrant's e-mail address is kept in the journal but not
// published: /api/log, the live feed and /api/why show it masked (every byte but
// '@' and '.' as '*'); the address itself appears in none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { command, get, raw, uid, TODAY, BASE } from './helpers.mjs';

test('a registrant\'s e-mail is masked in the log, the feed and why', async () => {
    const k = uid('K');
    const c = await command('chair', [`${TODAY} CSC conference id=${k} city=Minsk start=2027-10-26T10:00 end=2027-10-27T18:00 tz=Europe/Minsk capacity=5 "Privacy"`]);
    assert.equal(c.status, 200, c.text);
    const email = `pat.${uid('x').toLowerCase()}@example.org`;
    const r = await raw('POST', `/api/conferences/${k}/register`, {
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Pat Privacy', email }),
        localAddress: '127.0.0.250',
    });
    assert.equal(r.status, 200, r.text);
    const seq = r.json.seq ?? null;
    const log = await get('/api/log?after=0&limit=10000');
    assert.equal(log.status, 200);
    assert.ok(!log.text.includes(email), 'the address is not in /api/log');
    const masked = email.replace(/[^@.]/g, '*');
    assert.ok(log.text.includes(masked), `the masked address ${masked} is in /api/log`);
    const why = await get(`/api/why/${r.json.registration}`);
    assert.equal(why.status, 200, why.text);
    assert.ok(!why.text.includes(email), 'the address is not in /api/why');
    // the live feed, from just before the registration
    const last = log.json.events.filter((e) => e.verb === 'register').pop();
    assert.ok(last, 'the registration is in the log');
    const ac = new AbortController();
    const feed = await fetch(`${BASE}/api/stream?after=${last.seq - 1}`, { signal: ac.signal });
    const reader = feed.body.getReader();
    let text = '';
    const t0 = Date.now();
    while (!text.includes(`id: ${last.seq}`) && Date.now() - t0 < 5000) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
    }
    ac.abort();
    assert.ok(text.includes(`id: ${last.seq}`), 'the feed sent the registration');
    assert.ok(!text.includes(email), 'the address is not in the live feed');
    void seq;
});
