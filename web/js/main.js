/* main.js: the page's entry point. Loads the state, the world (capitals) and
   the map; shows the public portal (#portal) or the crisis room (#room);
   follows the journal live through Server-Sent Events on /api/stream (each
   event is added to the timeline and announced; the state is fetched again
   once a burst of events is over). */

import { fill, $, errorBox, announce, parseArgs } from './dom.js';
import * as api from './api.js';
import { loadAtlas, worldIndex, legend } from './map.js';
import { renderMembers, renderConferences, renderArticles, renderModeration, setupHistory } from './portal.js';
import { setupLogin, renderWho, renderRoom, setupForms, fillRouteSelects, drawRoomMap,
         addToTimeline, describe } from './room.js';

const app = {
    state: null,
    world: null,
    principal: null,
    atlasReady: false,
    routes: [],
    voteMsgs: new Map(),      /* proposal id -> the answer to this page's vote */
    voting: new Set(),        /* proposal ids whose vote is on its way */
    lastSeq: 0,
    stream: null,
    refreshTimer: 0,
    refreshing: null,
    confDetails: new Map(),   /* conference id -> venue, address, terms (from its journal line) */
    proposalDetails: new Map(), /* proposal id -> its line's arguments and text (force, host, ...) */
};

/* A conference's texts and a proposal's terms are not in the state (design
   s.4): take them from their lines in the journal. */
function noteEvent(ev) {
    if (ev.verb === 'conference') {
        const a = parseArgs(ev.args);
        if (a.id) app.confDetails.set(a.id, { venue: a.venue, address: a.address, terms: a.terms });
    } else if (ev.verb === 'propose') {
        const a = parseArgs(ev.args);
        if (a.id) app.proposalDetails.set(a.id, Object.assign(a, { text: ev.text }));
    }
}

function showAlert(err, what) {
    const box = $('alert');
    if (!err) { box.hidden = true; box.replaceChildren(); return; }
    fill(box, errorBox(err, what));
    box.hidden = false;
}

/* ---------------------------------------------------------------- views */

function route() {
    const view = location.hash === '#room' ? 'room' : 'portal';
    for (const v of document.querySelectorAll('.view')) v.hidden = v.dataset.view !== view;
    for (const a of document.querySelectorAll('.tabs a')) {
        if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
    }
    document.body.dataset.view = view;
}

/* ---------------------------------------------------------------- state */

function renderAll() {
    const s = app.state;
    if (!s) return;
    $('org-name').textContent = s.organization;
    $('org-full').textContent = s.organization_name;
    document.title = `${s.organization}: the crisis room (entente)`;
    $('today').textContent = s.date;
    renderMembers(app);
    renderModeration(app);
    renderRoom(app);
    document.body.dataset.ready = '1';
}

/* Fetch the state again (at most one fetch at a time; one more after it if
   asked meanwhile), then the parts that depend on it. */
app.refresh = function () {
    if (app.refreshing) { app.refreshAgain = true; return app.refreshing; }
    app.refreshing = (async () => {
        try {
            do {
                app.refreshAgain = false;
                performance.mark('entente:state-asked');
                app.state = await api.getState();
                performance.mark('entente:state-got');
                renderAll();
                performance.mark('entente:drawn');
            } while (app.refreshAgain);
            showAlert(null);
        } catch (e) {
            showAlert(e, 'Loading the state');
        } finally {
            app.refreshing = null;
        }
        renderConferences(app);
        if (app.articlesStale) {
            app.articlesStale = false;
            renderArticles(app);
        }
    })();
    return app.refreshing;
};

function refreshSoon() {
    clearTimeout(app.refreshTimer);
    app.refreshTimer = setTimeout(() => app.refresh(), 60);
}

/* ---------------------------------------------------------------- login */

app.identify = async function () {
    if (!api.token()) { app.principal = null; renderWho(app); return false; }
    try {
        app.principal = await api.whoami();
        showAlert(null);
    } catch (e) {
        app.principal = null;
        api.setToken('');
        showAlert(e, 'Log in');
    }
    renderWho(app);
    renderRoom(app);
    renderArticles(app);
    return !!app.principal;
};

app.logout = function (expired) {
    api.setToken('');
    app.principal = null;
    renderWho(app);
    renderRoom(app);
    renderArticles(app);
    announce(expired ? 'Your token is no longer valid: logged out' : 'Logged out');
};

/* ---------------------------------------------------------------- live feed */

function connect() {
    if (!window.EventSource) {
        $('stream-status').textContent = 'Live updates: not supported by this browser.';
        return;
    }
    const es = new EventSource('/api/stream?after=' + app.lastSeq);
    app.stream = es;
    es.onopen = () => {
        $('stream-status').textContent = 'Live updates: connected.';
        document.body.dataset.live = '1';
    };
    es.onerror = () => {
        $('stream-status').textContent = 'Live updates: reconnecting\u2026';
        document.body.dataset.live = '0';
    };
    const onEvent = (m) => {
        let ev;
        try { ev = JSON.parse(m.data); } catch (e) { return; }
        if (!ev || typeof ev.seq !== 'number' || ev.seq <= app.lastSeq) return;
        app.lastSeq = ev.seq;
        performance.mark('entente:event');   /* the live feed's latency, for the browser tests */
        noteEvent(ev);
        if (ev.verb === 'article' || ev.verb === 'comment' || ev.verb === 'moderate') app.articlesStale = true;
        addToTimeline([ev], true);
        announce(describe(ev));
        refreshSoon();
    };
    es.onmessage = onEvent;                 /* unnamed events */
    es.addEventListener('event', onEvent);  /* "event: event" */
}

/* The journal from its start, a page (at most 1000 events) at a time: the
   conferences' texts are noted, the last 100 events go to the timeline, and
   the live feed starts after the last one. */
async function readLog(first) {
    const tail = [];
    let r = first;
    for (let pages = 0; pages < 1000; pages++) {
        const events = Array.isArray(r) ? r : r.events || [];
        for (const e of events) {
            noteEvent(e);
            if (e.seq > app.lastSeq) app.lastSeq = e.seq;
        }
        tail.push(...events);
        if (tail.length > 100) tail.splice(0, tail.length - 100);
        if (!events.length || Array.isArray(r) || !(r.last_seq > app.lastSeq)) break;
        try {
            r = await api.getLog(app.lastSeq);
        } catch (e) {
            showAlert(e, 'Loading the journal');
            break;
        }
    }
    addToTimeline(tail, false);
}

/* ---------------------------------------------------------------- start */

async function start() {
    route();
    window.addEventListener('hashchange', () => {
        route();
        $('main').focus({ preventScroll: true });
    });
    legend($('portal-legend'), false);
    legend($('room-legend'), true);
    setupLogin(app);
    setupForms(app);
    setupHistory(app);
    renderWho(app);

    const [st, world, atlas, log] = await Promise.allSettled([
        api.getState(), api.getWorld(), loadAtlas(), api.getLog(0)]);
    if (world.status === 'fulfilled') app.world = worldIndex(world.value);
    else app.world = worldIndex([]);
    app.atlasReady = atlas.status === 'fulfilled';
    if (!app.atlasReady) console.error(atlas.reason);
    if (st.status === 'fulfilled') app.state = st.value;
    else showAlert(st.reason, 'Loading the state');
    if (log.status === 'fulfilled') await readLog(log.value);
    else showAlert(log.reason, 'Loading the journal');
    fillRouteSelects(app);
    renderAll();
    drawRoomMap(app);
    if (!(await app.identify())) renderArticles(app);
    renderConferences(app);
    connect();
}

start();
