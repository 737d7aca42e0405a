// lists.test.mjs: /api/articles and /api/comments list only article and comment
// events: each entry's seq is an event of that verb in the journal (a bug read
// every event of a batch as an article).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { command, get, eventsAfter, uid, TODAY } from './helpers.mjs';

test('/api/articles and /api/comments hold only articles and comments', async () => {
    const a = uid('A');
    const r = await command('sg', [`${TODAY} SG article id=${a} author="Press" title="T" "text"`,
        `${TODAY} KZ note "not an article"`.replace('KZ', 'SG')]);
    assert.equal(r.status, 200, r.text);
    const events = await eventsAfter(0);
    const verbOf = new Map(events.map((e) => [e.seq, e.verb]));
    for (const [path, key, verb] of [['/api/articles', 'articles', 'article'], ['/api/comments?about=KZ-2022-D', 'comments', 'comment']]) {
        const l = await get(path);
        assert.equal(l.status, 200, l.text);
        for (const x of l.json[key]) assert.equal(verbOf.get(x.seq), verb, `${path}: ${JSON.stringify(x)}`);
    }
    const arts = (await get('/api/articles')).json.articles;
    assert.ok(arts.some((x) => x.id === a), 'the new article is listed');
});
