/* portal.js: the public portal (no login): the members on the map and in a
   list, the chair and the Secretary General, conferences with a registration
   form, articles with their comments (stance), and the moderation log. */

import { h, fill, $, errorBox, localTime, zoneOffset, announce } from './dom.js';
import * as api from './api.js';
import { drawMap, legend } from './map.js';

const STATUS_TEXT = {
    member: 'member', frozen: 'participation frozen', suspended: 'suspended',
    former: 'former member', observer: 'observer',
};

/* The members card shows the state of app.at (a past or future date) when
   one is chosen, else today's (followed live). */
export function setupHistory(app) {
    const form = $('at-form');
    const note = $('at-note');
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const at = $('at-date').value;
        if (!at) return;
        try {
            app.atState = await api.getState(at);
            fill(note, `Shown: the organization on ${at} (not live).`);
            renderMembers(app);
            announce(`The organization on ${at}`);
        } catch (e) {
            fill(note, errorBox(e, 'History'));
        }
    });
    $('at-today').addEventListener('click', () => {
        app.atState = null;
        $('at-date').value = '';
        fill(note);
        renderMembers(app);
    });
}

export function renderMembers(app) {
    const s = app.atState || app.state;
    if (!s) return;
    const name = (code) => (s.members.find((m) => m.code === code) || {}).name || code;
    const sg = s.secretary_general;
    fill('leadership',
        h('span', {}, 'Chair: ', h('strong', { id: 'chair' }, s.chair ? `${name(s.chair)} (${s.chair})` : 'none'),
            s.chair_since ? ` since ${s.chair_since}` : '', s.chair_temporary ? ' (temporary)' : ''),
        ' \u00b7 ',
        h('span', {}, 'Secretary General: ', h('strong', { id: 'sg' }, sg ? `${sg.name} (${sg.state})` : 'vacant'),
            sg && sg.from ? `, ${sg.from} to ${sg.to}` : '', sg && sg.acting ? ' (acting)' : ''));
    const order = { member: 0, frozen: 1, suspended: 2, observer: 3, former: 4 };
    const members = s.members.slice().sort((a, b) => (order[a.status] ?? 5) - (order[b.status] ?? 5));
    fill('members-list', members.map((m) =>
        h('li', { 'data-code': m.code },
            h('span', {}, h('span', { class: 'code' }, m.code), m.name,
                m.code === s.chair ? h('span', { class: 'badge', title: 'chairs the CSC' }, ' chair') : null),
            h('span', { class: 'status ' + m.status }, STATUS_TEXT[m.status] || m.status))));
    if (app.atlasReady) drawMap($('portal-map'), { state: s, world: app.world });
}

/* ---------------------------------------------------------------- conferences */

/* The conferences come with the state. A conference already on the page is
   updated in place (its heading and details), so a form being filled in and
   the answer to a registration stay as they are. */
export function renderConferences(app) {
    const list = (app.state && app.state.conferences) || [];
    const box = $('conferences');
    if (!list.length) {
        fill(box, h('p', { class: 'empty' }, 'No conference is announced.'));
        return;
    }
    box.querySelector('.empty')?.remove();
    for (const c of list) {
        const key = JSON.stringify(c) + JSON.stringify((app.confDetails && app.confDetails.get(c.id)) || {});
        const old = box.querySelector(`article.conf[data-id="${CSS.escape(c.id)}"]`);
        if (old && old.dataset.key === key) continue;
        const parts = conference(app, c);
        if (old) {
            old.querySelector('.conf-head').replaceWith(parts.head);
            old.querySelector('.conf-details').replaceWith(parts.details);
            old.dataset.key = key;
        } else {
            const el = h('article', { class: 'conf', 'data-id': c.id }, parts.head, parts.details, parts.form);
            el.dataset.key = key;
            box.appendChild(el);
        }
    }
}

