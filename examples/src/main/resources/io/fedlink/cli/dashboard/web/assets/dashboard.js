// The Fedlink dashboard: follows /events (see DashboardEvent.java for what each event holds) and draws
// the learning curves with uPlot, in nmse.png's colours and dashes, and the run's tables.
(function () {
  'use strict';

  // renders: the points the chart held at each drawing; memberHistory: each member's changes of status
  // or reachability, in the order the events told them (what a reader saw happen, kept for scripts).
  const state = { run: null, series: [], membership: null, end: null, events: 0, renders: [], memberHistory: [] };
  let plot = null;
  let scheduled = false;

  const $ = (id) => document.getElementById(id);

  function fixed(value, digits) {
    if (value === null || value === undefined || value === '') {
      return '';
    }
    const v = Number(value);
    return Number.isFinite(v) ? v.toFixed(digits) : v > 0 ? 'inf' : v < 0 ? '-inf' : String(value);
  }

  function count(value) {
    return value === null || value === undefined ? '' : Math.round(value).toLocaleString('en-US');
  }

  function setStatus(which, text) {
    const el = $('status');
    el.dataset.state = which;
    el.textContent = text;
  }

  function runStatus() {
    if (state.end) {
      setStatus(state.end.outcome === 'complete' ? 'complete' : 'failed',
        state.end.outcome === 'complete' ? 'complete' : 'failed: ' + state.end.message);
      return;
    }
    if (!state.run) {
      setStatus('running', 'waiting for the run to start');
      return;
    }
    const done = state.series.filter((s) => s.state === 'done').length;
    const running = state.series.findIndex((s) => s.state === 'running');
    setStatus('running', running >= 0
      ? 'running series ' + (running + 1) + ' of ' + state.series.length
      : done + ' of ' + state.series.length + ' series done');
  }

  function onRun(run) {
    state.run = run;
    state.series = run.series.map((info) => ({
      info: info,
      state: 'waiting',
      meanDb: new Array(run.rounds).fill(null),
      trialsAtRound: new Array(run.rounds).fill(0),
      frontier: 0,
      totals: null,
      summary: null,
    }));
    $('title').textContent = run.title;
    $('setting').textContent = run.setting + ' \u2014 ' + run.engine;
    $('cluster-link').hidden = !run.cluster;
    $('cluster-section').hidden = !run.cluster && !state.membership;
    buildPlot();
    schedule();
  }

  function buildPlot() {
    const chart = $('chart');
    if (plot) {
      plot.destroy();
    }
    chart.textContent = '';
    const rounds = state.run.rounds;
    const x = Array.from({ length: rounds }, (_, n) => n + 1);
    const series = [{ label: 'round' }].concat(state.series.map((s) => {
      const drawn = { label: s.info.legend, stroke: s.info.colour, width: 1.6, points: { show: false },
        spanGaps: false, value: (u, v) => (v === null || v === undefined ? '\u2014' : v.toFixed(2) + ' dB') };
      if (s.info.dash.length > 0) {
        drawn.dash = s.info.dash;
      }
      return drawn;
    }));
    plot = new uPlot({
      width: Math.max(480, chart.clientWidth || 960),
      height: 380,
      scales: { x: { time: false } },
      axes: [{ label: 'round' }, { label: 'NMSE (dB)' }],
      series: series,
      legend: { live: true },
    }, [x].concat(state.series.map((s) => s.meanDb)), chart);
  }

  function onSeries(st) {
    const s = state.series[st.series];
    if (!s) {
      return;
    }
    s.state = st.state;
    s.meanDb = new Array(state.run.rounds).fill(null);
    s.trialsAtRound = new Array(state.run.rounds).fill(0);
    st.mean_db.forEach((v, n) => { s.meanDb[n] = v; });
    st.trials_at_round.forEach((v, n) => { s.trialsAtRound[n] = v; });
    s.frontier = st.mean_db.length;
    s.totals = st.totals;
    s.summary = st.summary;
    schedule();
  }

  function onRound(r) {
    const s = state.series[r.series];
    if (!s) {
      return;
    }
    s.meanDb[r.round - 1] = r.mean_db;
    s.trialsAtRound[r.round - 1] = r.trials_at_round;
    s.frontier = Math.max(s.frontier, r.round);
    s.totals = r.totals;
    schedule();
  }

  function onMembership(m) {
    m.members.forEach((member) => {
      const last = state.memberHistory.filter((h) => h.address === member.address && h.uid === member.uid).pop();
      if (!last || last.status !== member.status || last.reachable !== member.reachable) {
        state.memberHistory.push({ address: member.address, uid: member.uid, status: member.status,
          reachable: member.reachable });
      }
    });
    state.membership = m;
    $('cluster-section').hidden = false;
    schedule();
  }

  function onEnd(end) {
    state.end = end;
    schedule();
  }

  function schedule() {
    state.events++;
    if (!scheduled) {
      scheduled = true;
      setTimeout(render, 150);
    }
  }

  function pointCount() {
    if (!plot) {
      return 0;
    }
    let points = 0;
    for (let i = 1; i < plot.data.length; i++) {
      for (const v of plot.data[i]) {
        if (v !== null && v !== undefined) {
          points++;
        }
      }
    }
    return points;
  }

  function render() {
    scheduled = false;
    runStatus();
    if (!state.run) {
      renderCluster();
      return;
    }
    plot.setData([plot.data[0]].concat(state.series.map((s) => s.meanDb)));
    renderProgress();
    renderSummary();
    renderCluster();
    state.renders.push(pointCount());
    if (state.renders.length > 10000) {
      state.renders.splice(0, 5000);
    }
  }

  /** Replaces a table body's rows: one per item, with the data attributes and cell texts describe() gives. */
  function fillTable(selector, items, describe) {
    const body = document.querySelector(selector);
    body.textContent = '';
    items.forEach((item) => {
      const row = document.createElement('tr');
      const { data, cells } = describe(item);
      Object.entries(data).forEach(([k, v]) => { row.dataset[k] = v; });
      cells.forEach((text) => cell(row, text));
      body.appendChild(row);
    });
  }

  function cell(row, text, attrs) {
    const td = document.createElement('td');
    td.textContent = text;
    Object.entries(attrs || {}).forEach(([k, v]) => { td.dataset[k] = v; });
    row.appendChild(td);
    return td;
  }

  function swatch(row, s) {
    const td = cell(row, '');
    td.className = 'swatch';
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('width', '36');
    svg.setAttribute('height', '8');
    const line = document.createElementNS(ns, 'line');
    line.setAttribute('x1', '0');
    line.setAttribute('y1', '4');
    line.setAttribute('x2', '36');
    line.setAttribute('y2', '4');
    line.setAttribute('stroke', s.info.colour);
    line.setAttribute('stroke-width', '2');
    if (s.info.dash.length > 0) {
      line.setAttribute('stroke-dasharray', s.info.dash.join(' '));
    }
    svg.appendChild(line);
    td.appendChild(svg);
    td.appendChild(document.createTextNode(s.info.label));
    return td;
  }

  function renderProgress() {
    const body = document.querySelector('#progress tbody');
    body.textContent = '';
    state.series.forEach((s) => {
      const row = document.createElement('tr');
      row.dataset.series = s.info.label;
      row.dataset.state = s.state;
      swatch(row, s);
      const t = s.totals || {};
      cell(row, s.state);
      cell(row, (t.trials_done || 0) + ' / ' + state.run.trials);
      cell(row, s.frontier + ' / ' + state.run.rounds);
      cell(row, count(t.updates_per_second));
      cell(row, count(t.dropped), { column: 'dropped' });
      cell(row, count(t.rejected), { column: 'rejected' });
      cell(row, count(t.lost_uplinks), { column: 'lost_uplinks' });
      cell(row, count(t.lost_downlinks), { column: 'lost_downlinks' });
      cell(row, s.frontier > 0 ? fixed(s.meanDb[s.frontier - 1], 2) : '');
      body.appendChild(row);
    });
  }

  function renderSummary() {
    const done = state.series.filter((s) => s.summary);
    $('summary-section').hidden = done.length === 0;
    const body = document.querySelector('#summary tbody');
    body.textContent = '';
    done.forEach((s) => {
      const m = s.summary;
      const row = document.createElement('tr');
      row.dataset.series = m.series;
      swatch(row, s);
      const diverged = m.diverged_round !== '';
      cell(row, diverged ? 'diverged' : fixed(m.steady_state_db, 2), { column: 'steady_state_db', value: m.steady_state_db });
      cell(row, diverged || m.steady_state_db_lo === '' ? '' : fixed(m.steady_state_db_lo, 2) + ' .. ' + fixed(m.steady_state_db_hi, 2),
        { column: 'steady_state_db_lo', value: m.steady_state_db_lo, hi: m.steady_state_db_hi });
      cell(row, m.diverged_round, { column: 'diverged_round', value: m.diverged_round });
      cell(row, m.rounds, { column: 'rounds', value: m.rounds });
      cell(row, m.trials, { column: 'trials', value: m.trials });
      cell(row, m.seconds, { column: 'seconds', value: m.seconds });
      cell(row, count(Number(m.updates_per_second)), { column: 'updates_per_second', value: m.updates_per_second });
      cell(row, m.dropped_polls, { column: 'dropped_polls', value: m.dropped_polls });
      cell(row, m.lost_uplinks, { column: 'lost_uplinks', value: m.lost_uplinks });
      cell(row, m.lost_downlinks, { column: 'lost_downlinks', value: m.lost_downlinks });
      body.appendChild(row);
    });
  }

  function renderCluster() {
    const m = state.membership;
    if (!m) {
      return;
    }
    $('live-clients').textContent = '\u2014 ' + m.live_clients + ' live clients';
    fillTable('#members tbody', m.members, (member) => ({
      data: { address: member.address, status: member.status, reachable: String(member.reachable) },
      cells: [member.address, member.roles.join(', '), member.status,
        member.status === 'Removed' ? '' : member.reachable ? 'reachable' : 'unreachable'],
    }));
    fillTable('#clients-nodes tbody', m.clients_nodes, (node) => ({
      data: { address: node.address, status: node.status, live: String(node.live_clients) },
      cells: [node.address, node.first_client + '..' + node.last_client, String(node.live_clients),
        node.status + (node.status !== 'Removed' && !node.reachable ? ', unreachable' : '')],
    }));
  }

  // The page's view: each running series' curve a few times a second (every trial's every round is
  // /events without a view, for scripts).
  const source = new EventSource('events?view=curves');
  source.addEventListener('run', (e) => onRun(JSON.parse(e.data)));
  source.addEventListener('series', (e) => onSeries(JSON.parse(e.data)));
  source.addEventListener('round', (e) => onRound(JSON.parse(e.data)));
  source.addEventListener('membership', (e) => onMembership(JSON.parse(e.data)));
  source.addEventListener('end', (e) => {
    onEnd(JSON.parse(e.data));
    source.close();                         // the run is over: the page keeps what it shows
  });
  source.onopen = () => schedule();
  source.onerror = () => {
    if (!state.end) {
      setStatus('reconnecting', 'reconnecting');
    }
  };
  window.addEventListener('resize', () => {
    if (plot) {
      plot.setSize({ width: Math.max(480, $('chart').clientWidth), height: 380 });
    }
  });

  // For scripts (and the browser tests): what the page holds and has drawn.
  window.fedlinkDashboard = { state: state, pointCount: pointCount, plot: () => plot };
}());
