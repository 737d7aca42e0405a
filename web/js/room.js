/* room.js: the crisis room. Log in with a token (GET /api/whoami names the
   principal); pending requests; proposals with vote buttons for one's own
   state only; deployments; the forms to request assistance (a delegation),
   to propose a deployment (the chair, for the CSC) and to contribute troops
   (a delegation, to an adopted deployment); the map with transit routes; the
   timeline. Every action is a chronicle line POSTed to /api/commands; a
   refusal is shown with its rule and source. */

import { h, fill, $, errorBox, announce, quote } from './dom.js';
import * as api from './api.js';
import { drawMap } from './map.js';

const ACTIVE = new Set(['adopted', 'active', 'withdrawing']);
const isState = (p) => /^[A-Z]{2,3}$/.test(p || '');

/* ---------------------------------------------------------------- login */

export function setupLogin(app) {
    $('login-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const input = $('token-input');
        const t = input.value.trim();
        if (!t) return;
        api.setToken(t);
        const ok = await app.identify();
        if (ok) {
            input.value = '';
            announce(`Logged in as ${app.principal.principal}`);
        }
    });
}

export function renderWho(app) {
    const who = $('who');
    const p = app.principal;
    if (!p) {
        fill(who, h('span', {}, 'Not logged in'));
        $('login-card').hidden = false;
        return;
    }
    const label = isState(p.principal) ? `${stateName(app, p.principal)} delegation` : p.principal;
    fill(who, h('span', {}, 'Acting as ', h('span', { class: 'badge', id: 'principal' }, p.principal), ' ', label,
        p.name ? ` (${p.name})` : ''),
        h('button', { type: 'button', class: 'secondary', id: 'logout', onclick: () => app.logout() }, 'Log out'));
    $('login-card').hidden = true;
}

function stateName(app, code) {
    const m = app.state && app.state.members.find((x) => x.code === code);
    if (m) return m.name;
    const w = app.world && app.world.byCode.get(code);
    return w ? w.name : code;
}

/* ---------------------------------------------------------------- lists */

/* "How it came about": GET /api/why/ID, fetched when opened. The element is
   kept per id, so an update of the list does not close it. */
const whyBoxes = new Map();
function why(id) {
    if (whyBoxes.has(id)) return whyBoxes.get(id);
    const pre = h('pre', { class: 'why' });
    const d = h('details', { class: 'why-box' }, h('summary', {}, `How ${id} came about`), pre);
    d.addEventListener('toggle', async () => {
        if (!d.open || pre.dataset.loaded) return;
        pre.textContent = 'Loading\u2026';
        try {
            const r = await api.getWhy(id);
            pre.textContent = r.text || '';
            pre.dataset.loaded = '1';
        } catch (e) {
            fill(pre, errorBox(e, 'Why'));
        }
    });
    whyBoxes.set(id, d);
    return d;
}

export function renderRoom(app) {
    const s = app.state;
    if (!s) return;
    const me = app.principal ? app.principal.principal : null;

    const pending = s.requests.filter((r) => r.status === 'open');
    fill('requests', pending.length ? pending.map((r) =>
        h('li', { 'data-id': r.id },
            h('div', { class: 'item-head' }, h('span', { class: 'item-id' }, r.id),
                h('span', {}, `${stateName(app, r.state)} asks for ${r.kind}`),
                h('span', { class: 'meta' }, `${r.date}${r.article ? ', ' + r.article : ''}${r.threat ? ', ' + r.threat : ''}`)),
            r.text ? h('p', { class: 'meta' }, r.text) : null))
        : h('li', { class: 'empty' }, 'No request is pending.'));

    const props = s.proposals || [];
    fill('proposals', props.length ? props.map((p) => proposal(app, p, me))
        : h('li', { class: 'empty' }, 'No proposal is open.'));

    const deps = (s.deployments || []).filter((d) => ACTIVE.has(d.status));
    fill('deployments', deps.length ? deps.map((d) =>
        h('li', { 'data-id': d.id },
            h('div', { class: 'item-head' }, h('span', { class: 'item-id' }, d.id),
                h('span', {}, `${d.force} in ${stateName(app, d.host)}`), h('span', { class: 'badge' }, d.status)),
            h('p', { class: 'meta' }, `adopted ${d.decided || ''}; ${d.troops || 0} troops` +
                ((d.contingents || []).length ? ': ' + d.contingents.map((c) => `${c.state} ${c.troops}`).join(', ') : '')),
            why(d.id)))
        : h('li', { class: 'empty' }, 'No deployment is under way.'));

    const summary = deps.map((d) => `${d.id}: ${d.force} in ${d.host} (${d.troops || 0} troops)`).join('; ');
    fill('deploy-summary', summary ? 'Deployments under way: ' + summary : 'No deployment is under way.');

    renderActions(app, me);
    drawRoomMap(app);
}

