/**
 * Browser module `/ops/assets/charts.js`: throughput, latency p50/p95 and queue depth of the
 * last hour or day, for all agencies or one, drawn with uPlot (served by the bridge as
 * `/ops/assets/uplot.js`). The component owns its controls and fetches its own series, at most
 * once a minute (the history has one point a minute) or when the operator changes a control.
 */
export const DASHBOARD_CHARTS_JS = String.raw`import uPlot from './uplot.js';
import { h, t, replace, formatNumber } from './dom.js';

const REFETCH_MS = 60000;
const ZONE = 'Asia/Ho_Chi_Minh';
/** Hours and minutes in Vietnam's zone, like every time on the dashboard. */
const clock = new Intl.DateTimeFormat('vi-VN', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const stamp = (seconds) => clock.format(new Date(seconds * 1000));
const CHARTS = [
  { id: 'throughput', series: [{ key: 'throughputPerMinute', label: 'trends.deliveries', stroke: '#0b4f8a', fill: 'rgba(11, 79, 138, .12)' }], unit: '' },
  { id: 'latency', series: [
    { key: 'latencyP50Ms', label: 'trends.p50', stroke: '#1a7f37' },
    { key: 'latencyP95Ms', label: 'trends.p95', stroke: '#b42318' },
  ], unit: ' ms' },
  { id: 'queue', series: [{ key: 'queueDepth', label: 'trends.depth', stroke: '#9a5b00', fill: 'rgba(154, 91, 0, .12)' }], unit: '' },
];

/** Mounts the trend charts in 'root'; 'fetchHistory(agency, window)' returns the series. */
export function createTrends(root, fetchHistory, onError) {
  const state = { agency: '', window: '1h', series: null, fetchedAt: 0, codes: '', agencies: [], plots: [], loading: null };
  const select = h('select', { id: 'trend-agency', onchange: () => { state.agency = select.value; void load(); } });
  const windows = ['1h', '24h'].map((w) => h('button', {
    type: 'button', class: 'segment', dataset: { window: w },
    onclick: () => { state.window = w; void load(); },
  }));
  const label = h('label', { class: 'inline', for: 'trend-agency' });
  const group = h('div', { class: 'segments', role: 'group' }, windows);
  const grid = h('div', { class: 'trend-grid' });
  replace(root, h('div', { class: 'trend-controls' }, label, select, group), grid);

  function labels() {
    label.textContent = t('trends.agency');
    group.setAttribute('aria-label', t('trends.window'));
    for (const b of windows) {
      b.textContent = t('trends.window.' + b.dataset.window);
      b.setAttribute('aria-pressed', String(b.dataset.window === state.window));
    }
    const options = [h('option', { value: '' }, t('trends.all'))].concat(
      state.agencies.map((a) => h('option', { value: a.code }, a.code + ' – ' + a.name)));
    replace(select, options);
    select.value = state.agency;
  }

  async function load() {
    labels();
    const pending = fetchHistory(state.agency, state.window);
    state.loading = pending;
    try {
      const series = await pending;
      if (state.loading !== pending) return;
      state.series = series;
      draw();
    } catch (error) {
      if (state.loading === pending) onError(error);
    } finally {
      if (state.loading === pending) {
        state.loading = null;
        state.fetchedAt = Date.now();
      }
    }
  }

  function draw() {
    for (const plot of state.plots) plot.destroy();
    state.plots = [];
    const s = state.series;
    const width = Math.max(260, Math.floor((grid.clientWidth || 900) / 3) - 24);
    replace(grid, CHARTS.map((chart) => {
      const body = h('div', { class: 'trend-plot' });
      const points = s ? s.at.filter((_, i) => chart.series.some((c) => s[c.key][i] !== null)).length : 0;
      const figure = h('figure', { class: 'trend', dataset: { chart: chart.id, window: s ? s.window : '', agency: s ? s.agency || '*' : '', points: String(points) } },
        h('figcaption', {}, t('trends.' + chart.id)),
        body,
        points === 0 ? h('p', { class: 'muted empty-trend' }, t('trends.noData')) : null);
      if (s) {
        const data = [s.at].concat(chart.series.map((c) => s[c.key]));
        state.plots.push(new uPlot({
          width,
          height: 170,
          legend: { show: true },
          cursor: { drag: { x: false, y: false } },
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), ZONE),
          scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max === null ? 1 : max * 1.1)] } },
          axes: [
            { values: (u, ticks) => ticks.map(stamp) },
            { values: (u, ticks) => ticks.map((v) => formatNumber(v) + chart.unit), size: 76 },
          ],
          series: [{ label: t('trends.time'), value: (u, v) => (v === null ? '–' : stamp(v)) }].concat(chart.series.map((c) => ({
            label: t(c.label), stroke: c.stroke, fill: c.fill, width: 2, points: { show: true, size: 4 },
            value: (u, v) => (v === null ? '–' : formatNumber(v) + chart.unit),
          }))),
        }, data, body));
      }
      return figure;
    }));
  }

  return {
    /** Called on every refresh of the overview: keeps the agency list and fetches when due. */
    update(agencies) {
      const codes = agencies.map((a) => a.code).join(',');
      if (codes !== state.codes) {
        state.codes = codes;
        state.agencies = agencies;
        if (state.agency && !agencies.some((a) => a.code === state.agency)) state.agency = '';
        labels();
      }
      if (Date.now() - state.fetchedAt >= REFETCH_MS && state.loading === null) void load();
    },
    /** The language changed: captions and legends are redrawn without asking the server. */
    relabel() {
      labels();
      draw();
    },
  };
}
`;
