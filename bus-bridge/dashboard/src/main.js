// The live page of the Membrane bus (served by the bridge at GET /). State comes from the bridge's read-only API
// (/api/state), live changes from the bus's own WebSocket (subscribe to every event type), applied in seq order.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { SeqBuffer } from './seq.js';

const $ = (s) => document.querySelector(s);
const fmt = (x, d = 2) => (typeof x === 'number' && isFinite(x) ? x.toFixed(d) : '–');
/** How long a flip flashes and a transfer arrow stays drawn (ms). */
const FLASH_MS = 1500, ARROW_MS = 6000;
/** Lines kept in each log list; points kept in each chart. */
const LOG_LINES = 200, CHART_POINTS = 400;
/** How often the page re-reads the slow-moving state (health, κ, sources, measures) for its charts (ms). */
const POLL_MS = 3000;

const params = new URLSearchParams(location.search);
let token = params.get('token') || sessionStorage.getItem('membrane.token') || '';
let config = { tokenRequired: false, wsPath: '/api/ws' };
let ws = null, reconnectMs = 500;

// --- the model the page draws -----------------------------------------------------------------------------------
const model = {
  engines: new Map(),   // id -> {id, level, activeCount, activeTarget, health, nodes: [node]}
  nodes: new Map(),     // id -> {id, engine, energy, threshold, active, flashUntil, x, y}
  sources: new Map(),   // id -> row (+ gamma from events)
  gamma: new Map(),     // source -> last integrator gain γ seen in a budget
  stimuli: new Map(),   // stimulus id -> {id, source, engines: Map(engine -> summary)}
  arrows: [],           // {from: nodeId|engine, to: engine, kind: down|up|rejected, until}
  thresholdDefault: 30,
  nodeCount: 0,
};
const seq = new SeqBuffer(apply, () => loadState('a gap in the event sequence'));
const pendingAcks = new Map();