function proposal(app, p, me) {
    const votes = p.votes || {};
    const mine = me && isState(me) ? votes[me] : undefined;
    const buttons = mine === 'pending'
        ? h('div', { class: 'vote-buttons', role: 'group', 'aria-label': `Your vote on ${p.id}` },
            ['yes', 'no', 'abstain'].map((v) => h('button', {
                type: 'button', class: 'vote-' + v, 'data-vote': v, 'data-proposal': p.id,
                disabled: app.voting.has(p.id),
                onclick: () => vote(app, p, v),
            }, `Vote ${v} on ${p.id}`)))
        : null;
    const d = Object.assign({}, app.proposalDetails.get(p.id) || {}, p);
    const what = d.kind === 'deploy'
        ? `to deploy the ${d.force || 'force'}${d.host ? ' in ' + stateName(app, d.host) : ''}` +
          `${d.request ? ' on request ' + d.request : ''}${d.days ? ' for ' + d.days + ' days' : ''}`
        : d.kind;
    return h('li', { 'data-id': p.id },
        h('div', { class: 'item-head' }, h('span', { class: 'item-id' }, p.id),
            h('span', {}, `${d.body} proposes ${what}`),
            h('span', { class: 'meta' }, p.date)),
        d.text ? h('p', { class: 'meta' }, `\u201c${d.text}\u201d`) : null,
        h('ul', { class: 'votes', 'aria-label': `Votes on ${p.id}` }, Object.entries(votes).map(([st, v]) =>
            h('li', { class: 'vote ' + v }, `${st}: ${v}`))),
        mine && mine !== 'pending' ? h('p', { class: 'meta' }, `Your vote: ${mine}`) : null,
        buttons,
        why(p.id),
        h('div', { class: 'result', id: `vote-result-${p.id}`, role: 'status', 'aria-live': 'polite' },
            app.voteMsgs.get(p.id) || null));
}

/* The list is drawn again on every update: the answer to a vote is kept
   (app.voteMsgs) and the buttons stay disabled while the vote is on its way. */
async function vote(app, p, v) {
    const me = app.principal.principal;
    const holder = h('div');
    app.voteMsgs.set(p.id, holder);
    app.voting.add(p.id);
    const setDisabled = (on) => document.querySelectorAll(`button[data-proposal="${CSS.escape(p.id)}"]`)
        .forEach((b) => { b.disabled = on; });
    setDisabled(true);
    const cur = $(`vote-result-${p.id}`);
    if (cur) fill(cur, holder);
    await send(app, [`${app.state.date} ${me} vote ${p.id} ${v}`], holder, `Vote ${v} on ${p.id}`);
    app.voting.delete(p.id);
    setDisabled(false);
}

/* POST the lines; show the outcome in `where`; true when accepted. */
async function send(app, lines, where, what) {
    fill(where);
    try {
        const r = await api.postCommands(lines);
        const refusal = api.refusalIn(r);
        if (refusal) {
            fill(where, errorBox(refusal, what));
            return false;
        }
        fill(where, h('div', { class: 'success' }, `${what}: accepted and recorded`,
            r && r.first_seq ? ` (event ${r.first_seq}${r.last_seq && r.last_seq !== r.first_seq ? '\u2013' + r.last_seq : ''})` : ''));
        announce(`${what}: accepted`);
        app.refresh();
        return true;
    } catch (e) {
        fill(where, errorBox(e, what));
        if (e.error && e.error.status === 401) app.logout(true);
        return false;
    }
}

/* ---------------------------------------------------------------- forms */

function usedIds(s) {
    const ids = new Set();
    for (const k of ['requests', 'proposals', 'deployments', 'missions', 'conferences', 'exercises', 'disputes', 'sessions']) {
        for (const x of s[k] || []) if (x.id) ids.add(x.id);
    }
    return ids;
}

function freshId(s, prefix) {
    const used = usedIds(s);
    for (let i = 1; i < 10000; i++) if (!used.has(prefix + i)) return prefix + i;
    return prefix + Date.now();
}

function renderActions(app, me) {
    const s = app.state;
    const card = $('actions');
    const delegation = isState(me) && s.members.some((m) => m.code === me && m.status === 'member');
    const chair = me === 'chair';
    card.hidden = !me;
    const rq = $('request-form'), pr = $('propose-form'), ct = $('contribute-form');
    rq.hidden = !delegation;
    pr.hidden = !chair;
    const adopted = (s.deployments || []).filter((d) => ACTIVE.has(d.status) && d.decision === 'adopted');
    ct.hidden = !delegation || !adopted.length;
    $('no-actions').hidden = delegation || chair || !me;
    if (me === 'observer') $('no-actions').textContent = 'An observer reads only: there is nothing to act on.';
    else $('no-actions').textContent = `The ${me} acts through other tools; nothing here to act on.`;

    const year = (s.date || '').slice(0, 4);
    if (delegation && !rq.dataset.touched) $('rq-id').value = freshId(s, `${me}-${year}-R`);
    if (chair && !pr.dataset.touched) $('pr-id').value = freshId(s, `CSC-${year}-D`);
    const open = s.requests.filter((r) => r.status === 'open' && r.kind === 'assistance');
    keepSelect($('pr-request'), open.map((r) => [r.id, `${r.id} (${r.state}, ${r.date})`]));
    keepSelect($('ct-deployment'), adopted.map((d) => [d.id, `${d.id}: ${d.force} in ${d.host}`]));
}

