/*
 * The index: every run of the results folder, 100 to a page. Sort by any column (click its head),
 * filter by text, status and experiment; the state lives in the address (#q=..&status=..), so a
 * reload or a link keeps it. Columns: the fixed ones, the parameters that vary between the shown
 * runs, and the metrics most of them have (or those picked under "Columns").
 */
(function () {
  'use strict';
  const {el} = DLX;
  const FIXED = [
    {id: 'e', name: 'experiment', cls: 'exp'}, {id: 'id', name: 'run', cls: 'id'}, {id: 's', name: 'status'},
    {id: 'st', name: 'started (UTC)'}, {id: 'd', name: 'duration', cls: 'num'}, {id: 'dev', name: 'device'}];
  const HEADLINE = 6;
  const state = {q: '', status: '', exp: '', sort: '-st', page: 1, size: 100, cols: null, sel: new Set()};
  let rows = [];
  let parts = null;

  function readHash() {
    const h = DLX.hash();
    state.q = h.get('q') || '';
    state.status = h.get('status') || '';
    state.exp = h.get('exp') || '';
    state.sort = h.get('sort') || '-st';
    state.page = Math.max(1, parseInt(h.get('page') || '1', 10) || 1);
    state.size = [50, 100, 500].includes(parseInt(h.get('size'), 10)) ? parseInt(h.get('size'), 10) : 100;
    state.cols = h.has('cols') ? h.get('cols').split(',').filter(Boolean) : null;
    state.sel = new Set((h.get('sel') || '').split(',').filter(DLX.validToken));
  }
  function writeHash() {
    const h = new URLSearchParams();
    if (state.q) h.set('q', state.q);
    if (state.status) h.set('status', state.status);
    if (state.exp) h.set('exp', state.exp);
    if (state.sort !== '-st') h.set('sort', state.sort);
    if (state.page > 1) h.set('page', state.page);
    if (state.size !== 100) h.set('size', state.size);
    if (state.cols) h.set('cols', state.cols.join(','));
    if (state.sel.size) h.set('sel', [...state.sel].join(','));
    history.replaceState(null, '', h.toString() ? '#' + h.toString() : location.pathname);
  }

  function prepare() {
    rows = (window.DLX_INDEX.runs || []).map(r => {
      r.p = r.p || {};
      r.m = r.m || {};
      r._q = [r.e, r.id, r.s, r.dev, r.n, Object.entries(r.p).map(([k, v]) => k + '=' + DLX.text(v)).join(' ')]
        .join(' ').toLowerCase();
      return r;
    });
  }

  function filtered() {
    const q = state.q.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return rows.filter(r => (!state.status || r.s === state.status) && (!state.exp || r.e === state.exp)
      && q.every(w => r._q.includes(w)));
  }

  /** Parameters whose values differ between the shown runs; the metrics most of them have. */
  function columns(list) {
    const values = new Map();
    const counts = new Map();
    for (const r of list) {
      if (r.n && !Object.keys(r.p).length) continue;
      for (const [k, v] of Object.entries(r.p)) {
        if (!values.has(k)) values.set(k, new Set());
        values.get(k).add(DLX.text(v));
      }
      for (const k of Object.keys(r.m)) if (k !== 'durationSeconds') counts.set(k, (counts.get(k) || 0) + 1);
    }
    // among the runs that have it: runs of other experiments do not make a parameter vary
    const varying = [...values.entries()].filter(([, s]) => s.size > 1).map(([k]) => k);
    const metrics = [...counts.entries()].map(([k, c], i) => ({k, c, i}))
      .sort((a, b) => b.c - a.c || a.i - b.i).map(x => x.k);
    // headline: the metrics at least half of the shown runs have (several experiments: usually none)
    const withMetrics = list.filter(r => Object.keys(r.m).length).length;
    const headline = metrics.filter(k => counts.get(k) * 2 >= withMetrics).slice(0, HEADLINE);
    const chosen = state.cols ? state.cols.filter(c => c.startsWith('m:')).map(c => c.slice(2)) : headline;
    return {
      all: metrics,
      list: FIXED.concat(varying.map(k => ({id: 'p:' + k, name: k, cls: 'num', kind: 'param'})),
        chosen.map(k => ({id: 'm:' + k, name: k, cls: 'num', kind: 'metric'}))),
    };
  }

  function value(r, id) {
    if (id.startsWith('p:')) return r.p[id.slice(2)];
    if (id.startsWith('m:')) return r.m[id.slice(2)];
    return r[id];
  }
  /** Numbers as numbers, text as text; absent values last whichever the direction. */
  function sorter(id, desc) {
    return (a, b) => {
      const x = value(a, id);
      const y = value(b, id);
      if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
      return desc ? -c : c;
    };
  }

  function cell(r, c) {
    const v = value(r, c.id);
    switch (c.id) {
      case 'id': return el('td', {class: 'id'}, el('a', {href: 'run.html#' + r.t}, r.id));
      case 's': return el('td', null, DLX.badge(r.s));
      case 'st': return el('td', {class: 'num'}, DLX.time(r.st));
      case 'd': return el('td', {class: 'num'}, DLX.duration(r.d));
      default: return el('td', {class: c.cls || null, title: typeof v === 'number' ? String(v) : null}, DLX.text(v));
    }
  }

  function build(app) {
    const runs = rows;
    if (!runs.length) {
      app.append(el('div', {class: 'card empty'},
        el('h1', null, 'No runs yet'),
        el('p', {class: 'muted'}, 'There are no runs in ' + window.DLX_INDEX.results + '. Make some, then build the report again:'),
        el('pre', null, 'dlx run theory.normalization vision.mlp-scratch --profile quick\ndlx report'),
        el('p', {class: 'muted'}, 'dlx list shows every experiment; dlx report --serve 8080 rebuilds this page as runs finish.')));
      return;
    }
    const search = el('input', {type: 'search', placeholder: 'Filter: experiment, run id, parameter=value, error text…', value: state.q,
      oninput: e => { state.q = e.target.value; state.page = 1; update(); }});
    const statuses = [...new Set(runs.map(r => r.s))].sort();
    const status = el('select', {'aria-label': 'status', onchange: e => { state.status = e.target.value; state.page = 1; update(); }},
      el('option', {value: ''}, 'every status'), statuses.map(s => el('option', {value: s, selected: s === state.status}, s)));
    const exps = [...new Set(runs.map(r => r.e))].sort();
    const exp = el('select', {'aria-label': 'experiment', onchange: e => { state.exp = e.target.value; state.page = 1; update(); }},
      el('option', {value: ''}, 'every experiment'), exps.map(x => el('option', {value: x, selected: x === state.exp}, x)));
    const colMenu = el('div', {class: 'menu'});
    const cols = el('details', {class: 'columns'}, el('summary', null, 'Columns'), colMenu);
    const compareSel = el('button', {class: 'primary', onclick: () => go([...state.sel])});
    const compareShown = el('button', {onclick: () => go(filtered().filter(r => !r.n || r.s === 'failed').slice(0, 50).map(r => r.t))});
    const count = el('span', {class: 'count'});
    const table = el('div', {class: 'table-wrap'});
    const pager = el('div', {class: 'pager'});
    const cards = el('div', {class: 'experiments'});
    app.append(el('div', {class: 'index-layout'},
      el('aside', {class: 'card'}, el('h2', null, 'Experiments (' + exps.length + ')'), cards),
      el('section', {class: 'card'}, el('div', {class: 'toolbar'}, search, status, exp, cols, compareSel, compareShown), table, pager)));
    parts = {search, status, exp, colMenu, compareSel, compareShown, count, table, pager, cards};
  }

  function go(tokens) {
    if (tokens.length) location.href = 'compare.html#' + tokens.join(',');
  }

  function experimentCards() {
    const by = new Map();
    for (const r of rows) {
      const c = by.get(r.e) || {n: 0, ok: 0, failed: 0, skipped: 0};
      c.n++;
      if (r.s in c) c[r.s]++;
      by.set(r.e, c);
    }
    DLX.clear(parts.cards);
    for (const [e, c] of [...by.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const other = c.n - c.ok - c.failed;
      const pct = x => (100 * x / c.n).toFixed(1) + '%';
      parts.cards.append(el('button', {class: 'exp-card' + (state.exp === e ? ' active' : ''), title: 'show only ' + e,
        'data-experiment': e, onclick: () => { state.exp = state.exp === e ? '' : e; parts.exp.value = state.exp; state.page = 1; update(); }},
        el('span', {class: 'name'}, el('span', {class: 'label'}, e), el('b', {class: 'total'}, String(c.n))),
        el('span', {class: 'counts'}, [c.ok ? c.ok + ' ok' : null, c.failed ? el('span', {class: 'bad'}, c.failed + ' failed') : null,
          c.skipped ? c.skipped + ' skipped' : null, other - c.skipped ? (other - c.skipped) + ' marked' : null]
          .filter(Boolean).flatMap((x, i) => (i ? [' · ', x] : [x]))),
        el('div', {class: 'bar'}, el('span', {class: 'ok', style: 'width:' + pct(c.ok)}),
          el('span', {class: 'failed', style: 'width:' + pct(c.failed)}), el('span', {class: 'other', style: 'width:' + pct(other)}))));
    }
  }

  function update() {
    const list = filtered();
    const cols = columns(list);
    const desc = state.sort.startsWith('-');
    const key = desc ? state.sort.slice(1) : state.sort;
    list.sort(sorter(key, desc));
    const pages = Math.max(1, Math.ceil(list.length / state.size));
    state.page = Math.min(state.page, pages);
    const shown = list.slice((state.page - 1) * state.size, state.page * state.size);
    writeHash();
    experimentCards();

    const head = el('tr', null, el('th', {class: 'nosort'}, el('input', {type: 'checkbox', title: 'select the runs of this page',
      checked: shown.length > 0 && shown.every(r => state.sel.has(r.t)),
      onchange: e => { shown.forEach(r => (e.target.checked ? state.sel.add(r.t) : state.sel.delete(r.t))); update(); }})),
    cols.list.map(c => el('th', {
      class: c.nosort ? 'nosort' : key === c.id ? (desc ? 'sorted-desc' : 'sorted-asc') : null, 'data-col': c.id,
      title: c.kind ? c.kind + ' ' + c.name : null,
      onclick: c.nosort ? null : () => { state.sort = key === c.id && !desc ? '-' + c.id : c.id; update(); }},
    // labelled keys (accuracy{model=mlp,testSet=rot90}) may break after { and ,
    c.kind ? c.name.split(/(?<=[{,])/).flatMap((part, i) => (i ? [el('wbr'), part] : [part])) : c.name)));
    // a failed run's error (first line) or a marked entry's problem: a line of its own under the row
    const body = el('tbody', null, shown.map(r => [el('tr', {
      class: [r.n ? 'has-note' : '', r.n && r.s !== 'failed' ? 'marked' : '', state.sel.has(r.t) ? 'selected' : ''].join(' ').trim() || null,
      'data-token': r.t, 'data-status': r.s},
    el('td', null, el('input', {type: 'checkbox', checked: state.sel.has(r.t), 'aria-label': 'select ' + r.id,
      onchange: e => { e.target.checked ? state.sel.add(r.t) : state.sel.delete(r.t); update(); }})),
    cols.list.map(c => cell(r, c))),
    r.n ? el('tr', {class: 'note-row' + (r.s !== 'failed' ? ' marked' : '')}, el('td'), el('td', {class: 'note', colspan: cols.list.length}, r.n)) : null]));
    DLX.clear(parts.table).append(el('table', {class: 'runs'}, el('thead', null, head), body));

    DLX.clear(parts.pager).append(parts.count,
      el('button', {disabled: state.page <= 1, onclick: () => { state.page = 1; update(); }}, '«'),
      el('button', {disabled: state.page <= 1, onclick: () => { state.page--; update(); }}, '‹'),
      el('span', null, 'page ' + state.page + ' of ' + pages),
      el('button', {disabled: state.page >= pages, onclick: () => { state.page++; update(); }}, '›'),
      el('button', {disabled: state.page >= pages, onclick: () => { state.page = pages; update(); }}, '»'),
      el('select', {'aria-label': 'rows per page', onchange: e => { state.size = parseInt(e.target.value, 10); state.page = 1; update(); }},
        [50, 100, 500].map(n => el('option', {value: n, selected: n === state.size}, n + ' per page'))));
    parts.count.textContent = list.length === rows.length ? rows.length + ' runs' : list.length + ' of ' + rows.length + ' runs';
    parts.compareSel.textContent = 'Compare selected (' + state.sel.size + ')';
    parts.compareSel.disabled = state.sel.size < 2;
    const comparable = Math.min(50, list.length);
    parts.compareShown.textContent = list.length > 50 ? 'Compare first 50 shown' : 'Compare shown (' + list.length + ')';
    parts.compareShown.disabled = comparable < 2;

    const chosen = new Set(cols.list.filter(c => c.kind === 'metric').map(c => c.id.slice(2)));
    DLX.clear(parts.colMenu).append(el('div', null, el('div', {class: 'muted'}, 'metric columns'), cols.all.map(k => el('label', null,
      el('input', {type: 'checkbox', checked: chosen.has(k), onchange: e => {
        e.target.checked ? chosen.add(k) : chosen.delete(k);
        state.cols = cols.all.filter(x => chosen.has(x)).map(x => 'm:' + x);
        update();
      }}), ' ' + k)),
    state.cols ? el('button', {onclick: () => { state.cols = null; update(); }}, 'automatic') : null));
  }

  function start() {
    readHash();
    prepare();
    const app = DLX.frame();
    build(app);
    if (parts) update();
  }
  start();
  window.addEventListener('hashchange', () => { readHash(); if (parts) { parts.search.value = state.q; parts.status.value = state.status; parts.exp.value = state.exp; update(); } });
  DLX.live(() => DLX.load('data/index.js?v=' + Date.now()).then(() => { prepare(); if (parts) update(); else start(); }));
})();