// --- connection -------------------------------------------------------------------------------------------------
async function api(path) {
  const r = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (r.status === 401) { askToken(); throw new Error('token required'); }
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

function askToken() {
  $('#token-form').hidden = false;
  setStatus(false, 'token required');
}

function setStatus(on, text) {
  const s = $('#status');
  s.className = `status ${on ? 'on' : 'off'}`;
  s.textContent = text;
}

function connect() {
  const url = new URL(config.wsPath, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) url.searchParams.set('token', token);
  ws = new WebSocket(url);
  ws.onopen = () => {
    reconnectMs = 500;
    ws.send(JSON.stringify({ type: 'subscribe', topics: ['*'] }));
  };
  ws.onmessage = (m) => onFrame(JSON.parse(m.data));
  ws.onclose = (e) => {
    setStatus(false, e.code === 1008 || e.code === 1006 && config.tokenRequired && !token ? 'refused' : 'reconnecting…');
    seq.reset();
    setTimeout(connect, reconnectMs);
    reconnectMs = Math.min(reconnectMs * 2, 10000);
  };
}

function onFrame(f) {
  if (f.type === 'subscribe.ack') {
    setStatus(true, 'live');
    loadState(); // after subscribing: every event newer than the state's seq reaches us
  } else if (f.type === 'event') {
    seq.offer(f.event);
  } else if (f.type === 'ack') {
    showAck(f);
  } else if (f.type === 'error') {
    $('#ack').textContent = `error: ${f.reason}`;
    $('#ack').className = 'rejected';
  }
}

let loading = null;
async function loadState(why) {
  if (loading) return loading;
  seq.reset(); // events arriving meanwhile wait for the state, then those newer than it apply
  loading = (async () => {
    try {
      const s = await api('/api/state');
      model.thresholdDefault = s.thresholdDefault;
      model.nodeCount = s.nodeCount;
      model.nodes.clear();
      for (const n of s.nodes) model.nodes.set(n.id, { ...n, threshold: n.threshold ?? s.thresholdDefault, flashUntil: 0 });
      setEngines(s.engines);
      setSlow(s);
      for (const e of s.recent) apply(e, true);
      seq.start(s.seq);
      $('#node-count').textContent = `${s.nodes.length} of ${s.nodeCount} nodes` + (why ? ` · reloaded after ${why}` : '');
      layout();
    } catch (e) {
      console.warn('state', e);
    } finally {
      loading = null;
    }
  })();
  return loading;
}

function setEngines(rows) {
  model.engines.clear();
  for (const e of rows) model.engines.set(e.id, { ...e, nodes: [] });
  for (const n of model.nodes.values()) {
    const e = model.engines.get(n.engine);
    if (e) e.nodes.push(n);
  }
}

// --- events -----------------------------------------------------------------------------------------------------
function apply(e, history = false) {
  const p = e.payload || {};
  const now = performance.now();
  $('#seq').textContent = `seq ${e.seq}`;
  switch (e.type) {
    case 'stimulus.injected': {
      let s = model.stimuli.get(e.stimulusId);
      if (!s) {
        s = { id: e.stimulusId, source: p.source, engines: new Map(), seq: e.seq };
        model.stimuli.set(e.stimulusId, s);
      }
      s.engines.set(e.engine, p);
      if (p.budget && p.source) model.gamma.set(p.source, p.budget.gain);
      renderStimulus(s);
      break;
    }
    case 'stimulus.item_injected': {
      const n = model.nodes.get(p.nodeId);
      if (n && typeof p.gapAfter === 'number') { n.energy = Math.max(0, n.threshold - p.gapAfter); changed.add(n); }
      break;
    }
    case 'node.flipped': {
      const n = model.nodes.get(p.nodeId);
      if (n) {
        n.energy = p.energy;
        n.active = true;
        changed.add(n);
        if (!history) flashingUntil = n.flashUntil = now + FLASH_MS;
      }
      log('#flips', `⚡ ${p.nodeId} flipped in ${e.engine} · energy ${fmt(p.energy, 1)} ≥ threshold ${fmt(p.threshold, 0)}`, 'flip',
        { node: p.nodeId });
      break;
    }
    case 'node.deactivated': {
      const n = model.nodes.get(p.nodeId);
      if (n) { n.active = false; n.energy = p.energy; changed.add(n); }
      break;
    }
    case 'membrane.transfer.down':
    case 'membrane.transfer.up': {
      const dir = e.type.endsWith('down') ? 'down' : 'up';
      log('#transfers', `${dir === 'down' ? '⇣' : '⇡'} ${p.nodeId} → ${p.to} · fit ${fmt(p.fit)} × κ ${fmt(p.kappa)} = ${fmt(p.score, 3)} · ` +
        `${p.status}, ${p.flips} flip(s)${p.flippedNodes && p.flippedNodes.length ? ' woke ' + p.flippedNodes.join(', ') : ''}`,
        `transfer ${dir}`, { transfer: p.transferId, to: p.to });
      if (!history) model.arrows.push({ from: p.nodeId, to: p.to, kind: dir, until: now + ARROW_MS });
      break;
    }
    case 'membrane.export.rejected': {
      log('#transfers', `✕ ${p.nodeId || e.engine} (${p.direction}, ${p.membrane}) rejected: ${p.reason} · score ${fmt(p.score, 3)}`,
        'transfer rejected', { membrane: p.membrane });
      const [from, to] = String(p.membrane || '').split('>');
      const target = p.direction === 'down' ? from : to;
      if (!history && target) model.arrows.push({ from: p.nodeId || e.engine, to: target, kind: 'rejected', until: now + ARROW_MS });
      break;
    }
    case 'membrane.permeability.updated':
      kappaPoint(p.membrane, p.direction, p.new);
      break;
    case 'events.gap':
      if (!history) loadState('events.gap');
      break;
    default:
  }
}

function log(sel, text, cls, data = {}) {
  const list = $(sel);
  const li = document.createElement('li');
  li.textContent = text;
  li.className = cls;
  for (const [k, v] of Object.entries(data)) li.dataset[k] = v;
  list.prepend(li);
  while (list.children.length > LOG_LINES) list.lastChild.remove();
}

// --- the engines canvas: one panel per engine, one cell per node -----------------------------------------------------
const canvas = $('#engines');
const ctx = canvas.getContext('2d');
let panels = [], dirty = true, headersStale = false, flashingUntil = 0, wasMoving = false;
/** Nodes whose cell changed since the last frame (redrawn alone on the offscreen canvas, with their panel's header). */
const changed = new Set();
/** Durations of the last draws (ms), shown in the header: the page's own account of its frame cost. */
const drawMs = [];

function layout() {
  const width = canvas.parentElement.clientWidth;
  const engines = [...model.engines.values()];
  const upper = engines.filter((e) => (e.level ?? 1) > 1), lower = engines.filter((e) => (e.level ?? 1) <= 1);
  const rows = [upper, lower].filter((r) => r.length);
  const gap = 10, head = 30;
  panels = [];
  let y = 0;
  for (const row of rows) {
    const w = (width - gap * (row.length - 1)) / row.length;
    const most = Math.max(1, ...row.map((e) => e.nodes.length));
    const cols = Math.max(1, Math.ceil(Math.sqrt(most * w / 140)));
    const cell = Math.max(2, Math.min(22, Math.floor((w - 8) / cols)));
    const h = head + Math.ceil(most / cols) * cell + 8;
    row.forEach((e, i) => {
      const x = i * (w + gap);
      panels.push({ engine: e, x, y, w, h, cell, cols, head });
      e.nodes.forEach((n, k) => {
        n.x = x + 4 + (k % cols) * cell;
        n.y = y + head + Math.floor(k / cols) * cell;
        n.cell = cell;
      });
    });
    y += h + gap + (rows.length > 1 ? 30 : 0);
  }
  const dpr = window.devicePixelRatio || 1;
  canvas.width = width * dpr;
  canvas.height = Math.max(y, 100) * dpr;
  canvas.style.height = `${Math.max(y, 100)}px`;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  dirty = true;
}

/** Energy relative to threshold in this many colour steps: nodes of one step are filled as one path. */
const STEPS = 16;
const STEP_COLORS = Array.from({ length: STEPS }, (_, i) => {
  const r = i / (STEPS - 1); // cold blue → warm amber as the node nears its threshold
  const c = (a, b) => Math.round(a + (b - a) * r);
  return `rgb(${c(29, 199)},${c(59, 119)},${c(92, 42)})`;
});
const ACTIVE_COLOR = '#ffd34d';

function step(n) {
  const r = Math.max(0, Math.min(1, n.energy / (n.threshold || model.thresholdDefault)));
  return Math.min(STEPS - 1, Math.floor(r * STEPS));
}

// The panels and node cells change only when an event changes a node: they are drawn into an offscreen canvas then,
// and each animation frame copies it and adds what moves (flashes, arrows). 5,000 nodes cost one fill per colour step.
const base = document.createElement('canvas');
const baseCtx = base.getContext('2d');

function drawBase(width, height, dpr) {
  if (base.width !== canvas.width || base.height !== canvas.height) {
    base.width = canvas.width;
    base.height = canvas.height;
  }
  const g = baseCtx;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '12px system-ui, sans-serif';
  const paths = Array.from({ length: STEPS + 1 }, () => new Path2D());
  for (const p of panels) {
    const e = p.engine;
    g.fillStyle = '#11171d';
    g.strokeStyle = '#2a323c';
    g.fillRect(p.x, p.y, p.w, p.h);
    g.strokeRect(p.x + 0.5, p.y + 0.5, p.w - 1, p.h - 1);
    const inset = p.cell > 4 ? 1 : 0;
    for (const n of e.nodes) paths[n.active ? STEPS : step(n)].rect(n.x, n.y, n.cell - inset, n.cell - inset);
    panelHeader(g, p);
  }
  paths.forEach((path, i) => {
    g.fillStyle = i === STEPS ? ACTIVE_COLOR : STEP_COLORS[i];
    g.fill(path);
  });
}

function panelHeader(g, p) {
  const e = p.engine;
  let active = 0;
  for (const n of e.nodes) if (n.active) active++;
  g.fillStyle = '#11171d';
  g.fillRect(p.x + 1, p.y + 1, p.w - 2, p.head - 2);
  g.fillStyle = '#d7dde4';
  g.fillText(`${e.id}`, p.x + 6, p.y + 13);
  g.fillStyle = '#8a96a3';
  g.fillText(`L${e.level ?? '?'} · active ${active}/${e.activeTarget ?? '?'} · f(ρ) ${fmt(e.health)}`, p.x + 6, p.y + 25);
}

function drawChanged(dpr) {
  const g = baseCtx;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.font = '12px system-ui, sans-serif';
  const engines = new Set();
  for (const n of changed) {
    if (n.x === undefined) continue;
    const inset = n.cell > 4 ? 1 : 0;
    g.fillStyle = '#11171d';
    g.fillRect(n.x, n.y, n.cell, n.cell);
    g.fillStyle = n.active ? ACTIVE_COLOR : STEP_COLORS[step(n)];
    g.fillRect(n.x, n.y, n.cell - inset, n.cell - inset);
    engines.add(n.engine);
  }
  for (const p of panels) if (headersStale || engines.has(p.engine.id)) panelHeader(g, p);
  headersStale = false;
}

function draw(now) {
  model.arrows = model.arrows.filter((a) => a.until > now);
  const moving = flashingUntil > now || model.arrows.length;
  if (!dirty && !changed.size && !headersStale && !moving && !wasMoving) return;
  wasMoving = moving;
  const t0 = performance.now();
  const width = canvas.clientWidth, height = canvas.clientHeight, dpr = window.devicePixelRatio || 1;
  if (dirty) drawBase(width, height, dpr);
  else if (changed.size || headersStale) drawChanged(dpr);
  dirty = false;
  changed.clear();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(base, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  if (flashingUntil > now) {
    ctx.lineWidth = 2;
    for (const n of model.nodes.values()) {
      if (n.flashUntil > now && n.x !== undefined) {
        ctx.strokeStyle = `rgba(255,255,255,${(n.flashUntil - now) / FLASH_MS})`;
        ctx.strokeRect(n.x - 1, n.y - 1, n.cell + 1, n.cell + 1);
      }
    }
    ctx.lineWidth = 1;
  }
  for (const a of model.arrows) drawArrow(a, now);
  drawMs.push(performance.now() - t0);
  if (drawMs.length > 120) drawMs.shift();
  if (drawMs.length % 10 === 0 || drawMs.length < 10) {
    const sorted = [...drawMs].sort((a, b) => a - b);
    const q = (f) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
    $('#draw-stats').textContent = `draw p50 ${q(0.5).toFixed(1)} ms · p95 ${q(0.95).toFixed(1)} ms over ${sorted.length} frames`;
  }
}

function anchor(id) {
  const n = model.nodes.get(id);
  if (n && n.x !== undefined) return { x: n.x + n.cell / 2, y: n.y + n.cell / 2 };
  const p = panels.find((q) => q.engine.id === id);
  return p ? { x: p.x + p.w / 2, y: p.y + p.h / 2 } : null;
}

function drawArrow(a, now) {
  const from = anchor(a.from);
  const p = panels.find((q) => q.engine.id === a.to);
  if (!from || !p) return;
  const to = { x: p.x + p.w / 2, y: from.y < p.y ? p.y : p.y + p.h };
  const alpha = Math.min(1, (a.until - now) / 1500);
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = ctx.fillStyle = a.kind === 'down' ? '#5fb3ff' : a.kind === 'up' ? '#b58cff' : '#ff6b6b';
  ctx.lineWidth = 2;
  ctx.setLineDash(a.kind === 'rejected' ? [6, 4] : []);
  ctx.beginPath();
  ctx.moveTo(from.x, from.y);
  ctx.lineTo(to.x, to.y);
  ctx.stroke();
  ctx.setLineDash([]);
  const ang = Math.atan2(to.y - from.y, to.x - from.x);
  ctx.beginPath();
  ctx.moveTo(to.x, to.y);
  ctx.lineTo(to.x - 10 * Math.cos(ang - 0.4), to.y - 10 * Math.sin(ang - 0.4));
  ctx.lineTo(to.x - 10 * Math.cos(ang + 0.4), to.y - 10 * Math.sin(ang + 0.4));
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.lineWidth = 1;
}

function frame(now) {
  draw(now);
  requestAnimationFrame(frame);
}

canvas.addEventListener('mousemove', (ev) => {
  const r = canvas.getBoundingClientRect();
  const x = ev.clientX - r.left, y = ev.clientY - r.top;
  for (const n of model.nodes.values()) {
    if (n.x !== undefined && x >= n.x && x < n.x + n.cell && y >= n.y && y < n.y + n.cell) {
      canvas.title = `${n.id} · E ${fmt(n.energy, 1)} / Θ ${fmt(n.threshold, 0)}${n.active ? ' · active' : ''}`;
      return;
    }
  }
  canvas.title = '';
});
window.addEventListener('resize', layout);

// --- slow-moving state: health, κ, sources, measures (polled for the charts) -------------------------------------------
const kappaSeries = new Map(); // "membrane down" -> index
const kappaData = [[]];
const yieldSeries = new Map();
const yieldData = [[]];
let kappaPlot = null, yieldPlot = null;

function plot(el, data, series) {
  return new uPlot({
    width: el.clientWidth || 360, height: 150,
    scales: { x: { time: true } },
    series: [{}, ...series],
    axes: [{ stroke: '#8a96a3', grid: { stroke: '#1f262e' } }, { stroke: '#8a96a3', grid: { stroke: '#1f262e' } }],
    legend: { live: false },
  }, data, el);
}

const PALETTE = ['#5fb3ff', '#b58cff', '#ffd34d', '#8ff0a4', '#ff9f6b', '#ff6b6b', '#6bf0e0', '#f06bd2'];

function pushPoint(store, data, key, value, t) {
  if (!store.has(key)) {
    store.set(key, data.length);
    data.push(data[0].map(() => null));
  }
  data[store.get(key)][data[0].length - 1] = value;
}

function samplePoint(data) {
  data[0].push(Date.now() / 1000);
  for (let i = 1; i < data.length; i++) data[i].push(null);
  if (data[0].length > CHART_POINTS) data.forEach((s) => s.shift());
}

function redraw(which) {
  const isKappa = which === 'kappa';
  const store = isKappa ? kappaSeries : yieldSeries, data = isKappa ? kappaData : yieldData;
  const el = isKappa ? $('#kappa-chart') : $('#yield-chart');
  let plotObj = isKappa ? kappaPlot : yieldPlot;
  if (!plotObj || plotObj.series.length !== data.length) {
    if (plotObj) plotObj.destroy();
    const series = [...store.keys()].map((k, i) => ({ label: k, stroke: PALETTE[i % PALETTE.length], spanGaps: true, width: 1.5 }));
    plotObj = plot(el, data, series);
    if (isKappa) kappaPlot = plotObj; else yieldPlot = plotObj;
  } else {
    plotObj.setData(data);
  }
}

function kappaPoint(membrane, direction, value) {
  samplePoint(kappaData);
  pushPoint(kappaSeries, kappaData, `${membrane} κ${direction === 'up' ? '↑' : '↓'}`, value);
  redraw('kappa');
}

function setSlow(s) {
  for (const e of s.engines) {
    const mine = model.engines.get(e.id);
    if (mine) Object.assign(mine, { activeCount: e.activeCount, activeTarget: e.activeTarget, health: e.health, rho: e.rho });
  }
  samplePoint(kappaData);
  for (const m of s.membranes) {
    pushPoint(kappaSeries, kappaData, `${m.membrane} κ↓`, m.kappaDown);
    pushPoint(kappaSeries, kappaData, `${m.membrane} κ↑`, m.kappaUp);
  }
  redraw('kappa');
  const tbody = $('#sources tbody');
  tbody.replaceChildren(...s.sources.map((r) => row([r.id, fmt(r.trust), fmt(r.utility), fmt(r.harm), fmt(r.mass),
    fmt(r.gate), fmt(model.gamma.get(r.id))])));
  setMeasures(s.metrics);
  headersStale = true; // f(ρ) and active counts changed: the panel headers only
}

function setMeasures(metrics) {
  const byEngine = new Map(metrics.map((m) => [m.engine, m]));
  const rows = [...model.engines.values()].map((e) => {
    const m = byEngine.get(e.id) || { attribution: {} };
    const share = (x) => (typeof x === 'number' ? `${x >= 0 ? '+' : ''}${(100 * x).toFixed(0)}%` : '–');
    return row([e.id, `${e.activeCount ?? '–'}/${e.activeTarget ?? '–'}`, fmt(e.health), fmt(m.flipYield, 3),
      fmt(m.effectiveNodes, 1), share(m.attribution.health), share(m.attribution.source), share(m.attribution.peripheral)]);
  });
  $('#measures tbody').replaceChildren(...rows);
  samplePoint(yieldData);
  for (const m of metrics) pushPoint(yieldSeries, yieldData, m.engine, m.flipYield);
  redraw('yield');
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    tr.append(td);
  }
  return tr;
}

async function poll() {
  try {
    if (ws && ws.readyState === WebSocket.OPEN) setSlow(await api('/api/state?nodes=false'));
  } catch (e) {
    console.warn('poll', e);
  }
  setTimeout(poll, POLL_MS);
}

// --- stimuli and the inspector ------------------------------------------------------------------------------------
function renderStimulus(s) {
  let li = document.querySelector(`#stimuli li[data-id="${CSS.escape(s.id)}"]`);
  if (!li) {
    li = document.createElement('li');
    li.dataset.id = s.id;
    li.addEventListener('click', () => inspect(s.id, li));
    $('#stimuli').prepend(li);
    while ($('#stimuli').children.length > LOG_LINES) $('#stimuli').lastChild.remove();
  }
  const engines = [...s.engines.entries()];
  const flips = engines.reduce((a, [, p]) => a + (p.flips || 0), 0);
  const budget = engines.reduce((a, [, p]) => a + ((p.budget && p.budget.final) || 0), 0);
  li.textContent = `${s.id} · ${s.source} → ${engines.map(([e]) => e).join(', ')} · B ${fmt(budget, 1)} · ${flips} flip(s)`;
}

async function inspect(id, li) {
  document.querySelectorAll('#stimuli li.sel').forEach((x) => x.classList.remove('sel'));
  li.classList.add('sel');
  const box = $('#inspector');
  box.hidden = false;
  box.textContent = 'loading…';
  try {
    const s = await api(`/api/stimulus?id=${encodeURIComponent(id)}`);
    const local = model.stimuli.get(id);
    const budgets = new Map();
    for (const e of s.events) if (e.type === 'stimulus.injected') budgets.set(e.engine, e.payload);
    if (local) for (const [k, v] of local.engines) if (!budgets.has(k)) budgets.set(k, v);
    box.replaceChildren();
    const h = document.createElement('h3');
    h.textContent = `${s.id} · ${s.source} · ${s.scope}/${s.channel} · status ${s.status}`;
    box.append(h);
    for (const [engine, p] of budgets) {
      const b = p.budget || {};
      const div = document.createElement('div');
      div.className = 'factors';
      div.innerHTML = '';
      const parts = [`<b>${escapeHtml(engine)}</b>`, `gap mass ${fmt(b.gapMass, 1)}`, `base ${fmt(b.base, 1)}`,
        `× health ${fmt(b.health)}`, `× source ${fmt(b.source)}`, `× peripheral ${fmt(b.peripheral)}`, `× gain ${fmt(b.gain)}`,
        `= <b>${fmt(b.final, 1)}</b>`, `delivered ${fmt(p.delivered, 1)}`, `${p.flips} flip(s)`,
        `matches ${p.matches} (H ${fmt(p.entropy)})`];
      div.innerHTML = parts.map((x) => `<span>${x}</span>`).join('');
      box.append(div);
    }
    const t = document.createElement('table');
    t.innerHTML = '<thead><tr><th>node</th><th>engine</th><th>similarity</th><th>gap before</th><th>ΔE</th></tr></thead>';
    const tb = document.createElement('tbody');
    for (const i of s.items) tb.append(row([i.nodeId, i.engine, fmt(i.similarity), fmt(i.gapBefore, 1), fmt(i.deltaE, 2)]));
    t.append(tb);
    box.append(t);
    if (s.transfers.length) {
      const p = document.createElement('p');
      p.textContent = 'carried by: ' + s.transfers.map((x) => `${x.direction} ${x.membrane} (${x.status})`).join(', ');
      box.append(p);
    }
  } catch (e) {
    box.textContent = `could not load ${id}: ${e.message}`;
  }
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// --- the inject form: a real envelope over the same WebSocket --------------------------------------------------------
$('#inject').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const id = `ui-${crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2)}`;
  const envelope = { type: 'membrane.inject', id, scope: f.get('scope'), source: f.get('source'), channel: f.get('channel'),
    content: f.get('content'), origin: 'ui' };
  const out = $('#ack');
  if (!ws || ws.readyState !== WebSocket.OPEN) {
    out.textContent = 'not connected to the bus: try again when the status says live';
    out.className = 'retry';
    return;
  }
  pendingAcks.set(id, Date.now());
  ws.send(JSON.stringify(envelope));
  out.textContent = `sent ${id}, waiting for its ack…`;
  out.className = 'sent';
});

function showAck(a) {
  const out = $('#ack');
  const sent = pendingAcks.get(a.id);
  pendingAcks.delete(a.id);
  const engines = (a.engines || []).map((e) => (typeof e === 'string' ? e : e.engine)).join(', ');
  out.textContent = `ack ${a.id}: ${a.status}${a.reason ? ` (${a.reason})` : ''}` +
    (a.status === 'accepted' ? ` · engines ${engines || 'none'} · ${a.flips ?? 0} flip(s)` : '') +
    (sent ? ` · ${Date.now() - sent} ms` : '');
  out.className = a.status;
  out.dataset.status = a.status;
}

$('#token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  token = $('#token').value.trim();
  sessionStorage.setItem('membrane.token', token);
  $('#token-form').hidden = true;
  if (ws) ws.close(); else connect();
});

// --- start ----------------------------------------------------------------------------------------------------------
(async () => {
  try {
    config = await (await fetch('/api/config')).json();
  } catch (e) {
    console.warn('config', e);
  }
  if (config.tokenRequired && !token) {
    askToken();
  } else {
    connect();
  }
  requestAnimationFrame(frame);
  setTimeout(poll, POLL_MS);
})();
