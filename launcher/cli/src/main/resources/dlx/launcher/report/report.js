/*
 * dlx report: what every page shares. Data comes from data/*.js files (globals), because a page
 * opened from file:// may not fetch JSON. Everything a run holds is user text: it reaches the page
 * through textContent and attributes set one by one, never as markup (no innerHTML with data).
 */
(function () {
  'use strict';
  const DLX = window.DLX = {};
  window.DLX_CHARTS = []; // every chart drawn: {title, labels, plot} (the browser tests read it)

  /** An element with attributes and children; strings become text nodes. */
  DLX.el = function (tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'href' || k === 'src') e.setAttribute(k, DLX.safeUrl(v));
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
    }
    return e;
  };
  /** Links stay relative: no scheme (javascript:, http:) is ever put in an href or src. */
  DLX.safeUrl = u => (/^\s*[a-z][a-z0-9+.-]*:/i.test(String(u)) ? '#' : String(u));
  DLX.clear = node => { while (node.firstChild) node.removeChild(node.firstChild); return node; };

  // ---- formatting
  DLX.num = function (v) {
    if (typeof v !== 'number') return String(v);
    if (!isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    const a = Math.abs(v);
    if (a < 1e-3 || a >= 1e6) return v.toExponential(2).replace('e+', 'e');
    return String(Number(v.toPrecision(4)));
  };
  /** Axis ticks: as many decimals as the step between them needs (0.8997, 0.8998 stay apart); exponents when tiny or huge. */
  DLX.ticks = function (splits) {
    const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 0;
    const big = Math.max(...splits.map(v => Math.abs(v || 0)));
    return splits.map(v => {
      if (v == null) return '';
      if (big >= 1e6 || (big > 0 && big < 1e-3)) {
        const digits = step > 0 && v !== 0 ? Math.min(6, Math.max(0, Math.floor(Math.log10(Math.abs(v))) - Math.floor(Math.log10(step)))) : 0;
        return v.toExponential(digits).replace('e+', 'e');
      }
      const decimals = step > 0 ? Math.min(10, Math.max(0, -Math.floor(Math.log10(step) + 1e-9))) : 0;
      return String(Number(v.toFixed(decimals)));
    });
  };
  DLX.text = v => (v == null ? '' : typeof v === 'number' ? DLX.num(v) : typeof v === 'object' ? DLX.compact(v) : String(v));
  /** A nested value on one line: [1, 2] or {a: 1} (for table cells and differences). */
  DLX.compact = function (v) {
    if (v == null) return '—';
    if (Array.isArray(v)) return '[' + v.map(DLX.compact).join(', ') + ']';
    if (typeof v === 'object') return '{' + Object.entries(v).map(([k, x]) => k + ': ' + DLX.compact(x)).join(', ') + '}';
    return typeof v === 'number' ? DLX.num(v) : String(v);
  };
  DLX.duration = function (s) {
    if (s == null || !isFinite(s)) return '';
    if (s < 10) return s.toFixed(2) + ' s';
    if (s < 120) return s.toFixed(1) + ' s';
    if (s < 7200) return Math.floor(s / 60) + ' min ' + String(Math.round(s % 60)).padStart(2, '0') + ' s';
    return Math.floor(s / 3600) + ' h ' + String(Math.round((s % 3600) / 60)).padStart(2, '0') + ' min';
  };
  DLX.time = iso => (iso ? String(iso).replace('T', ' ').replace(/(\.\d+)?Z$/, '') : '');
  DLX.bytes = n => (n == null ? '' : n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB');
  DLX.badge = s => DLX.el('span', {class: 'badge s-' + String(s).replace(/[^a-z-]/g, ''), text: s});

  const isScalar = v => v == null || typeof v !== 'object';

  /** A value as a person reads it: numbers rounded (exact on hover), lists inline, matrices and maps as tables. */
  DLX.value = function (v) {
    if (v == null) return DLX.el('span', {class: 'null', text: '—'});
    if (typeof v === 'number') return DLX.el('span', {class: 'num', title: String(v), text: DLX.num(v)});
    if (typeof v === 'boolean') return DLX.el('span', {class: 'bool ' + v, text: String(v)});
    if (typeof v === 'string') return DLX.el('span', {class: 'str', text: v});
    if (Array.isArray(v)) {
      if (v.every(isScalar)) {
        const shown = v.slice(0, 60).map(x => (typeof x === 'number' ? DLX.num(x) : String(x)));
        return DLX.el('span', {class: 'list', title: v.length > 60 ? v.length + ' values' : null},
          '[' + shown.join(', ') + (v.length > 60 ? ', … ' + (v.length - 60) + ' more' : '') + ']');
      }
      if (v.length && v.every(r => Array.isArray(r) && r.every(isScalar))) {
        return DLX.el('table', {class: 'matrix'}, v.slice(0, 50).map(r => DLX.el('tr', null,
          r.slice(0, 30).map(x => DLX.el('td', {title: String(x)}, typeof x === 'number' ? DLX.num(x) : String(x))))));
      }
      const flat = x => isScalar(x) || (Array.isArray(x) && x.every(isScalar));
      if (v.length && v.every(r => r != null && typeof r === 'object' && !Array.isArray(r) && Object.values(r).every(flat))) {
        // records (e.g. gradient checks): one row each, one column per field
        const cols = [...new Set(v.flatMap(r => Object.keys(r)))];
        return DLX.el('table', {class: 'records'}, DLX.el('thead', null, DLX.el('tr', null, cols.map(c => DLX.el('th', null, c)))),
          DLX.el('tbody', null, v.slice(0, 200).map(r => DLX.el('tr', null, cols.map(c => DLX.el('td', null, DLX.value(r[c])))))));
      }
      return DLX.kv(Object.fromEntries(v.map((x, i) => [String(i), x])));
    }
    return DLX.kv(v);
  };
  /** A map as a two-column table; {@code mark(key)} may add a class to a row. */
  DLX.kv = function (map, mark) {
    const rows = Object.entries(map || {});
    if (!rows.length) return DLX.el('p', {class: 'muted', text: 'none'});
    return DLX.el('table', {class: 'kv'}, DLX.el('tbody', null, rows.map(([k, x]) =>
      DLX.el('tr', {class: mark ? mark(k) : null}, DLX.el('td', null, k), DLX.el('td', null, DLX.value(x))))));
  };
  /** Nested maps as dotted keys with one-line values (compare view). */
  DLX.flatten = function (v, prefix, out) {
    out = out || {};
    if (v != null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
      for (const [k, x] of Object.entries(v)) DLX.flatten(x, prefix ? prefix + '.' + k : k, out);
    } else if (prefix) {
      out[prefix] = v;
    }
    return out;
  };

  // ---- data files
  /** Loads a script of this folder (a data file); resolves when it ran. */
  DLX.load = src => new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => { s.remove(); resolve(); };
    s.onerror = () => { s.remove(); reject(new Error('cannot load ' + src)); };
    document.head.append(s);
  });
  DLX.validToken = t => /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(t) || /^_\/[0-9a-f]{16}$/.test(t);
  /** The file that holds a run's page data: data/runs/<experiment>/<low byte of FNV-1a of the run's name>.js (ReportSite.chunk). */
  DLX.chunk = function (token) {
    const slash = token.indexOf('/');
    let h = 0x811c9dc5;
    for (let i = slash + 1; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
    return token.slice(0, slash + 1) + (h & 0xff).toString(16).padStart(2, '0');
  };
  /** One run's page data. */
  DLX.loadRun = async function (token, fresh) {
    if (!DLX.validToken(token)) throw new Error('not a run of this report: ' + token);
    const runs = window.DLX_RUNS || {};
    if (!fresh && runs[token]) return runs[token];
    await DLX.load('data/runs/' + DLX.chunk(token) + '.js' + (fresh ? '?v=' + Date.now() : ''));
    const run = (window.DLX_RUNS || {})[token];
    if (!run) throw new Error('no run ' + token + ' in this report (built before the run?): build it again with dlx report');
    return run;
  };
  DLX.runLink = (token, text) => DLX.el('a', {href: 'run.html#' + token, class: 'mono'}, text);

  /** Served by dlx report --serve: redraw when a new build lands (checked every 2 s). Not from file://. */
  DLX.live = function (onChange) {
    if (!/^https?:$/.test(location.protocol)) return;
    let stamp = window.DLX_STAMP;
    setInterval(async () => {
      try { await DLX.load('data/stamp.js?v=' + Date.now()); } catch (e) { return; }
      if (window.DLX_STAMP !== stamp) { stamp = window.DLX_STAMP; onChange(); }
    }, 2000);
  };

  // ---- charts (uPlot)
  DLX.palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
  DLX.dashes = [null, [6, 4], [2, 3], [10, 4, 2, 4]];

  /** Series {key: {x, y, n}} grouped by name: valLoss{run=a} and valLoss{run=b} are two lines of one chart. */
  DLX.groupSeries = function (series) {
    const groups = new Map();
    for (const [key, s] of Object.entries(series || {})) {
      const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key) || [key, key, ''];
      if (!groups.has(m[1])) groups.set(m[1], []);
      groups.get(m[1]).push({labels: m[2] || '', x: s.x, y: s.y, n: s.n});
    }
    return groups;
  };

  /** Pairs sorted by x (uPlot needs ascending x), non-numbers dropped. */
  function sorted(x, y) {
    const idx = [];
    for (let i = 0; i < x.length; i++) if (typeof x[i] === 'number') idx.push(i);
    idx.sort((a, b) => x[a] - x[b]);
    return [idx.map(i => x[i]), idx.map(i => (typeof y[i] === 'number' ? y[i] : null))];
  }

  /**
   * An interactive chart in {@code box}: lines [{label, x, y, color, dash}], drag to zoom (double-click
   * resets), values of every line under the cursor in the legend. {@code spec.points}: every point a dot
   * (a metric against a parameter). {@code spec.xNames}: category names for x = 0, 1, 2, ...
   */
  DLX.chart = function (box, spec) {
    const lines = spec.lines.filter(l => l.x && l.x.length);
    if (!lines.length) { box.append(DLX.el('p', {class: 'muted', text: 'no points'})); return null; }
    const tables = lines.map(l => sorted(l.x, l.y));
    const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
    const positive = arr => arr.every(v => v == null || v > 0);
    const yLog = spec.yLog && tables.every(t => positive(t[1]));
    const xLog = spec.xLog && tables.every(t => positive(t[0]));
    const fmt = (u, v) => (v == null ? '—' : DLX.num(v));
    // the legend shows the values under the cursor, and each line's last value while the cursor is elsewhere
    const last = col => { for (let i = col.length - 1; i >= 0; i--) if (col[i] != null) return col[i]; return null; };
    const legend = (u, v, si, idx) => fmt(u, idx == null ? last(u.data[si]) : v);
    // steps and epochs: whole numbers on the x axis
    const wholeX = !spec.xNames && !xLog && tables.every(t => t[0].every(Number.isInteger));
    const wholeSteps = [];
    for (let e = 1; e <= 1e9; e *= 10) wholeSteps.push(e, 2 * e, 5 * e);
    const opts = {
      width: Math.max(300, box.clientWidth || 600),
      height: spec.height || 260,
      scales: {x: {time: false, distr: xLog ? 3 : 1}, y: {distr: yLog ? 3 : 1}},
      axes: [
        {label: spec.xLabel || null, labelSize: 20, size: 36, incrs: wholeX ? wholeSteps : undefined,
         values: spec.xNames ? (u, splits) => splits.map(v => (Number.isInteger(v) && spec.xNames[v] != null ? spec.xNames[v] : '')) :
           (u, splits) => (xLog ? splits.map(v => (v == null ? '' : DLX.num(v))) : DLX.ticks(splits))},
        {label: spec.yLabel || null, labelSize: 20, size: 64,
         values: (u, splits) => (yLog ? splits.map(v => (v == null ? '' : DLX.num(v))) : DLX.ticks(splits))},
      ],
      series: [{label: spec.xLabel || 'x', value: spec.xNames ? (u, v) => (v == null ? '—' : spec.xNames[v]) : legend}].concat(lines.map((l, i) => {
        const color = l.color || DLX.palette[i % DLX.palette.length];
        const s = {label: l.label, stroke: color, width: 1.75, spanGaps: true, value: spec.points ? fmt : legend, dash: l.dash || undefined};
        if (spec.points) Object.assign(s, {width: 1, points: {show: true, size: 8, fill: color, stroke: color}});
        return s;
      })),
      cursor: {drag: {x: true, y: false}},
      legend: {live: true},
    };
    const plot = new uPlot(opts, data, box);
    window.DLX_CHARTS.push({title: spec.title, labels: lines.map(l => l.label), plot: plot, box: box});
    if (window.ResizeObserver) {
      new ResizeObserver(() => {
        const w = Math.max(300, box.clientWidth);
        if (Math.abs(w - plot.width) > 4) plot.setSize({width: w, height: opts.height});
      }).observe(box);
    }
    return plot;
  };

  /** Four or more positive values, each at least 1.8 times the one before (0.001, 0.01, 0.1, 1 or 1, 2, 4, 8): read on a log axis. */
  const geometric = xs => {
    const v = [...new Set(xs.filter(x => typeof x === 'number'))].sort((a, b) => a - b);
    return v.length >= 4 && v[0] > 0 && v.every((x, i) => i === 0 || x / v[i - 1] >= 1.8);
  };

  /**
   * A chart with its heading and log-scale switches: y when every value is positive, x when every
   * x is (on from the start when the x values grow geometrically: a sweep of λ, of batch sizes).
   */
  DLX.chartBox = function (spec) {
    const body = DLX.el('div');
    const positive = vs => vs.length > 1 && vs.every(v => v > 0);
    const ys = spec.lines.flatMap(l => l.y || []).filter(v => typeof v === 'number');
    const xs = spec.xNames ? [] : spec.lines.flatMap(l => l.x || []).filter(v => typeof v === 'number');
    const state = {y: false, x: positive(xs) && (spec.xLog || geometric(xs))};
    let plot = null;
    const draw = () => {
      if (plot) {
        plot.destroy();
        window.DLX_CHARTS = window.DLX_CHARTS.filter(c => c.plot !== plot);
      }
      DLX.clear(body);
      plot = DLX.chart(body, Object.assign({}, spec, {yLog: state.y, xLog: state.x}));
    };
    const toggle = (axis, on) => {
      const box = DLX.el('input', {type: 'checkbox', checked: on, onchange: e => { state[axis] = e.target.checked; draw(); }});
      return DLX.el('label', null, box, ' log ' + axis);
    };
    const box = DLX.el('div', {class: 'chart-box', 'data-title': spec.title},
      DLX.el('div', {class: 'chart-head'}, DLX.el('h3', null, spec.title),
        spec.note ? DLX.el('span', {class: 'hint', text: spec.note}) : null,
        DLX.el('span', {class: 'switches'}, positive(xs) ? toggle('x', state.x) : null, positive(ys) ? toggle('y', false) : null)),
      body,
      DLX.el('div', {class: 'hint', text: 'drag to zoom, double-click to reset'}));
    box.draw = draw;
    return box;
  };
  /** Charts are drawn once their boxes are in the page (uPlot sizes to the box). */
  DLX.drawCharts = root => root.querySelectorAll('.chart-box').forEach(b => b.draw && b.draw());

  // ---- page frame
  DLX.frame = function () {
    const page = document.body.dataset.page;
    document.querySelectorAll('header.top nav a').forEach(a => a.classList.toggle('active', a.dataset.nav === page));
    const idx = window.DLX_INDEX;
    if (idx) {
      const where = document.getElementById('where');
      where.textContent = idx.results;
      where.title = 'results folder ' + idx.results + ', report built ' + DLX.time(idx.generated) + ' UTC';
    }
    window.DLX_CHARTS = [];
    return DLX.clear(document.getElementById('app'));
  };
  DLX.hash = () => new URLSearchParams(location.hash.slice(1));
  DLX.section = (title, ...children) => DLX.el('section', {class: 'card'}, DLX.el('h2', null, title), children);
  DLX.fail = function (app, err) {
    app.append(DLX.el('div', {class: 'alert error'}, String(err && err.message || err)));
  };
})();
