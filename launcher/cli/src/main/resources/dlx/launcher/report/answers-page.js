/*
 * The answers page: for each experiment that checks its answers numerically (the theory plugin's
 * closed forms, gradient checks), its newest run's answers and every check's residual and verdict.
 */
(function () {
  'use strict';
  const {el} = DLX;

  function experiment(a) {
    const passed = a.checks.filter(c => c.verdict === 'passed').length;
    return el('section', {class: 'card', id: 'exp-' + a.experiment},
      el('div', {class: 'run-head'}, el('h1', null, a.experiment), DLX.badge(a.status),
        el('span', {class: 'muted'}, passed + ' of ' + a.checks.length + ' check' + (a.checks.length === 1 ? '' : 's') + ' passed')),
      el('div', {class: 'meta'}, el('span', null, 'run ', DLX.runLink(a.token, a.runId)),
        a.started ? el('span', null, 'started ', el('b', null, DLX.time(a.started) + ' UTC')) : null,
        a.runs > 1 ? el('a', {href: 'index.html#exp=' + encodeURIComponent(a.experiment)}, 'newest of ' + a.runs + ' runs') : null),
      a.error ? el('div', {class: 'alert error'}, a.error) : null,
      el('div', {class: 'grid2', style: 'margin-top:12px'},
        el('div', null, el('h3', null, 'Answers'), DLX.kv(a.answers)),
        el('div', null, el('h3', null, 'Numerical checks'),
          el('table', {class: 'kv checks'}, el('thead', null, el('tr', null, el('th', null, 'check'), el('th', null, 'residual'),
            el('th', null, 'tolerance'), el('th', null, 'verdict'))),
          el('tbody', null, a.checks.map(c => el('tr', {'data-verdict': c.verdict}, el('td', null, c.key),
            el('td', {class: 'num', title: String(c.residual)}, DLX.text(c.residual)),
            el('td', {class: 'num'}, c.tolerance || (c.verdict === 'passed' ? 'met' : '—')),
            el('td', null, DLX.badge(c.verdict)))))))));
  }

  function show() {
    const app = DLX.frame();
    const list = window.DLX_ANSWERS || [];
    if (!list.length) {
      app.append(el('div', {class: 'card empty'}, el('h1', null, 'No checked answers yet'),
        el('p', null, 'No run in this folder recorded a numerical check. The theory experiments do:'),
        el('pre', null, "dlx run 'theory.*' --profile quick\ndlx report")));
      return;
    }
    const total = list.reduce((n, a) => n + a.checks.length, 0);
    const passed = list.reduce((n, a) => n + a.checks.filter(c => c.verdict === 'passed').length, 0);
    app.append(el('section', {class: 'card'}, el('h1', null, 'Answers and their numerical checks'),
      el('p', {class: 'muted'}, list.length + ' experiments, newest run of each; ' + passed + ' of ' + total
        + ' checks passed. A check compares the closed-form answer with an independent computation (Monte Carlo, finite'
        + ' differences, an iterative solver); an answer counts as verified when every residual of its run is below the'
        + ' tolerance the experiment states (a run whose check fails is marked failed, naming the tolerance).'),
      el('div', {class: 'toc'}, list.map(a => el('a', {href: '#exp-' + a.experiment}, a.experiment)))),
    ...list.map(experiment));
  }
  show();
  DLX.live(() => DLX.load('data/answers.js?v=' + Date.now()).then(show));
})();