function conference(app, c) {
    c = Object.assign({}, (app.confDetails && app.confDetails.get(c.id)) || {}, c);
    const left = c.capacity != null ? Math.max(0, c.capacity - (c.registered || 0)) : null;
    const tz = c.tz || '';
    const dated = !!c.start;
    const place = [c.venue, c.address, c.city].filter(Boolean).join(', ');
    const off = zoneOffset(c.start, tz);
    const when = dated
        ? `${localTime(c.start)} \u2013 ${localTime(c.end)}, local time${tz ? ` (${tz}${off ? ', ' + off : ''})` : ''}`
        : (c.year ? `in ${c.year} (dates not announced)` : 'not announced');
    const fid = `reg-${c.id}`;
    const result = h('div', { class: 'result', id: `${fid}-result`, role: 'status', 'aria-live': 'polite' });
    const form = dated ? h('form', { class: 'stack', id: fid, 'data-conference': c.id, 'aria-label': `Register for ${c.title}` },
        h('label', { for: `${fid}-name` }, 'Name'),
        h('input', { id: `${fid}-name`, name: 'name', required: true, maxlength: 200, autocomplete: 'name' }),
        h('label', { for: `${fid}-email` }, 'E-mail'),
        h('input', { id: `${fid}-email`, name: 'email', type: 'email', required: true, maxlength: 254, autocomplete: 'email' }),
        h('label', { for: `${fid}-party` }, 'On behalf of (optional: a state or organization code)'),
        h('input', { id: `${fid}-party`, name: 'party', maxlength: 16, pattern: '[A-Z][A-Z0-9]*' }),
        h('button', { type: 'submit' }, 'Register'),
        result) : null;
    if (form) form.addEventListener('submit', (ev) => submitRegistration(ev, app, c, form, result));
    const head = h('h3', { class: 'conf-head' }, c.title, ' ', h('span', { class: 'badge' }, c.status));
    const details = h('dl', { class: 'conf-details' },
        h('dt', {}, 'Where'), h('dd', {}, place || '\u2014'),
        h('dt', {}, 'When'), h('dd', {}, when),
        h('dt', {}, 'Organizer'), h('dd', {}, c.organizer || '\u2014'),
        dated ? [h('dt', {}, 'Places left'),
            h('dd', { class: 'capacity' }, left === null ? 'no limit' : `${left} of ${c.capacity}`,
                left === 0 ? h('strong', {}, ' \u2014 full: a registration will be refused') : null)] : null,
        dated ? [h('dt', {}, 'Deadline'),
            h('dd', {}, c.deadline ? `${c.deadline} (inclusive)` : 'the day before the first day')] : null,
        h('dt', {}, 'Terms'), h('dd', {}, c.terms || 'none stated'));
    return { head, details, form };
}

async function submitRegistration(ev, app, c, form, result) {
    ev.preventDefault();
    const btn = form.querySelector('button');
    const f = form.elements;
    const body = { name: f.namedItem('name').value.trim(), email: f.namedItem('email').value.trim() };
    if (f.namedItem('party').value.trim()) body.party = f.namedItem('party').value.trim();
    btn.disabled = true;
    fill(result);
    try {
        const r = await api.register(c.id, body);
        fill(result, h('div', { class: 'success' },
            h('strong', {}, `Registered: ${r.registration || r.id || ''}`), h('br'),
            r.confirmation ? ['Confirmation code: ', h('code', { class: 'confirmation' }, r.confirmation), h('br')] : null,
            r.token ? ['Your participant token (shown once: keep it; it lets you comment): ',
                h('code', { class: 'token' }, r.token), h('br'),
                h('button', { type: 'button', class: 'secondary', onclick: () => {
                    api.setToken(r.token);
                    app.identify();
                } }, 'Log in with this token to comment')] : null));
        announce(`Registered for ${c.title}`);
        form.reset();
        app.refresh();
    } catch (e) {
        fill(result, errorBox(e, 'Registration'));
    } finally {
        btn.disabled = false;
    }
}

/* ---------------------------------------------------------------- articles, comments */

