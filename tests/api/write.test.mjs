// write.test.mjs: POST /api/commands: the three body forms, the token, idempotency
// keys (a retry, a conflict), and every kind of bad input, each answered with a JSON
// error of the right status while nothing is stored (checked with /api/log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { post, command, isError, eventsAfter, lastSeq, uid, TOKENS, TODAY } from './helpers.mjs';

const consult = (id, state = 'KZ') => `${TODAY} ${state} request consultations id=${id} article=treaty-2 "Talks"`;

async function nothingStored(before, what) {
    const ev = await eventsAfter(before);
    assert.deepEqual(ev, [], `${what}: nothing stored, found ${JSON.stringify(ev)}`);
}

test('text/plain chronicle lines: accepted with their sequence numbers', async () => {
    const before = await lastSeq();
    const id = uid('C');
    const r = await command('KZ', [consult(id)]);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { accepted: true, first_seq: before + 1, last_seq: before + 1, appended: 1, replayed: false });
    const ev = await eventsAfter(before);
    assert.equal(ev.length, 1);
    assert.equal(ev[0].subject, 'KZ');
    assert.match(ev[0].args, new RegExp(`id=${id}`));
});

test('application/json {"lines":[...]} and {"chronicle":"..."}', async () => {
    const a = uid('C'), b = uid('C'), c = uid('C');
    const r = await post('/api/commands', { lines: [consult(a), consult(b)] }, { token: TOKENS.KZ });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.appended, 2);
    assert.equal(r.json.last_seq, r.json.first_seq + 1);
    const s = await post('/api/commands', { chronicle: consult(c) + '\n' }, { token: TOKENS.KZ });
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.appended, 1);
});

test('Idempotency-Key: a retry returns the stored outcome; another body with the key is 409', async () => {
    const key = uid('key-');
    const id = uid('C');
    const first = await command('KZ', [consult(id)], { headers: { 'Idempotency-Key': key } });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.replayed, false);
    const seq = await lastSeq();
    const again = await command('KZ', [consult(id)], { headers: { 'Idempotency-Key': key } });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.replayed, true);
    assert.equal(again.json.first_seq, first.json.first_seq);
    assert.equal(again.json.last_seq, first.json.last_seq);
    await nothingStored(seq, 'a retry');
    const other = await command('KZ', [consult(uid('C'))], { headers: { 'Idempotency-Key': key } });
    isError(assert, other, 409);
    await nothingStored(seq, 'a conflict');
    isError(assert, await command('KZ', [consult(uid('C'))], { headers: { 'Idempotency-Key': 'k'.repeat(129) } }), 400);
});

test('no token, a malformed, unknown or revoked token: 401, nothing stored', async () => {
    const before = await lastSeq();
    isError(assert, await command(null, [consult(uid('C'))]), 401);
    isError(assert, await post('/api/commands', consult(uid('C')), { headers: { Authorization: 'Basic abc' } }), 401);
    isError(assert, await post('/api/commands', consult(uid('C')), { token: 'x'.repeat(43) }), 401);
    isError(assert, await post('/api/commands', consult(uid('C')), { token: TOKENS.revoked }), 401);
    await nothingStored(before, 'bad tokens');
});

test('a token added, then revoked, by another process while the server runs: accepted, then 401', async () => {
    // the server keeps the live tokens it has found in memory; a change by
    // another connection (PRAGMA data_version) empties that cache before the
    // next group, so a revocation holds from the next command on
    const bin = process.env.ENTENTE_BIN, db = process.env.ENTENTE_JOURNAL;
    const name = uid('tok-');
    const token = execFileSync(bin, ['token', 'add', '--db', db, '--principal', 'KZ', '--name', name],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const ok = await post('/api/commands', consult(uid('C')), { token });
    assert.equal(ok.status, 200, ok.text);
    const again = await post('/api/commands', consult(uid('C')), { token });
    assert.equal(again.status, 200, again.text);            // now from the cache
    execFileSync(bin, ['token', 'revoke', '--db', db, name], { stdio: 'ignore' });
    const before = await lastSeq();
    isError(assert, await post('/api/commands', consult(uid('C')), { token }), 401);
    const who = await post('/api/commands', consult(uid('C')), { token });
    isError(assert, who, 401);
    await nothingStored(before, 'a revoked token');
});

test('a forged POST: the KZ delegation writing an Armenian line is 403 (authority), nothing stored', async () => {
    const before = await lastSeq();
    const r = await command('KZ', [consult(uid('C'), 'AM')]);
    isError(assert, r, 403, 'authority');
    assert.match(r.json.error.source, /crisis room/);
    // all or nothing: a good line with a forged one stores neither
    isError(assert, await command('KZ', [consult(uid('C')), consult(uid('C'), 'AM')]), 403, 'authority');
    await nothingStored(before, 'a forged command');
});

test('refused by the charter: 422 with the rule and its source, nothing stored', async () => {
    const before = await lastSeq();
    // Uzbekistan is suspended: its request is refused by a rule of the charter
    const r = await command('admin', [`${TODAY} UZ request assistance id=${uid('R')} article=treaty-4 "Help"`]);
    isError(assert, r, 422);
    assert.ok(r.json.error.rule, r.text);
    assert.ok(r.json.error.source, r.text);
    assert.match(r.json.error.report, /refused:/);
    await nothingStored(before, 'a refusal');
});

test('malformed chronicle, bad JSON, unknown fields, empty bodies: 400; wrong type 415', async () => {
    const before = await lastSeq();
    const m = await command('KZ', `${TODAY} KZ request consultations id=${uid('C')} colour=red "x"\n`);
    isError(assert, m, 400);
    assert.match(m.json.error.message, /colour/);
    isError(assert, await command('KZ', 'KZ request consultations id=C1 "no date"\n'), 400);
    isError(assert, await post('/api/commands', '{"lines": [', { token: TOKENS.KZ, type: 'application/json' }), 400);
    const u = await post('/api/commands', { lines: [consult(uid('C'))], extra: 1 }, { token: TOKENS.KZ });
    isError(assert, u, 400);
    assert.match(u.json.error.message, /unknown field 'extra'/);
    isError(assert, await post('/api/commands', { lines: [] }, { token: TOKENS.KZ }), 400);
    isError(assert, await post('/api/commands', { lines: [1] }, { token: TOKENS.KZ }), 400);
    isError(assert, await post('/api/commands', { lines: ['a\nb'] }, { token: TOKENS.KZ }), 400);
    isError(assert, await post('/api/commands', { chronicle: 7 }, { token: TOKENS.KZ }), 400);
    isError(assert, await post('/api/commands', { lines: [consult(uid('C'))], chronicle: 'x' }, { token: TOKENS.KZ }), 400);
    isError(assert, await post('/api/commands', [consult(uid('C'))], { token: TOKENS.KZ }), 400);
    isError(assert, await post('/api/commands', {}, { token: TOKENS.KZ }), 400);
    isError(assert, await command('KZ', '\n  \n'), 400);
    isError(assert, await post('/api/commands', consult(uid('C')), { token: TOKENS.KZ, type: 'application/xml' }), 415);
    await nothingStored(before, 'bad input');
});

test('an oversized body is 413 (with or without Content-Length known in advance)', async () => {
    const before = await lastSeq();
    // the test server runs with --max-body 4096
    const big = `${TODAY} KZ request consultations id=${uid('C')} "${'x'.repeat(5000)}"\n`;
    isError(assert, await command('KZ', big), 413);
    isError(assert, await post('/api/commands', { chronicle: big }, { token: TOKENS.KZ }), 413);
    await nothingStored(before, 'an oversized body');
});
