/*
 * One run (run.html#<experiment>/<run id>): what defines it, what it found, its curves as
 * interactive charts next to the PNGs it made, its files, environment and logs.
 */
(function () {
  'use strict';
  const {el} = DLX;

  function header(d) {
    const started = d.started ? DLX.time(d.started) + ' UTC' : null;
    const dur = d.metrics && d.metrics.durationSeconds;
    return el('section', {class: 'card'},
      el('div', {class: 'run-head'}, el('h1', null, d.experiment), el('span', {class: 'id mono'}, d.runId), DLX.badge(d.status)),
      el('div', {class: 'meta'},
        started ? el('span', null, 'started ', el('b', null, started)) : null,
        dur != null ? el('span', null, 'took ', el('b', null, DLX.duration(dur))) : null,
        d.device ? el('span', null, 'device ', el('b', null, d.device)) : null,
        d.plugin ? el('span', null, 'plugin ', el('b', null, d.plugin)) : null,
        el('span', null, 'folder ', el('a', {href: d.href + '/', class: 'mono'}, d.experiment + '/' + d.runId)),
        el('a', {href: 'index.html#exp=' + encodeURIComponent(d.experiment)}, 'every run of ' + d.experiment)),
      d.problem ? el('div', {class: 'alert problem'}, el('strong', null, 'This entry is marked: '), d.problem) : null,
      d.error ? el('div', {class: 'alert error'}, el('strong', null, DLX.text(d.error).split('\n')[0]),
        d.error.includes('\n') ? el('pre', null, d.error) : null) : null);
  }

  function checksTable(checks) {
    return el('table', {class: 'kv checks'}, el('thead', null, el('tr', null, el('th', null, 'check'), el('th', null, 'residual'),
      el('th', null, 'tolerance'), el('th', null, 'verdict'))),
    el('tbody', null, checks.map(c => el('tr', null, el('td', null, c.key),
      el('td', {class: 'num', title: String(c.residual)}, DLX.text(c.residual)), el('td', {class: 'num'}, c.tolerance || '—'),
      el('td', null, DLX.badge(c.verdict))))));
  }

  function plots(d) {
    const groups = DLX.groupSeries(d.series);
    const charts = [...groups.entries()].map(([name, lines]) => DLX.chartBox({
      title: name,
      note: lines.some(l => l.n > l.x.length) ? 'every ' + Math.ceil(lines[0].n / lines[0].x.length) + 'th point shown; the CSV has all' : null,
      lines: lines.map((l, i) => ({label: l.labels || name, x: l.x, y: l.y, color: DLX.palette[i % DLX.palette.length]})),
    }));
    const images = (d.files || []).filter(f => f.kind === 'image');
    if (!charts.length && !images.length) return null;
    return el('section', {class: 'card'}, el('h2', null, 'Curves and plots'),
      el('div', {class: 'grid2'},
        el('div', null, el('h3', null, 'Interactive (' + charts.length + ' series' + (charts.length === 1 ? '' : ' groups') + ')'),
          charts.length ? el('div', {class: 'charts'}, charts) : el('p', {class: 'muted', text: 'no series recorded'})),
        el('div', null, el('h3', null, 'Plots the run made (' + images.length + ')'),
          images.length ? el('div', {class: 'pngs'}, images.map(f => el('figure', null,
            el('a', {href: f.href}, el('img', {src: f.href, alt: f.name, loading: 'lazy'})), el('figcaption', null, f.name))))
            : el('p', {class: 'muted', text: 'no images'}))));
  }

  function files(d) {
    if (!d.files || !d.files.length) return null;
    const order = {csv: 0, image: 1, log: 2, json: 3, file: 4, dir: 5};
    const list = d.files.slice().sort((a, b) => order[a.kind] - order[b.kind] || (a.name < b.name ? -1 : 1));
    return DLX.section('Files', el('table', {class: 'kv files'}, el('tbody', null, list.map(f => el('tr', null,
      el('td', null, el('a', {href: f.href + (f.kind === 'dir' ? '/' : '')}, f.name + (f.kind === 'dir' ? '/' : ''))),
      el('td', {class: 'muted'}, f.kind === 'csv' ? 'CSV' : f.kind), el('td', {class: 'num muted'}, DLX.bytes(f.size)))))));
  }

  function logs(d) {
    const entries = Object.entries(d.logs || {});
    if (!entries.length) return null;
    return DLX.section('Logs', entries.map(([name, log]) => el('div', {class: 'log-' + name.replace('.', '-')},
      el('h3', null, name, ' ', el('span', {class: 'muted'}, log.truncated ? '(the last 64 KiB of ' + DLX.bytes(log.size) + ': ' : '('),
        el('a', {href: d.href + '/' + name}, 'whole file'), ')'),
      el('pre', {class: 'log'}, log.text || '(empty)'))));
  }

  function render(d) {
    const app = DLX.frame();
    document.title = d.experiment + ' ' + d.runId + ' · dlx report';
    document.getElementById('where').textContent = d.experiment + '/' + d.runId;
    const checks = d.checks || [];
    const checkKeys = new Set(checks.map(c => c.key));
    app.append(header(d));
    if (d.params) {
      app.append(el('div', {class: 'grid2'},
        DLX.section('Parameters', DLX.kv(d.params)),
        DLX.section('Metrics', DLX.kv(d.metrics, k => (checkKeys.has(k) ? 'check' : null)))));
      app.append(DLX.section('Answers', DLX.kv(d.answers),
        checks.length ? el('div', {style: 'margin-top:12px'}, el('h3', null, 'Numerical checks'), checksTable(checks)) : null));
    }
    const p = plots(d);
    if (p) app.append(p);
    [files(d), d.environment ? DLX.section('Environment', DLX.kv(d.environment)) : null, logs(d)].forEach(s => s && app.append(s));
    DLX.drawCharts(app);
  }

  function token() {
    return decodeURIComponent(location.hash.slice(1));
  }
  function show(fresh) {
    const t = token();
    if (!t) {
      DLX.frame().append(el('div', {class: 'card empty'}, el('h1', null, 'No run chosen'),
        el('p', null, 'Pick one in the ', el('a', {href: 'index.html'}, 'index'), '.')));
      return;
    }
    DLX.loadRun(t, fresh).then(render, err => DLX.fail(DLX.frame(), err));
  }
  show(false);
  window.addEventListener('hashchange', () => show(false));
  DLX.live(() => show(true));
})();
