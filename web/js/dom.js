/* dom.js: small DOM helpers. Text from the server is only ever set as text
   (textContent, attributes), never parsed as HTML. */

/* h('li', {class: 'x', 'data-id': 'D1'}, 'text', child...): an element.
   Attributes: a false/null/undefined value is left out; `on*` functions are
   listeners. Children: strings, numbers, nodes, arrays of them, or null. */
export function h(tag, attrs, ...children) {
    const svg = tag.startsWith('svg:');
    const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
                   : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v === false || v === null || v === undefined) continue;
        if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'text') el.textContent = v;
        else el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const c of children) {
        if (c === null || c === undefined || c === false) continue;
        if (Array.isArray(c)) append(el, c);
        else if (c instanceof Node) el.appendChild(c);
        else el.appendChild(document.createTextNode(String(c)));
    }
}

/* Replace the children of the element with id `id`. */
export function fill(id, ...children) {
    const el = typeof id === 'string' ? document.getElementById(id) : id;
    if (!el) return null;
    el.replaceChildren();
    append(el, children);
    return el;
}

export const $ = (id) => document.getElementById(id);

/* An error box for a refusal from the server: the message, then the rule and
   its source (the charter's article), as the server names them. */
export function errorBox(err, what) {
    const e = err && err.error ? err.error : err || {};
    const ruleLine = e.rule
        ? h('span', { class: 'rule' }, 'Rule: ', h('code', {}, e.rule),
            e.source ? ` \u2014 ${e.source}` : '')
        : (e.source ? h('span', { class: 'rule' }, 'Source: ', e.source) : null);
    return h('div', { class: 'error', role: 'alert', 'data-status': e.status || '',
                      'data-rule': e.rule || '' },
        h('strong', {}, (what ? what + ': ' : '') + 'refused' +
            (e.status ? ` (${e.status}${e.code ? ' ' + e.code : ''})` : '')),
        h('span', { class: 'message' }, e.message || String(err)),
        ruleLine ? h('br') : null, ruleLine);
}

/* 2027-10-26T10:00 in Europe/Minsk -> "Tue 26 Oct 2027, 10:00", and the zone's
   offset at that time ("GMT+3"), computed by the browser's time zone data. */
export function localTime(s, tz) {
    if (!s) return '';
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(s);
    if (!m) return s;
    const utc = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0));
    const text = new Intl.DateTimeFormat('en-GB', {
        weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
        hour: m[4] ? '2-digit' : undefined, minute: m[4] ? '2-digit' : undefined,
        timeZone: 'UTC' }).format(utc);
    return text;
}

export function zoneOffset(s, tz) {
    if (!tz) return '';
    try {
        const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(s || '');
        const when = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 12), +(m[5] || 0)) : Date.now();
        const part = new Intl.DateTimeFormat('en-GB', { timeZone: tz, timeZoneName: 'shortOffset' })
            .formatToParts(when).find((p) => p.type === 'timeZoneName');
        return part ? part.value : '';
    } catch (e) {
        return '';
    }
}

/* Announce a short text to screen readers (the page's aria-live region). */
export function announce(text) {
    const live = $('live');
    if (!live) return;
    const p = h('p', {}, text);
    live.appendChild(p);
    while (live.childNodes.length > 5) live.removeChild(live.firstChild);
}

/* A chronicle word or quoted text: the value as the language wants it. */
export function quote(s) {
    return '"' + String(s).replace(/[\r\n\t]+/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/* The key=value pairs of an event's args (`entente log --json`), values
   unquoted: 'id=K1 city=Minsk terms="Open to all"' -> {id, city, terms}. */
export function parseArgs(args) {
    const out = {};
    const re = /([a-z][a-z0-9_.-]*)=("((?:[^"\\]|\\.)*)"|[^\s"]+)/g;
    let m;
    while ((m = re.exec(args || '')) !== null) {
        out[m[1]] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2];
    }
    return out;
}
