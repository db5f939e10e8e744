// The live view of one switch: a snapshot arrives every second over server-sent events; the page keeps the last
// minute of counters per port for the sparklines. Every value from the switch goes into the page as text, never HTML.
'use strict';

const HISTORY = 60;
const rates = new Map();      // port -> [frames/s, ...] (rx + tx), newest last
let previous = null;          // the last snapshot, to turn counters into rates
let last = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '-' : String(c)));
  return e;
}

function sparkline(values) {
  const w = 90, h = 18, max = Math.max(1, ...values);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', w);
  svg.setAttribute('height', h);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  const step = w / (HISTORY - 1);
  const offset = HISTORY - values.length;
  line.setAttribute('points', values.map((v, i) => `${((offset + i) * step).toFixed(1)},${(h - 1 - v / max * (h - 2)).toFixed(1)}`).join(' '));
  svg.append(line);
  return svg;
}

function updateRates(snap) {
  if (previous) {
    const seconds = Math.max(0.001, (snap.timeMillis - previous.timeMillis) / 1000);
    const before = new Map(previous.stats.map(s => [s.port, s]));
    for (const s of snap.stats) {
      const b = before.get(s.port);
      if (!b) continue;
      const r = rates.get(s.port) || [];
      r.push(Math.max(0, (s.rxFrames + s.txFrames - b.rxFrames - b.txFrames) / seconds));
      if (r.length > HISTORY) r.shift();
      rates.set(s.port, r);
    }
  }
  previous = snap;
}

function dropsText(drops) {
  const parts = Object.entries(drops || {}).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(', ') : '-';
}

