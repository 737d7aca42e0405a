/* map.js: the map of the region (Eastern Europe, the Caucasus, Central Asia)
   from world-atlas's TopoJSON (Natural Earth 1:50m) with topojson-client and
   d3-geo (window.topojson, window.d3: the vendored UMD builds). Countries are
   coloured by their status in the organization; a deployment is a mark on the
   host and a line from each contributor's capital to the host's; a transit
   route is a line through the capitals of its states. The paths of the
   countries are made once (the projection is fixed) and reused on redraw. */

import { h, fill } from './dom.js';

/* ISO 3166 alpha-2 -> numeric (world-atlas ids), for the states of the model's
   world; a state not listed here is found by its name. */
const ISO_NUM = {
    AM: '051', BY: '112', KZ: '398', KG: '417', RU: '643', TJ: '762', AZ: '031', GE: '268',
    UZ: '860', NO: '578', FI: '246', EE: '233', LV: '428', LT: '440', PL: '616', UA: '804',
    CN: '156', MN: '496', KP: '408', IR: '364', TR: '792', AF: '004', TM: '795', MD: '498',
    RO: '642', SE: '752', PK: '586', IN: '356', IQ: '368', SY: '760', DE: '276', SK: '703',
    HU: '348', BG: '100', RS: '688', GR: '300', CY: '196', JP: '392', KR: '410',
};

const W = 960, H = 560;
const ACTIVE = new Set(['adopted', 'active', 'withdrawing']);

let atlas = null;           /* { features, paths: Map(id -> d), projection, graticule } */

export async function loadAtlas() {
    if (atlas) return atlas;
    if (!window.d3 || !window.topojson) throw new Error('the map libraries did not load');
    const res = await fetch('vendor/countries-50m.json');
    if (!res.ok) throw new Error('world-atlas: ' + res.status);
    const topo = await res.json();
    const fc = window.topojson.feature(topo, topo.objects.countries);
    const projection = window.d3.geoAzimuthalEqualArea()
        .rotate([-54, -47])
        .fitExtent([[8, 8], [W - 8, H - 8]], {
            type: 'MultiPoint',
            coordinates: [[23, 39], [86, 39], [24, 60], [86, 60], [55, 36.5], [55, 63]],
        })
        .clipExtent([[0, 0], [W, H]]);
    const path = window.d3.geoPath(projection);
    const paths = new Map();
    const features = [];
    for (const f of fc.features) {
        const b = path.bounds(f);
        if (!isFinite(b[0][0]) || b[1][0] < 0 || b[0][0] > W || b[1][1] < 0 || b[0][1] > H) continue;
        const d = path(f);
        if (!d) continue;
        paths.set(f.id, d);
        features.push(f);
    }
    const graticule = path(window.d3.geoGraticule10());
    atlas = { features, paths, projection, path, graticule };
    return atlas;
}

function featureId(code, world) {
    if (ISO_NUM[code]) return ISO_NUM[code];
    const st = world && world.byCode.get(code);
    if (st && atlas) {
        const f = atlas.features.find((x) => x.properties && x.properties.name === st.name);
        if (f) return f.id;
    }
    return null;
}

/* Normalize GET /api/world: { states: [{code, name, capital, lat, lon}] }. */
export function worldIndex(w) {
    const list = Array.isArray(w) ? w : (w && (w.states || w.world)) || [];
    const byCode = new Map();
    for (const s of list) {
        const code = s.code || s.id;
        const lat = +(s.lat ?? (s.capital && s.capital.lat));
        const lon = +(s.lon ?? (s.capital && s.capital.lon));
        byCode.set(code, { code, name: s.name || code, capital: typeof s.capital === 'string' ? s.capital : (s.capital && s.capital.name) || '', lat, lon });
    }
    return { byCode };
}

function capitalXY(world, code) {
    const s = world.byCode.get(code);
    if (!s || !isFinite(s.lat) || !isFinite(s.lon)) return null;
    return atlas.projection([s.lon, s.lat]);
}

/* Draw the map into svg.
   opts: { state, world, routes: [{path:[..], consent_needed:[..], km}], labels: bool } */
