// static.test.mjs: the web directory's files: index.html at /, content types, the
// security headers, ETag revalidation; path traversal ("/../", "%2e%2e", encoded
// slashes, absolute paths), hidden files and a symbolic link out of the directory
// are never served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, raw, isError } from './helpers.mjs';

test('GET / is index.html, with the security headers', async () => {
    const r = await get('/');
    assert.equal(r.status, 200);
    assert.match(r.text, /crisis room/);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'self'/);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    const idx = await get('/index.html');
    assert.equal(idx.text, r.text);
});

test('content types, caching and revalidation', async () => {
    const types = { '/app.js': 'text/javascript; charset=utf-8', '/style.css': 'text/css; charset=utf-8',
                    '/sub/data.json': 'application/json', '/sub/pic.svg': 'image/svg+xml' };
    for (const [p, t] of Object.entries(types)) {
        const r = await get(p);
        assert.equal(r.status, 200, p);
        assert.equal(r.headers.get('content-type'), t, p);
        assert.match(r.headers.get('cache-control'), /max-age=/);
        const etag = r.headers.get('etag');
        assert.ok(etag && r.headers.get('last-modified'), p);
        const again = await get(p, { 'If-None-Match': etag });
        assert.equal(again.status, 304, p);
    }
    // the API's answers carry the same headers
    const api = await get('/api/world');
    assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
    assert.match(api.headers.get('content-security-policy'), /frame-ancestors 'none'/);
});

test('missing files are 404 JSON', async () => {
    isError(assert, await get('/nothing.html'), 404);
    isError(assert, await get('/sub/'), 404);
});

test('path traversal, hidden files and links out of the directory are 404', async () => {
    const paths = [
        '/../secret.txt', '/sub/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E/secret.txt',
        '/sub/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '//etc/passwd',
        '/etc/passwd', '/%2fetc%2fpasswd', '/.hidden/x.txt', '/link.txt', '/sub//data.json',
        '/sub/./data.json', '/..', '/.', '/%00index.html', '/index.html%00', '/sub\\..\\..\\secret.txt',
    ];
    for (const p of paths) {
        const r = await raw('GET', p);
        assert.ok(r.status === 404 || r.status === 400, `${p}: ${r.status}`);
        assert.doesNotMatch(r.text, /SECRET-OUTSIDE-WEB|root:/, p);
        assert.doesNotMatch(r.text, /^hidden/, p);
    }
    // an absolute URI in the request line
    const abs = await raw('GET', 'http://127.0.0.1/../secret.txt');
    assert.doesNotMatch(abs.text, /SECRET-OUTSIDE-WEB/);
});

test('only GET and HEAD for files', async () => {
    isError(assert, await raw('POST', '/index.html', { body: 'x' }), 405);
    isError(assert, await raw('DELETE', '/index.html'), 405);
    const h = await raw('HEAD', '/app.js');
    assert.equal(h.status, 200);
    assert.equal(h.text, '');
});
