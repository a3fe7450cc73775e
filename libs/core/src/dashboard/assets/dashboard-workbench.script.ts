/**
 * Browser module `/ops/assets/workbench.js`: the "try a change" panel of an agency. The
 * operator pastes or uploads a changed agency file; the gateway replays the agency's logged
 * messages through it and the file in force (`POST /api/v1/agencies/:code/preview`) and the
 * panel shows the counts per mapping and the first examples. Nothing is applied.
 */
export const DASHBOARD_WORKBENCH_JS = String.raw`import { api } from './api.js';
import { formatMs, formatNumber, h, replace, t } from './dom.js';

/** Larger files are refused in the page: agency files are a few kilobytes. */
const MAX_FILE_BYTES = 1024 * 1024;
const OUTCOMES = ['same', 'changed', 'nowFailing', 'nowPassing'];
const state = { code: null, name: null, since: '30d', report: null, error: null, busy: false };
const $ = (id) => document.getElementById(id);

/** Opens the panel for one agency (from its card). */
export function openWorkbench(code, name) {
  if (state.code !== code) Object.assign(state, { report: null, error: null });
  state.code = code;
  state.name = name;
  const section = $('workbench');
  section.hidden = false;
  renderWorkbench();
  section.scrollIntoView({ behavior: 'smooth', block: 'start' });
  $('workbench-file').focus();
}

/** Re-renders the panel's texts and result (after a language switch). */
export function renderWorkbench() {
  if (!state.code) return;
  $('workbench-agency').textContent = t('workbench.for', { name: state.name, code: state.code });
  replace($('workbench-result'), state.error ? h('p', { class: 'message', role: 'alert' }, state.error) : state.report ? result(state.report) : null);
  $('workbench-run').disabled = state.busy;
}

function candidateBody(text) {
  const trimmed = text.trim();
  if (!trimmed) throw new Error(t('workbench.empty'));
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      throw new Error(t('workbench.badJson', { reason: error.message }));
    }
  }
  return { yaml: text };
}

async function run(event) {
  event.preventDefault();
  Object.assign(state, { report: null, error: null, busy: true });
  replace($('workbench-result'), h('p', { class: 'muted' }, t('workbench.running')));
  $('workbench-run').disabled = true;
  try {
    state.report = await api.preview(state.code, candidateBody($('workbench-file').value), $('workbench-since').value);
  } catch (error) {
    const problems = error.payload && Array.isArray(error.payload.problems) ? error.payload.problems : [];
    state.error = problems.length
      ? t('workbench.invalid') + ' ' + problems.map((p) => p.path + ': ' + p.message).join('; ')
      : t('common.error', { reason: error.message });
  } finally {
    state.busy = false;
    renderWorkbench();
  }
}

async function upload(event) {
  const file = event.target.files && event.target.files[0];
  if (!file) return;
  if (file.size > MAX_FILE_BYTES) {
    state.error = t('workbench.tooLarge', { size: formatNumber(MAX_FILE_BYTES) });
    renderWorkbench();
    return;
  }
  $('workbench-file').value = await file.text();
}

function result(report) {
  const failing = report.failing;
  return h('div', { class: 'workbench-report', dataset: { failing: String(failing) } },
    h('p', { class: failing ? 'verdict verdict-bad' : 'verdict verdict-ok', role: 'status' },
      t(failing ? 'workbench.verdictFailing' : report.dossiersChangedTotal > 0 ? 'workbench.verdictChanged' : 'workbench.verdictSame', {
        messages: formatNumber(report.messagesRead),
        dossiers: formatNumber(report.dossiersChangedTotal),
        time: formatMs(report.elapsedMs),
      })),
    h('table', { class: 'workbench-counts' },
      h('thead', {}, h('tr', {}, ['workbench.mapping', 'workbench.replayed', 'workbench.same', 'workbench.changed', 'workbench.nowFailing', 'workbench.nowPassing', 'workbench.fallbacks'].map((key) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, report.mappings.map((m) => h('tr', { dataset: { mapping: m.mapping } },
        h('th', { scope: 'row', class: 'mono' }, m.mapping),
        h('td', { class: 'num' }, formatNumber(m.replayed)),
        OUTCOMES.map((o) => h('td', { class: 'num ' + (o === 'nowFailing' && m.counts[o] > 0 ? 'warn' : ''), dataset: { outcome: o } }, formatNumber(m.counts[o]))),
        h('td', { class: 'num', dataset: { outcome: 'fallbacks' } }, m.fallbacks === undefined ? '-' : formatNumber(m.fallbacks)))))),
    examples(report),
    report.dossiersChangedTotal > 0
      ? h('p', { class: 'dossiers-changed' }, t('workbench.dossiers', { count: formatNumber(report.dossiersChangedTotal) }), ' ',
          h('span', { class: 'mono' }, report.dossiersChanged.join(', ')))
      : null,
    report.maskedFields.length
      ? h('p', { class: 'muted' }, t('workbench.masked'), ' ', h('span', { class: 'mono' }, report.maskedFields.join(', ')))
      : null,
    (report.notes || []).map((note) => h('p', { class: 'muted workbench-note' }, note)),
    Object.keys(report.notReplayed).length
      ? h('ul', { class: 'muted' }, Object.entries(report.notReplayed).map(([what, why]) => h('li', {}, t('workbench.notReplayed', { what, why }))))
      : null);
}

function examples(report) {
  const items = [];
  for (const m of report.mappings) {
    for (const outcome of ['nowFailing', 'changed', 'nowPassing']) {
      for (const e of m.examples[outcome] || []) {
        const detail = e.error
          ? e.error
          : (e.fields || []).slice(0, 4).map((f) => f.path + ': ' + JSON.stringify(f.then) + ' → ' + JSON.stringify(f.now)).join('; ');
        items.push(h('li', { dataset: { outcome, mapping: m.mapping } },
          h('strong', {}, m.mapping + ' · ' + t('workbench.' + outcome)), ' ',
          e.dossier ? h('span', { class: 'mono' }, e.dossier + ' ') : null,
          h('span', {}, detail)));
      }
    }
  }
  return items.length ? h('section', { class: 'workbench-examples' }, h('h4', {}, t('workbench.examples')), h('ul', {}, items)) : null;
}

export function startWorkbench() {
  $('workbench-form').addEventListener('submit', (event) => void run(event));
  $('workbench-upload').addEventListener('change', (event) => void upload(event));
  $('workbench-close').addEventListener('click', () => {
    $('workbench').hidden = true;
    state.code = null;
  });
}
`;