export function drawMap(svg, opts) {
    if (!atlas) return;
    const { state, world } = opts;
    const status = new Map();
    for (const m of (state && state.members) || []) status.set(m.code, m.status);
    for (const o of (state && state.observers) || []) {
        const c = typeof o === 'string' ? o : o.code || o.state;
        if (c && !status.has(c)) status.set(c, 'observer');
    }
    const deployments = ((state && state.deployments) || []).filter((d) => ACTIVE.has(d.status));
    const hosts = new Set(deployments.map((d) => d.host));
    const byFeature = new Map();
    for (const [code, st] of status) {
        const id = featureId(code, world);
        if (id) byFeature.set(id, { code, st });
    }
    const hostIds = new Set([...hosts].map((c) => featureId(c, world)));

    /* the countries are made once per map; a redraw only sets their classes */
    if (!svg._countries) {
        svg.appendChild(h('svg:defs', {},
            h('svg:marker', { id: svg.id + '-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
                h('svg:path', { d: 'M0,0 L10,5 L0,10 z', fill: '#c0262d' }))));
        svg.appendChild(h('svg:path', { class: 'graticule', d: atlas.graticule }));
        const g = h('svg:g', { 'aria-hidden': 'true' });
        svg._countries = new Map();
        for (const f of atlas.features) {
            const p = h('svg:path', { class: 'country', d: atlas.paths.get(f.id) });
            svg._countries.set(f.id, p);
            g.appendChild(p);
        }
        svg.appendChild(g);
        svg._overlay = h('svg:g');
        svg.appendChild(svg._overlay);
    }
    for (const f of atlas.features) {
        const p = svg._countries.get(f.id);
        const m = byFeature.get(f.id);
        const cls = 'country' + (m ? ' st-' + m.st : '') + (hostIds.has(f.id) ? ' host' : '');
        if (p.getAttribute('class') !== cls) p.setAttribute('class', cls);
        const tip = m ? `${f.properties.name}: ${m.st}` : '';
        if ((p.firstChild ? p.firstChild.textContent : '') !== tip) {
            p.replaceChildren();
            if (tip) p.appendChild(h('svg:title', {}, tip));
        }
        if (m) p.setAttribute('data-code', m.code);
        else p.removeAttribute('data-code');
    }
    svg._overlay.replaceChildren();
    const overlay = svg._overlay;

    /* transit routes, best first (the best drawn solid) */
    const gRoutes = h('svg:g', { class: 'routes-layer' });
    (opts.routes || []).slice().reverse().forEach((r, i, all) => {
        const coords = r.path.map((c) => world.byCode.get(c)).filter(Boolean).map((s) => [s.lon, s.lat]);
        if (coords.length < 2) return;
        const d = atlas.path({ type: 'LineString', coordinates: coords });
        gRoutes.appendChild(h('svg:path', { class: 'route' + (i === all.length - 1 ? ' best' : ''), d,
            'data-route': r.path.join('-') },
            h('svg:title', {}, `route ${r.path.join(' > ')}, ${Math.round(r.km)} km`)));
    });
    overlay.appendChild(gRoutes);

    /* deployments: contributors' lines to the host, and a mark on the host */
    const gDep = h('svg:g', { class: 'deployments-layer' });
    for (const d of deployments) {
        const to = capitalXY(world, d.host);
        if (!to) continue;
        gDep.appendChild(h('svg:circle', { class: 'host-mark', cx: to[0], cy: to[1], r: 11, 'data-deployment': d.id },
            h('svg:title', {}, `${d.id}: ${d.force} in ${d.host}, ${d.status}, ${d.troops || 0} troops`)));
        for (const c of d.contingents || []) {
            if (c.left || c.state === d.host) continue;
            const s = world.byCode.get(c.state), t = world.byCode.get(d.host);
            if (!s || !t) continue;
            const line = atlas.path({ type: 'LineString', coordinates: [[s.lon, s.lat], [t.lon, t.lat]] });
            gDep.appendChild(h('svg:path', { class: 'contingent' + (c.arrived ? '' : ' planned'), d: line,
                'marker-end': `url(#${svg.id}-arrow)`, 'data-contingent': `${d.id}:${c.state}` },
                h('svg:title', {}, `${c.state}: ${c.troops} troops to ${d.host} (${d.id})`)));
        }
    }
    overlay.appendChild(gDep);

    /* capitals and labels of the members and former members */
    const gLab = h('svg:g', { 'aria-hidden': 'true' });
    for (const [code] of status) {
        const xy = capitalXY(world, code);
        if (!xy || xy[0] < 0 || xy[0] > W || xy[1] < 0 || xy[1] > H) continue;
        gLab.appendChild(h('svg:circle', { class: 'capital', cx: xy[0], cy: xy[1], r: 3.5 }));
        gLab.appendChild(h('svg:text', { class: 'label', x: xy[0] + 6, y: xy[1] - 6 }, code));
    }
    overlay.appendChild(gLab);
}

export function legend(el, withDeployments) {
    const item = (cls, text) => h('span', {}, h('span', { class: 'swatch ' + cls, 'aria-hidden': 'true' }), text);
    fill(el, item('sw-member', 'member'), item('sw-frozen', 'frozen'),
        item('sw-suspended', 'suspended'), item('sw-former', 'former member'), item('sw-other', 'not a member'),
        withDeployments ? item('sw-deploy', 'deployment (host, contingents)') : null,
        withDeployments ? item('sw-route', 'transit route') : null);
}