function keepSelect(sel, options) {
    const was = sel.value;
    fill(sel, options.map(([v, t]) => h('option', { value: v }, t)));
    if (options.some(([v]) => v === was)) sel.value = was;
}

export function setupForms(app) {
    for (const id of ['request-form', 'propose-form']) {
        $(id).addEventListener('input', (ev) => { if (ev.target.name === 'id') $(id).dataset.touched = '1'; });
    }
    $('request-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = ev.currentTarget.elements, me = app.principal.principal;
        const line = `${app.state.date} ${me} request assistance id=${f.namedItem('id').value.trim()}` +
            ` article=${f.namedItem('article').value} threat=${f.namedItem('threat').value} ${quote(f.namedItem('text').value)}`;
        if (await send(app, [line], $('action-result'), 'Request for assistance')) {
            $('request-form').reset();
            delete $('request-form').dataset.touched;
        }
    });
    $('propose-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = ev.currentTarget.elements;
        const req = app.state.requests.find((r) => r.id === f.namedItem('request').value);
        if (!req) {
            fill('action-result', errorBox({ message: 'choose a pending request for assistance' }, 'Proposal'));
            return;
        }
        const days = f.namedItem('days').value ? ` days=${parseInt(f.namedItem('days').value, 10)}` : '';
        const line = `${app.state.date} CSC propose deploy id=${f.namedItem('id').value.trim()} force=${f.namedItem('force').value}` +
            ` host=${req.state} request=${req.id}${days} ${quote(f.namedItem('text').value)}`;
        if (await send(app, [line], $('action-result'), 'Proposal')) {
            $('propose-form').reset();
            delete $('propose-form').dataset.touched;
        }
    });
    $('contribute-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = ev.currentTarget.elements, me = app.principal.principal;
        const line = `${app.state.date} ${me} contribute ${f.namedItem('deployment').value} troops=${parseInt(f.namedItem('troops').value, 10)}`;
        await send(app, [line], $('action-result'), 'Contribution');
    });
    $('route-form').addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const from = $('route-from').value, to = $('route-to').value;
        fill('routes', h('li', { class: 'meta' }, 'Looking for routes\u2026'));
        try {
            const r = await api.getRoute(from, to);
            app.routes = r.routes || [];
            fill('routes', app.routes.length ? app.routes.map((x, i) =>
                h('li', { 'data-route': x.path.join('-') },
                    h('strong', {}, `${i + 1}. ${x.path.join(' \u203a ')}`),
                    ` ${Math.round(x.km).toLocaleString('en')} km${x.sea ? ' (by sea)' : ''}`,
                    x.consent_needed && x.consent_needed.length ? `; consent of ${x.consent_needed.join(', ')}` : '; no consent needed'))
                : h('li', { class: 'empty' }, `No route from ${from} to ${to}.`));
            announce(`${app.routes.length} routes from ${from} to ${to}`);
        } catch (e) {
            app.routes = [];
            fill('routes', h('li', {}, errorBox(e, 'Route')));
        }
        drawRoomMap(app);
    });
}

export function fillRouteSelects(app) {
    if (!app.world) return;
    const states = [...app.world.byCode.values()].sort((a, b) => a.name.localeCompare(b.name));
    const opts = states.map((s) => [s.code, `${s.name} (${s.code})`]);
    const from = $('route-from'), to = $('route-to');
    if (from.options.length) return;
    keepSelect(from, opts);
    keepSelect(to, opts);
    from.value = app.world.byCode.has('RU') ? 'RU' : opts[0][0];
    to.value = app.world.byCode.has('KZ') ? 'KZ' : opts[0][0];
}

export function drawRoomMap(app) {
    if (app.atlasReady) drawMap($('room-map'), { state: app.state, world: app.world, routes: app.routes });
}

/* ---------------------------------------------------------------- timeline */

export function describe(ev) {
    return `${ev.date} ${ev.subject} ${ev.verb}${ev.args ? ' ' + ev.args : ''}${ev.text ? ' \u201c' + ev.text + '\u201d' : ''}`;
}

export function addToTimeline(events, fresh) {
    const ol = $('timeline');
    for (const ev of events) {
        if (ol.querySelector(`li[data-seq="${ev.seq}"]`)) continue;
        const li = h('li', { 'data-seq': ev.seq, class: fresh ? 'new' : null },
            h('span', { class: 'seq' }, `#${ev.seq} `), `${ev.date} `,
            h('span', { class: 'subj' }, ev.subject), ` ${ev.verb}${ev.args ? ' ' + ev.args : ''}`,
            ev.text ? h('span', { class: 'meta' }, ` \u201c${ev.text}\u201d`) : null);
        ol.insertBefore(li, ol.firstChild);
    }
    while (ol.children.length > 200) ol.removeChild(ol.lastChild);
}
