/* api.js: the page's calls to `entente serve` (docs/api.md). Every failure
   becomes an ApiError carrying the server's JSON error: status, code,
   message, and for a refusal the rule and its source. The token is kept in
   sessionStorage (this tab only) and sent as Authorization: Bearer. */

const TOKEN_KEY = 'entente.token';

export class ApiError extends Error {
    constructor(e) {
        super(e.message || 'request failed');
        this.error = e;
    }
}

export function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return ''; }
}
export function setToken(t) {
    try {
        if (t) sessionStorage.setItem(TOKEN_KEY, t);
        else sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* storage refused: the token lives until reload */ }
}

async function call(method, path, { body, type, auth, headers } = {}) {
    const hdrs = Object.assign({ Accept: 'application/json' }, headers || {});
    if (body !== undefined) hdrs['Content-Type'] = type || 'application/json';
    const t = token();
    if (auth && t) hdrs.Authorization = 'Bearer ' + t;
    let res;
    try {
        res = await fetch(path, { method, headers: hdrs, cache: 'no-store',
            body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
    } catch (e) {
        throw new ApiError({ status: 0, code: 'NETWORK', message: 'the server cannot be reached (' + e.message + ')' });
    }
    const text = await res.text();
    let data = null;
    if (text) {
        try { data = JSON.parse(text); } catch (e) { data = null; }
    }
    if (!res.ok) {
        const e = data && data.error ? data.error
            : { status: res.status, code: res.statusText, message: text.slice(0, 300) || res.statusText };
        if (!e.status) e.status = res.status;
        throw new ApiError(e);
    }
    if (data === null && text) throw new ApiError({ status: res.status, code: 'BAD_JSON', message: 'the server sent something that is not JSON' });
    return data;
}

export const getState = (at) => call('GET', '/api/state' + (at ? '?at=' + encodeURIComponent(at) : ''));
export const getLog = (after) => call('GET', '/api/log?after=' + (after || 0));
export const getWorld = () => call('GET', '/api/world');
export const getWhy = (id) => call('GET', '/api/why/' + encodeURIComponent(id));
export const getRoute = (from, to) => call('GET', `/api/route?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
export const getConferences = () => call('GET', '/api/conferences');
export const getArticles = () => call('GET', '/api/articles');
export const getComments = (about) => call('GET', '/api/comments' + (about ? '?about=' + encodeURIComponent(about) : ''));
export const whoami = () => call('GET', '/api/whoami', { auth: true });
export const register = (conf, form) => call('POST', `/api/conferences/${encodeURIComponent(conf)}/register`, { body: form });
export const postComment = (c) => call('POST', '/api/comments', { body: c, auth: true });

/* POST /api/commands with chronicle lines; an idempotency key per action, so
   a retry after a lost answer cannot apply the lines twice. */
export function postCommands(lines, key) {
    const headers = { 'Idempotency-Key': key || newKey() };
    return call('POST', '/api/commands', { body: { lines }, auth: true, headers });
}

export function newKey() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/* A result that the server answered with 200 may still carry a refusal per
   command (a group); the first one found, as an error object, or null. */
export function refusalIn(result) {
    if (!result || typeof result !== 'object') return null;
    const list = Array.isArray(result.results) ? result.results : [result];
    for (const r of list) {
        if (r && r.error) return r.error;
        if (r && r.status && typeof r.status === 'string' && r.status !== 'ok' && r.status !== 'accepted') {
            return { status: r.http_status || 422, code: r.status, message: r.message || r.report || '', rule: r.rule, source: r.source };
        }
    }
    return null;
}
