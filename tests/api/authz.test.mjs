// authz.test.mjs: the authorization matrix of POST /api/commands: every principal
// against every kind of line (design s.9, the rule `authority`). Each cell is one
// command with ids of its own: allowed (200), or 403 naming the rule authority and its
// source, with nothing stored. The lines are valid for the charter, so that an allowed
// cell is accepted rather than refused by another rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { command, isError, lastSeq, eventsAfter, uid, TODAY } from './helpers.mjs';

const PRINCIPALS = ['KZ', 'TJ', 'chair', 'sg', 'secretariat', 'observer', 'admin', 'participant'];

let conf = null;
let party = 0;
const nextParty = () => `ORG${String.fromCharCode(65 + Math.floor(party / 26))}${String.fromCharCode(65 + (party++ % 26))}`;

// kind -> [the line, the principals that may write it]
const KINDS = {
    'own state (KZ request)': [() => `${TODAY} KZ request consultations id=${uid('C')} article=treaty-2 "t"`, ['KZ', 'admin']],
    'body (CSC conference)': [() => `${TODAY} CSC conference id=${uid('K')} city=Minsk start=2027-10-26T10:00 end=2027-10-27T18:00 tz=Europe/Minsk "t"`, ['chair', 'admin']],
    'chair state convenes (TJ convene CSC)': [() => `${TODAY} TJ convene CSC extraordinary id=${uid('CSC-')} "t"`, ['TJ', 'chair', 'admin']],
    'SG (article)': [() => `${TODAY} SG article id=${uid('A')} author="P" title="T" "t"`, ['sg', 'secretariat', 'admin']],
    'record (conference invite)': [() => `${TODAY} ${conf} invite party=${nextParty()}`, ['secretariat', 'admin']],
    'comment': [() => `${TODAY} KZ-2022-D comment id=${uid('CM')} stance=for author="Pat Doe" "t"`, ['participant', 'admin']],
    'register (through commands)': [() => `${TODAY} ${conf} register id=${uid('R')} name="N" email="n@example.org"`, ['admin']],
};

test('setup: a conference to invite to and register for', async () => {
    conf = uid('KM');
    const r = await command('admin', [`${TODAY} CSC conference id=${conf} city=Minsk start=2027-10-26T10:00 end=2027-10-27T18:00 tz=Europe/Minsk capacity=100 "Matrix"`]);
    assert.equal(r.status, 200, r.text);
});

for (const [kind, [line, allowed]] of Object.entries(KINDS)) {
    for (const p of PRINCIPALS) {
        const ok = allowed.includes(p);
        test(`${p} × ${kind}: ${ok ? 'allowed' : '403 authority'}`, async () => {
            const before = await lastSeq();
            const r = await command(p, [line()]);
            if (ok) {
                assert.equal(r.status, 200, r.text);
                assert.equal(r.json.appended, 1);
            } else {
                isError(assert, r, 403, 'authority');
                assert.deepEqual(await eventsAfter(before), []);
            }
        });
    }
}