/** One direction of a port group's traffic shaping: average, peak, burst; "off" when not shaped. */
function shaperText(s) {
  if (!s) return 'off';
  const rate = b => b % 1e9 === 0 ? `${b / 1e9} Gbit/s` : b % 1e6 === 0 ? `${b / 1e6} Mbit/s` : b % 1e3 === 0 ? `${b / 1e3} kbit/s` : `${b} bit/s`;
  const size = n => n % 1048576 === 0 ? `${n / 1048576} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
  return `average ${rate(s.averageBandwidth)}, peak ${rate(s.peakBandwidth)}, burst ${size(s.burstSize)}`;
}

function renderPortGroups(snap) {
  const stats = new Map(snap.stats.map(s => [s.port, s]));
  const ports = new Map(snap.ports.map(p => [p.name, p]));
  const box = document.getElementById('port-groups');
  box.replaceChildren();
  for (const g of snap.portGroups) {
    const s = g.security, m = g.macLearning;
    const policy = el('div', {class: 'policy'},
      el('b', {}, 'VLAN '), g.vlan, ' · ',
      el('b', {}, 'security '), `promiscuous ${s.allowPromiscuous ? 'accept' : 'reject'}, MAC changes ${s.macChanges ? 'accept' : 'reject'}, forged transmits ${s.forgedTransmits ? 'accept' : 'reject'}`, ' · ',
      el('b', {}, 'MAC learning '), m.enabled ? `on, limit ${m.limit} (${m.limitPolicy}), unknown unicast ${m.allowUnicastFlooding ? 'flooded' : 'dropped'}, aging ${m.agingSeconds} s` : 'off',
      ...(g.shaping ? [' · ', el('b', {}, 'shaping '), `ingress ${shaperText(g.shaping.ingress)}, egress ${shaperText(g.shaping.egress)}`] : []));
    const table = el('table', {class: 'ports', 'data-port-group': g.name},
      el('thead', {}, el('tr', {}, el('th', {}, 'Port'), el('th', {}, 'Kind'), el('th', {}, 'MAC'), el('th', {}, 'State'),
        el('th', {class: 'num'}, 'rx frames'), el('th', {class: 'num'}, 'tx frames'), el('th', {}, 'frames/s, last minute'), el('th', {}, 'Drops'))));
    const body = el('tbody');
    for (const name of g.ports) {
      const p = ports.get(name), c = stats.get(name) || {};
      const r = rates.get(name) || [];
      body.append(el('tr', {'data-port': name, class: p && !p.up ? 'down-port' : ''},
        el('td', {}, name), el('td', {}, p ? p.kind : '-'), el('td', {class: 'mac'}, p && p.mac ? p.mac : '-'),
        el('td', {}, p && p.up ? 'up' : 'down'), el('td', {class: 'num'}, c.rxFrames), el('td', {class: 'num'}, c.txFrames),
        el('td', {}, sparkline(r), ' ', r.length ? Math.round(r[r.length - 1]) : ''), el('td', {class: 'drops'}, dropsText(c.drops))));
    }
    table.append(body);
    box.append(el('div', {class: 'card'}, el('h3', {}, g.name), policy, table));
  }
}

function renderTunnels(snap) {
  const box = document.getElementById('tunnels');
  if (!snap.tunnels.length) return;
  box.replaceChildren();
  for (const t of snap.tunnels) {
    const vnis = t.vnis.map(v => `VNI ${v.vni} ↔ VLAN ${v.vlan}, flood list: ${v.floodList.length ? v.floodList.join(', ') : 'none'}`);
    box.append(el('div', {class: 'card', 'data-tunnel': t.name}, el('h3', {}, `${t.name} — local ${t.local} udp/${t.udpPort}`),
      el('div', {class: 'policy'}, vnis.join(' · ')),
      el('div', {class: 'policy'}, `encapsulated ${t.encapsulated}, decapsulated ${t.decapsulated}, drops: ${dropsText(t.drops)}`)));
  }
}

// One line per mirror session: what it copies, where, and what it sent (docs/operations.md, "Port mirroring").
function renderMirrors(snap) {
  const box = document.getElementById('mirrors');
  if (!snap.mirrors.length) {
    box.replaceChildren(el('p', {class: 'muted'}, 'No mirror sessions.'));
    return;
  }
  box.replaceChildren();
  for (const m of snap.mirrors) {
    const sources = [...m.sources.ports, ...(m.sources.vlans ? [`VLAN ${m.sources.vlans}`] : [])].join(', ');
    const how = [m.truncate ? `truncate ${m.truncate} bytes` : 'whole frames', m.sample > 1 ? `1 in ${m.sample}` : 'every frame'];
    const e = m.destination.erspan;
    const to = e ? `ERSPAN type ${e.version === 3 ? 'III' : 'II'} to ${e.remote} (session ID ${e.sessionId})` : `port ${m.destination.port}`;
    const lines = [el('h3', {}, `${m.name} — ${m.direction} of ${sources} → ${to}`),
      el('div', {class: 'policy'}, `${how.join(', ')} · ${m.active ? 'active' : m.status}`),
      el('div', {class: 'policy'}, `copies ${m.frames} (${m.bytes} bytes, ${m.truncated} truncated), skipped: ${dropsText(m.skipped)}`)];
    if (m.erspan) {
      lines.push(el('div', {class: 'policy', 'data-erspan': m.name}, `ERSPAN packets ${m.erspan.packets} (${m.erspan.bytes} bytes, ${m.erspan.mtuTruncated} cut to the path MTU), dropped: ${dropsText(m.erspan.dropped)}`));
    }
    if (m.note) {
      lines.push(el('div', {class: 'policy muted'}, `last: ${m.note}`));
    }
    box.append(el('div', {class: 'card', 'data-mirror': m.name}, ...lines));
  }
}

// One card per LAG, a row per member with both ends' LACP state as ovs-appctl lacp/show words them
// (docs/operations.md, "Link aggregation"). Hidden on a switch without LAGs.
function renderLags(snap) {
  const lags = snap.lags || [];
  document.getElementById('lacp-section').hidden = !lags.length;
  const box = document.getElementById('lags');
  box.replaceChildren();
  for (const l of lags) {
    const partner = l.partner ? `partner ${l.partner.systemId} priority ${l.partner.systemPriority}, key ${l.partner.key}` : 'no partner yet';
    const rows = l.members.map(m => el('tr', {'data-member': m.name, class: m.distributing ? '' : 'down'},
      el('td', {}, m.name), el('td', {}, m.link), el('td', {}, m.status),
      el('td', {}, m.actor.flags.join(' ')),
      el('td', {}, m.partner.systemId === '00:00:00:00:00:00' ? '-' : `${m.partner.systemId} key ${m.partner.key} port ${m.partner.port}`),
      el('td', {}, m.partner.flags.join(' ') || '-'),
      el('td', {class: 'num'}, `${m.counters.lacpdusRx}/${m.counters.lacpdusTx}`),
      el('td', {class: 'num', title: 'Marker PDUs answered / malformed / over 2 a second'},
        `${m.counters.markersAnswered}/${m.counters.markersMalformed}/${m.counters.markersRateLimited}`),
      el('td', {class: 'num'}, `${m.counters.rxFrames}/${m.counters.txFrames}`)));
    const table = el('table', {}, el('thead', {}, el('tr', {}, ...['Member', 'Link', 'State', 'Actor state', 'Partner',
      'Partner state', 'LACPDUs rx/tx', 'Markers answered/malformed/over rate', 'Frames rx/tx']
      .map(h => el('th', {}, h)))), el('tbody', {}, ...rows));
    box.append(el('div', {class: 'card', 'data-lag': l.name},
      el('h3', {}, `${l.name} — lacp ${l.lacp}, rate ${l.rate}, hash ${l.hash}`),
      el('div', {class: 'policy'}, `system ${l.systemId} priority ${l.systemPriority}, key ${l.key} · ${partner} · ${l.distributing} of ${l.members.length} members distributing`),
      table));
  }
}

function upDown(n) {
  if (n.state !== 'Established') return n.establishedTransitions ? '-' : 'never';
  const t = n.uptimeSeconds, two = v => String(v).padStart(2, '0');
  return `${two(Math.floor(t / 3600))}:${two(Math.floor(t / 60) % 60)}:${two(t % 60)}`;
}

// A type-2 prefix in FRR's notation: [2]:[EthTag]:[48]:[MAC] or [2]:[EthTag]:[48]:[MAC]:[32]:[IP].
function macRoute(prefix) {
  const m = /^\[2\]:\[\d+\]:\[48\]:\[([0-9a-f:]+)\](?::\[\d+\]:\[([^\]]+)\])?$/i.exec(prefix);
  return m ? {mac: m[1], ip: m[2] || ''} : {mac: prefix, ip: ''};
}

// Shown only when the switch runs the BGP-EVPN control plane (snap.evpn is null otherwise).
function renderEvpn(snap) {
  const e = snap.evpn;
  document.getElementById('bgp-section').hidden = !e;
  document.getElementById('evpn-section').hidden = !e;
  if (!e) return;
  const up = e.neighbors.filter(n => n.state === 'Established').length;
  document.getElementById('bgp-count').textContent = e.error || `${up} of ${e.neighbors.length} established`;
  document.querySelector('#bgp-table tbody').replaceChildren(...e.neighbors.map(n => el('tr', {'data-neighbor': n.address},
    el('td', {}, n.address), el('td', {class: 'num'}, n.asn), el('td', {class: n.state === 'Established' ? '' : 'down-port'}, n.state),
    el('td', {class: 'num'}, upDown(n)), el('td', {class: 'num'}, n.routesReceived), el('td', {class: 'num'}, n.routesSent),
    el('td', {class: 'num'}, n.messagesIn), el('td', {class: 'num'}, n.messagesOut), el('td', {class: 'error'}, n.lastError || ''))));
  const macs = e.routes.filter(r => r.type === 2);
  const vteps = e.routes.filter(r => r.type === 3);
  const local = r => r.source === 'local';
  document.getElementById('evpn-count').textContent = `${e.routes.length} in use: ${macs.length} MAC/IP (type 2, ${macs.filter(local).length} local), ${vteps.length} inclusive multicast (type 3, ${vteps.filter(local).length} local)`;
  const perVni = new Map();
  for (const r of vteps) perVni.set(r.vni, [...(perVni.get(r.vni) || []), r.nextHop + (local(r) ? ' (this switch)' : '')]);
  document.getElementById('evpn-vteps').textContent = perVni.size
    ? [...perVni].map(([vni, hops]) => `VNI ${vni} VTEPs: ${hops.join(', ')}`).join(' · ') : 'No type-3 routes: no VTEP has announced a VNI yet.';
  document.querySelector('#evpn-macs tbody').replaceChildren(...macs.map(r => {
    const m = macRoute(r.prefix);
    return el('tr', {'data-evpn-mac': m.mac},
      el('td', {class: 'num'}, r.vni), el('td', {class: 'mac'}, m.mac), el('td', {}, m.ip), el('td', {}, r.nextHop),
      el('td', {}, r.source), el('td', {class: 'num'}, r.sequence < 0 ? '-' : r.sequence));
  }));
}

function renderFdb(snap) {
  const vlan = document.getElementById('filter-vlan').value.trim();
  const port = document.getElementById('filter-port').value;
  const mac = document.getElementById('filter-mac').value.trim().toLowerCase().replaceAll('-', ':');
  const rows = snap.fdb.filter(r => (!vlan || r.vlan === null || String(r.vlan) === vlan)
    && (!port || r.port === port) && (!mac || r.mac.includes(mac)));
  const body = document.querySelector('#fdb-table tbody');
  body.replaceChildren(...rows.map(r => el('tr', {'data-mac': r.mac, 'data-port': r.port},
    el('td', {}, r.port), el('td', {class: 'num'}, r.vlan === null ? 'any' : r.vlan), el('td', {class: 'mac'}, r.mac),
    el('td', {class: 'num'}, r.ageSeconds === null ? '-' : r.ageSeconds), el('td', {}, r.type), el('td', {class: 'num'}, r.moves),
    el('td', {}, r.remoteVtep || ''))));
  document.getElementById('fdb-count').textContent = `${rows.length} of ${snap.fdb.length} entries`;
}

function fillPortSelects(snap) {
  for (const [id, blank] of [['filter-port', 'any'], ['trace-port', null]]) {
    const select = document.getElementById(id);
    const names = snap.ports.filter(p => id === 'filter-port' || p.kind !== 'tunnel').map(p => p.name);
    const have = [...select.options].map(o => o.value).filter(v => v);
    if (have.join() === names.join()) continue;
    const keep = select.value;
    select.replaceChildren(...(blank ? [el('option', {value: ''}, blank)] : []), ...names.map(n => el('option', {value: n}, n)));
    if (names.includes(keep)) select.value = keep;
  }
}

function render(snap) {
  last = snap;
  document.getElementById('switch-name').textContent = snap.sw.name;
  document.getElementById('summary').textContent = `${snap.sw.ports} ports · ${snap.sw.portGroups} port groups · ${snap.sw.tunnels} tunnels · FDB ${snap.sw.fdbEntries}/${snap.sw.fdbCapacity} learned + static`
    + (snap.ipfix ? ` · ${snap.ipfix}` : '');
  updateRates(snap);
  fillPortSelects(snap);
  renderPortGroups(snap);
  renderTunnels(snap);
  renderMirrors(snap);
  renderLags(snap);
  renderEvpn(snap);
  renderFdb(snap);
}

function connect() {
  const status = document.getElementById('status');
  const events = new EventSource('/api/v1/events');
  events.addEventListener('snapshot', e => {
    status.textContent = 'live';
    status.className = 'status live';
    render(JSON.parse(e.data));
  });
  events.onerror = () => {
    status.textContent = 'disconnected: retrying…';
    status.className = 'status down';
  };
}

for (const id of ['filter-vlan', 'filter-port', 'filter-mac']) {
  document.getElementById(id).addEventListener('input', () => last && renderFdb(last));
}

document.getElementById('trace-form').addEventListener('submit', async e => {
  e.preventDefault();
  const out = document.getElementById('trace-result');
  const body = {
    port: document.getElementById('trace-port').value,
    src: document.getElementById('trace-src').value.trim(),
    dst: document.getElementById('trace-dst').value.trim(),
    ethertype: document.getElementById('trace-ethertype').value,
  };
  const vlan = document.getElementById('trace-vlan').value.trim();
  if (vlan) body.vlan = Number(vlan);
  const response = await fetch('/api/v1/trace', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const answer = await response.json();
  if (!response.ok) {
    out.replaceChildren(el('p', {class: 'error'}, answer.error));
    return;
  }
  out.replaceChildren(el('p', {}, answer.frame),
    el('ol', {}, ...answer.steps.map(s => el('li', {}, `${s.stage}: ${s.detail}`))),
    el('p', {class: 'result'}, answer.drop ? `Result: drop (${answer.drop})` : `Result: forward to ${answer.egress.join(', ')}`));
});

connect();