export async function renderArticles(app) {
    let articles = [];
    const comments = [];
    try {
        const a = await api.getArticles();
        /* the latest 20 articles (an id each), their comments and the replies */
        articles = (Array.isArray(a) ? a : a.articles || []).filter((x) => x && x.id).slice(-20).reverse();
        /* the comments on each article, and the replies to them (one level) */
        const about = async (id) => {
            const c = await api.getComments(id);
            return Array.isArray(c) ? c : c.comments || [];
        };
        const first = (await Promise.all(articles.map((x) => about(x.id)))).flat();
        const replies = (await Promise.all(first.slice(0, 40).map((x) => about(x.id)))).flat();
        comments.push(...first, ...replies);
    } catch (e) {
        fill('articles', errorBox(e, 'Articles'));
        return;
    }
    if (!articles.length) {
        fill('articles', h('p', { class: 'empty' }, 'No article is published.'));
    } else {
        fill('articles', articles.map((a) => article(app, a, comments)));
    }
    renderModeration(app);
}

function commentsOn(id, comments, app) {
    const mine = comments.filter((c) => c.about === id || c.subject === id);
    if (!mine.length) return null;
    return h('ul', { class: 'comments', 'aria-label': `Comments on ${id}` }, mine.map((c) =>
        h('li', { 'data-id': c.id },
            c.hidden ? h('span', { class: 'hidden-comment' }, `${c.id}: hidden by the Secretariat`)
                : [h('span', { class: 'stance ' + c.stance }, c.stance), h('strong', {}, c.author || ''), ': ', c.text || '',
                    h('span', { class: 'meta' }, ` \u2014 ${c.date || ''} (${c.id})`)],
            commentsOn(c.id, comments, app))));
}

function article(app, a, comments) {
    /* a participant comments (author = the name given at registration); so may an admin */
    const who = app.principal && app.principal.principal;
    const form = who === 'participant' || who === 'admin' ? commentForm(app, a.id) : null;
    return h('article', { class: 'article', 'data-id': a.id },
        h('h3', {}, a.title || a.id),
        h('p', { class: 'meta' }, `${a.date || ''} \u00b7 ${a.author || ''}${a.by ? ' for ' + a.by : ''}${a.about ? ' \u00b7 about ' + a.about : ''}`),
        h('p', {}, a.text || ''),
        commentsOn(a.id, comments, app),
        form);
}

function commentForm(app, about) {
    const fid = `cm-${about}`;
    const result = h('div', { class: 'result', role: 'status', 'aria-live': 'polite' });
    const form = h('form', { class: 'stack', id: fid },
        h('label', { for: `${fid}-stance` }, 'Your stance'),
        h('select', { id: `${fid}-stance`, name: 'stance' },
            h('option', { value: 'for' }, 'for'), h('option', { value: 'against' }, 'against'),
            h('option', { value: 'neutral' }, 'neutral')),
        h('label', { for: `${fid}-text` }, 'Comment'),
        h('textarea', { id: `${fid}-text`, name: 'text', rows: 2, required: true, maxlength: 2000 }),
        h('button', { type: 'submit' }, 'Comment'), result);
    form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        fill(result);
        try {
            const f = form.elements;
            await api.postComment({ about, stance: f.namedItem('stance').value, text: f.namedItem('text').value });
            form.reset();
            announce('Comment posted');
            renderArticles(app);
        } catch (e) {
            fill(result, errorBox(e, 'Comment'));
        }
    });
    return h('details', {}, h('summary', {}, 'Write a comment'), form);
}

export function renderModeration(app) {
    const m = (app.state && app.state.moderation) || [];
    fill('moderation', m.length ? m.map((x) =>
        h('li', {}, h('strong', {}, x.date), ` ${x.comment}: ${x.action}`, x.reason ? ` \u2014 \u201c${x.reason}\u201d` : ''))
        : h('li', { class: 'empty' }, 'Nothing was moderated.'));
}
