// Live charts of the LLMix sample dashboard: polls /actuator/llmix every second, keeps the last five minutes, and
// draws them with uPlot. Rates and percentiles come from the differences between two reads of the running totals.
(function () {
  'use strict';

  const POLL_MS = 1000;
  const KEEP_S = 300;
  const OUTCOMES = ['success', 'failure', 'circuit_open', 'kill_switch', 'cancelled'];
  const COLORS = ['#1f8a4c', '#c8323b', '#c27803', '#6b21a8', '#6b7280', '#2f6fde', '#0e7490', '#a16207'];
  const STATE = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };

  let previous = null;
  const series = { t: [], calls: OUTCOMES.map(() => []), p50: [], p99: [], l1: [], l2: [] };
  const limiterSeries = new Map();
  const breakerSeries = new Map();
  const charts = {};
  let totalCalls = 0;

  function usd(v) {
    return '$' + (v || 0).toFixed(6);
  }

  function percentile(bounds, counts, q) {
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) {
      return null;
    }
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= q * total) {
        return i < bounds.length ? bounds[i] : bounds[bounds.length - 1] * 2;
      }
    }
    return null;
  }

  function pushKeyed(map, key, now, value) {
    if (!map.has(key)) {
      map.set(key, series.t.slice(0, -1).map(() => null));
    }
    map.get(key).push(value);
    for (const [k, arr] of map) {
      if (k !== key && arr.length < series.t.length) {
        arr.push(null);
      }
    }
  }

  function trim() {
    const cutoff = Date.now() / 1000 - KEEP_S;
    while (series.t.length && series.t[0] < cutoff) {
      series.t.shift();
      series.calls.forEach((a) => a.shift());
      [series.p50, series.p99, series.l1, series.l2].forEach((a) => a.shift());
      limiterSeries.forEach((a) => a.shift());
      breakerSeries.forEach((a) => a.shift());
    }
  }

  function sample(doc) {
    const now = Date.now() / 1000;
    const calls = doc.calls || { byOutcome: {}, latencyBoundsMs: [], latencyCounts: [] };
    const cache = doc.cache || { hits: { l1: 0, l2: 0 }, misses: 0 };
    if (previous) {
      const dt = Math.max(0.001, now - previous.t);
      series.t.push(now);
      OUTCOMES.forEach((o, i) => {
        const d = (calls.byOutcome[o] || 0) - (previous.calls.byOutcome[o] || 0);
        series.calls[i].push(Math.max(0, d) / dt);
      });
      const delta = calls.latencyCounts.map((c, i) => c - (previous.calls.latencyCounts[i] || 0));
      series.p50.push(percentile(calls.latencyBoundsMs, delta, 0.5));
      series.p99.push(percentile(calls.latencyBoundsMs, delta, 0.99));
      const h1 = cache.hits.l1 - previous.cache.hits.l1;
      const h2 = cache.hits.l2 - previous.cache.hits.l2;
      const lookups = h1 + h2 + (cache.misses - previous.cache.misses);
      series.l1.push(lookups > 0 ? h1 / lookups : null);
      series.l2.push(lookups > 0 ? h2 / lookups : null);
      (doc.limiters || []).forEach((l) => pushKeyed(limiterSeries, l.provider, now, l.window));
      (doc.breakers || []).forEach((b) => pushKeyed(breakerSeries, b.provider + ' ' + (b.baseUrl || 'default'), now,
          STATE[b.state] ?? 0));
      trim();
    }
    previous = { t: now, calls, cache };
    totalCalls = Object.values(calls.byOutcome).reduce((a, b) => a + b, 0);
  }

  function opts(el, names, yLabel, yRange) {
    return {
      title: el.dataset.title,
      width: Math.max(360, el.clientWidth || 420),
      height: 200,
      scales: yRange ? { x: { time: true }, y: { range: yRange } } : { x: { time: true } },
      axes: [{}, { label: yLabel }],
      series: [{}].concat(names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 2,
        spanGaps: true }))),
    };
  }

  /** (Re)creates a chart when its series set changed, else feeds it the new data. */
  function draw(id, names, data, yLabel, yRange) {
    const el = document.getElementById(id);
    const key = names.join('|');
    let c = charts[id];
    if (!c || c.key !== key) {
      if (c) {
        c.plot.destroy();
      }
      c = { key, plot: new uPlot(opts(el, names, yLabel, yRange), [series.t].concat(data), el) };
      charts[id] = c;
    } else {
      c.plot.setData([series.t].concat(data));
    }
    el.dataset.points = String(series.t.length);
  }

  function render(doc) {
    const cost = doc.cost || { totalUsd: 0, savedUsd: 0, models: [] };
    document.getElementById('cost-total').textContent = usd(cost.totalUsd);
    document.getElementById('cost-saved').textContent = usd(cost.savedUsd);
    const unpriced = cost.models.filter((m) => !m.priced).map((m) => m.provider + '/' + m.model);
    document.getElementById('cost-unpriced').textContent =
        unpriced.length ? '(no price for ' + unpriced.join(', ') + ')' : '';
    const calls = document.getElementById('chart-calls');
    calls.dataset.totalCalls = String(totalCalls);
    const recent = series.calls.map((a) => a.slice(-10).reduce((m, v) => Math.max(m, v || 0), 0));
    calls.dataset.maxRecentRate = String(Math.max(0, ...recent));
    draw('chart-calls', OUTCOMES, series.calls, 'calls/s');
    draw('chart-latency', ['p50', 'p99'], [series.p50, series.p99], 'ms');
    draw('chart-cache', ['l1', 'l2'], [series.l1, series.l2], 'hit ratio', [0, 1]);
    draw('chart-limiters', [...limiterSeries.keys()], [...limiterSeries.values()], 'window');
    draw('chart-breakers', [...breakerSeries.keys()], [...breakerSeries.values()], 'state', [0, 2]);
    document.getElementById('charts-panel').dataset.rendered = 'true';
  }

  async function poll() {
    try {
      const res = await fetch('/actuator/llmix', { headers: { Accept: 'application/json' } });
      if (res.ok) {
        const doc = await res.json();
        sample(doc);
        render(doc);
      }
    } catch (e) {
      // The main dashboard script reports connection problems; the charts simply wait for the next poll.
    }
  }

  if (typeof uPlot === 'undefined') {
    document.getElementById('charts-panel').dataset.rendered = 'no-uplot';
    return;
  }
  poll();
  setInterval(poll, POLL_MS);
})();
