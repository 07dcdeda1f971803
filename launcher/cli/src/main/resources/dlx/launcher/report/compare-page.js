/*
 * Runs side by side (compare.html#<token>,<token>,...; without a selection, the runs that
 * dlx report --compare chose): their curves overlaid, a metric against each parameter that varies
 * (a sweep), and their parameters, metrics, answers and environment in columns, differences marked.
 */
(function () {
  'use strict';
  const {el} = DLX;

  function tokens() {
    const fromHash = decodeURIComponent(location.hash.slice(1)).split(',').filter(Boolean);
    return [...new Set((fromHash.length ? fromHash : window.DLX_COMPARE || []).filter(DLX.validToken))];
  }
  let idLength = 8; // run ids as short as they stay apart (at least 8 characters)
  const short = d => d.runId.slice(0, idLength);
  const colorOf = i => DLX.palette[i % DLX.palette.length];

  function legend(runs) {
    return el('div', {class: 'legend-runs'}, runs.map((d, i) => el('span', null,
      el('span', {class: 'swatch', style: 'background:' + colorOf(i)}),
      el('a', {href: 'run.html#' + d.token, class: 'mono'}, d.experiment + '/' + d.runId), ' ', DLX.badge(d.status))));
  }

  /** One chart per series name; each run one colour, its label sets dashed variants. */
  function curves(runs) {
    const names = new Map();
    runs.forEach((d, i) => DLX.groupSeries(d.series).forEach((lines, name) => {
      if (!names.has(name)) names.set(name, []);
      lines.forEach((l, j) => names.get(name).push({
        label: short(d) + (l.labels ? ' ' + l.labels : ''), x: l.x, y: l.y, color: colorOf(i), dash: DLX.dashes[j % DLX.dashes.length]}));
    }));
    if (!names.size) return null;
    const boxes = [...names.entries()].map(([name, lines]) => DLX.chartBox({title: name, lines, height: 220}));
    return DLX.section('Curves', el('div', {class: 'grid-charts'}, boxes));
  }

  /** Parameters whose values differ between the runs (as text). */
  function varying(runs) {
    const keys = new Set(runs.flatMap(d => Object.keys(d.params || {})));
    return [...keys].filter(k => new Set(runs.map(d => DLX.compact((d.params || {})[k]))).size > 1);
  }

  /** A sweep: the chosen metric against each varying parameter (numbers on their axis, else categories). */
  function sweep(runs) {
    const params = varying(runs);
    const counts = new Map();
    runs.forEach(d => Object.keys(d.metrics || {}).forEach(k => counts.set(k, (counts.get(k) || 0) + 1)));
    const metrics = [...counts.keys()].filter(k => counts.get(k) >= 2 && k !== 'durationSeconds').concat(counts.get('durationSeconds') >= 2 ? ['durationSeconds'] : []);
    // a metric against a parameter means something within one experiment
    if (!params.length || !metrics.length || runs.length < 2 || new Set(runs.map(d => d.experiment)).size > 1) return null;
    const charts = el('div', {class: 'grid2'});
    // first choice: an accuracy or a loss, the usual headline of a sweep
    const first = metrics.find(m => /accuracy/i.test(m)) || metrics.find(m => /loss/i.test(m)) || metrics[0];
    const select = el('select', {'aria-label': 'metric', onchange: () => draw(select.value)},
      metrics.map(m => el('option', {value: m, selected: m === first}, m)));
    function draw(metric) {
      DLX.clear(charts);
      window.DLX_CHARTS = window.DLX_CHARTS.filter(c => c.box.isConnected);
      for (const p of params) {
        const have = runs.filter(d => typeof (d.metrics || {})[metric] === 'number' && (d.params || {})[p] !== undefined);
        const numeric = have.every(d => typeof d.params[p] === 'number');
        const names = numeric ? null : [...new Set(have.map(d => DLX.compact(d.params[p])))].sort();
        const xOf = d => (numeric ? d.params[p] : names.indexOf(DLX.compact(d.params[p])));
        const pos = have.map(xOf).filter(v => v > 0);
        // one line per setting of the other varying parameters: the runs that differ in this one only
        const others = params.filter(o => o !== p);
        const groups = new Map();
        for (const d of have) {
          const key = others.map(o => o + '=' + DLX.compact((d.params || {})[o])).join(', ');
          if (!groups.has(key)) groups.set(key, []);
          groups.get(key).push(d);
        }
        const box = DLX.chartBox({title: metric + ' against ' + p, xLabel: p, yLabel: metric, points: true, xNames: names,
          xLog: numeric && pos.length === have.length && Math.max(...pos) / Math.min(...pos) >= 100, // else geometric values decide
          lines: [...groups.entries()].map(([key, ds]) => ({label: key || metric, x: ds.map(xOf), y: ds.map(d => d.metrics[metric])}))});
        charts.append(box);
        box.draw();
      }
    }
    const section = DLX.section('Sweep: a metric against each parameter that varies',
      el('div', {class: 'sweep-controls'}, el('label', null, 'metric '), select,
        el('span', {class: 'muted', text: params.length + ' varying parameter' + (params.length === 1 ? '' : 's') + ': ' + params.join(', ')})),
      charts);
    section.drawSweep = () => draw(select.value);
    return section;
  }

  function sideBySide(runs) {
    const groups = [
      ['params', d => DLX.flatten(d.params || {})],
      ['metrics', d => d.metrics || {}],
      ['answers', d => DLX.flatten(d.answers || {})],
      ['series (last value)', d => Object.fromEntries(Object.entries(d.series || {}).map(([k, s]) => [k, s.y[s.y.length - 1]]))],
      ['run', d => ({experiment: d.experiment, status: d.status, device: d.device, started: DLX.time(d.started),
        duration: d.metrics && d.metrics.durationSeconds != null ? DLX.duration(d.metrics.durationSeconds) : null})],
      ['environment', d => {
        const env = DLX.flatten(d.environment || {});
        delete env.startedUtc; delete env.endedUtc;
        return env;
      }, true],
    ];
    const only = el('input', {type: 'checkbox', onchange: e => table.classList.toggle('only-diff', e.target.checked)});
    const body = el('tbody');
    let differing = 0;
    for (const [name, of, onlyDiffs] of groups) {
      const maps = runs.map(of);
      const keys = [...new Set(maps.flatMap(m => Object.keys(m)))];
      const rows = [];
      for (const k of keys) {
        const texts = maps.map(m => (k in m ? DLX.compact(m[k]) : '—'));
        const diff = new Set(maps.map(m => JSON.stringify(m[k]))).size > 1; // exact values: 0.89975 and 0.89984 differ
        if (onlyDiffs && !diff) continue;
        if (diff) differing++;
        rows.push(el('tr', {class: diff ? 'diff' : 'same', 'data-key': name + '.' + k}, el('td', null, k),
          maps.map((m, i) => el('td', {title: typeof m[k] === 'number' ? String(m[k]) : null}, texts[i]))));
      }
      if (rows.length) body.append(el('tr', {class: 'group'}, el('td', {colspan: runs.length + 1}, name)), ...rows);
    }
    // columns of equal width (long values wrap); many runs scroll sideways
    const table = el('table', {class: 'side', style: 'min-width:' + (260 + 170 * runs.length) + 'px'},
      el('colgroup', null, el('col', {class: 'key'}), runs.map(() => el('col'))),
      el('thead', null, el('tr', null, el('th', null, ''),
      runs.map((d, i) => el('th', null, el('span', {class: 'swatch', style: 'display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;background:' + colorOf(i)}),
        el('a', {href: 'run.html#' + d.token}, short(d)))))), body);
    return DLX.section('Side by side', el('p', {class: 'muted'}, differing + ' differing row' + (differing === 1 ? '' : 's') + ' marked ≠. ',
      el('label', null, only, ' only differences')), el('div', {class: 'table-wrap'}, table));
  }

  async function show() {
    const app = DLX.frame();
    const chosen = tokens();
    if (chosen.length < 1) {
      app.append(el('div', {class: 'card empty'}, el('h1', null, 'Nothing to compare yet'),
        el('p', null, 'Tick runs in the ', el('a', {href: 'index.html'}, 'index'), ' and press Compare, or build the report with'),
        el('pre', null, 'dlx report --compare RUN RUN ...')));
      return;
    }
    const loaded = await Promise.all(chosen.map(t => DLX.loadRun(t).catch(e => ({missing: t, error: e}))));
    const runs = loaded.filter(d => !d.missing && !d.problem);
    idLength = 8;
    while (idLength < 64 && new Set(runs.map(short)).size < runs.length) idLength++;
    const missing = loaded.filter(d => d.missing || d.problem);
    app.append(el('section', {class: 'card'}, el('h1', null, 'Compare ' + runs.length + ' run' + (runs.length === 1 ? '' : 's')),
      legend(runs),
      missing.length ? el('div', {class: 'alert problem'}, 'Not compared (no result): ' + missing.map(d => d.missing || d.token).join(', ')) : null));
    if (!runs.length) return;
    const c = curves(runs);
    if (c) app.append(c);
    app.append(sideBySide(runs));
    const s = sweep(runs);
    if (s) app.append(s);
    DLX.drawCharts(c || el('div'));
    if (s) s.drawSweep();
  }
  show();
  window.addEventListener('hashchange', show);
  DLX.live(() => { window.DLX_RUNS = {}; show(); });
})();
