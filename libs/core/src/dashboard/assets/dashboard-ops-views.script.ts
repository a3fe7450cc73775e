/**
 * Browser module `/ops/assets/ops-views.js`: the agency grid and the dead-letter groups. Views
 * are pure renderers: data and callbacks in, elements out; the app module owns the state.
 */
export const DASHBOARD_OPS_VIEWS_JS = String.raw`import { h, t, tOr, formatDateTime, formatMs, formatNumber, formatRate } from './dom.js';

/** Whether the agency's status polls (or callbacks) stopped succeeding. */
function pollUnhealthy(agency) {
  return Boolean(agency.poll && agency.poll.healthy === false);
}

/**
 * The colour of an agency: red when its circuit is open or its status polls fail or went
 * stale (dossiers there stop moving unseen), grey when an operator paused it,
 * amber when something waits for a person (dead letters, late dossiers) or the circuit is
 * probing, green otherwise.
 */
export function agencyHealth(agency) {
  if (agency.circuit === 'open' || pollUnhealthy(agency)) return 'red';
  if (agency.paused) return 'grey';
  if ((agency.deadLetters || 0) > 0 || (agency.late || 0) > 0 || agency.circuit === 'half_open') return 'amber';
  return 'green';
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'paused'];

export function renderAgencies(agencies, actions) {
  if (agencies.length === 0) return [h('p', { class: 'empty' }, t('agencies.none'))];
  return agencies.map((agency) => agencyCard(agency, actions));
}

export function agencySummary(agencies, parked) {
  const counts = { total: agencies.length, green: 0, amber: 0, red: 0, grey: 0 };
  for (const agency of agencies) counts[agencyHealth(agency)] += 1;
  const summary = t('agencies.summary', counts);
  if (!parked) return summary;
  return summary + ' · ' + (parked.count > 0
    ? t('parked.waiting', { count: formatNumber(parked.count), since: formatDateTime(parked.oldestParkedAt) })
    : t('parked.none'));
}

/** The agency's status polls in a few words, with the reason when they are unhealthy. */
function pollText(poll) {
  switch (poll.state) {
    case 'failing': return t('poll.failing', { count: poll.consecutiveFailures, error: poll.lastError || '' });
    case 'stale': return t('poll.stale', { since: poll.lastSuccessAt ? formatDateTime(poll.lastSuccessAt) : t('common.never') });
    case 'healthy': return t('poll.healthy');
    case 'paused': return t('poll.paused');
    default: return t('poll.notPolled');
  }
}

/** Whether the agency file names no probe operation: "healthy" would claim what no check saw. */
function unprobed(agency) {
  return Boolean(agency.probe && !agency.probe.operation);
}

/** How the agency is checked between calls: its probe operation, or what stands in for one. */
function probeText(probe) {
  if (probe.operation) return t('probe.operation', { operation: probe.operation });
  return t('probe.none.' + (probe.fallback || 'none'));
}

/** The card's badge: its health, except that nothing checked says "healthy" without a probe. */
function healthBadge(agency, health) {
  const label = health === 'green' && unprobed(agency) ? 'unprobed' : health;
  return h('span', { class: 'badge badge-' + label }, t('health.' + label));
}

function agencyCard(agency, actions) {
  const health = agencyHealth(agency);
  const titleId = 'agency-' + agency.code.replace(/[^A-Za-z0-9]/g, '-');
  const queue = agency.queue || {};
  const toggle = agency.paused
    ? h('button', {
        type: 'button',
        class: 'primary small',
        'aria-label': t('agency.resumeLabel', { name: agency.name }),
        onclick: (event) => actions.resume(agency.code, event.currentTarget),
      }, t('agency.resume'))
    : h('button', {
        type: 'button',
        class: 'secondary small',
        'aria-label': t('agency.pauseLabel', { name: agency.name }),
        onclick: (event) => actions.pause(agency.code, event.currentTarget),
      }, t('agency.pause'));
  const dataset = { code: agency.code, health, probe: unprobed(agency) ? 'none' : 'operation' };
  return h('article', { class: 'agency health-' + health, 'aria-labelledby': titleId, dataset },
    h('header', { class: 'agency-head' },
      h('div', {},
        h('h3', { id: titleId }, agency.name),
        h('p', { class: 'code' }, agency.code, ' · ', t('agency.kind'), ': ', agency.kind || t('common.none'))),
      healthBadge(agency, health)),
    h('p', { class: 'circuit circuit-' + agency.circuit }, tOr('circuit.' + agency.circuit, agency.circuit)),
    h('table', { class: 'queue' },
      h('caption', {}, t('agency.queue')),
      h('thead', {}, h('tr', {}, QUEUE_STATES.map((s) => h('th', { scope: 'col' }, t('queue.' + s))))),
      h('tbody', {}, h('tr', {}, QUEUE_STATES.map((s) =>
        h('td', { class: (queue[s] || 0) > 0 && (s === 'failed' || s === 'paused') ? 'warn' : undefined }, formatNumber(queue[s] || 0)))))),
    h('dl', { class: 'facts' },
      fact(t('agency.deadLetters'), formatNumber(agency.deadLetters || 0), (agency.deadLetters || 0) > 0),
      fact(t('agency.late'), formatNumber(agency.late || 0), (agency.late || 0) > 0),
      fact(t('agency.onTime'), formatRate(agency.onTimeRate)),
      fact(t('agency.latency'), formatMs(agency.latencyMs && agency.latencyMs.p50) + ' / ' + formatMs(agency.latencyMs && agency.latencyMs.p95)),
      fact(t('agency.lastSuccess'), agency.lastSuccessAt ? formatDateTime(agency.lastSuccessAt) : t('common.never')),
      agency.poll ? fact(t('agency.poll'), pollText(agency.poll), pollUnhealthy(agency)) : null,
      agency.probe ? fact(t('agency.probe'), probeText(agency.probe), unprobed(agency)) : null),
    h('footer', { class: 'agency-actions' },
      toggle,
      h('button', { type: 'button', class: 'secondary small', onclick: () => actions.tryChange(agency.code, agency.name) }, t('workbench.try')),
      (agency.late || 0) > 0
        ? h('button', { type: 'button', class: 'link small', onclick: () => actions.showLate(agency.code) }, t('agency.showLate'))
        : null));
}

function fact(label, value, warn) {
  return h('div', { class: warn ? 'warn' : undefined }, h('dt', {}, label), h('dd', {}, value));
}

export function renderDeadLetters(groups, actions, openGroups) {
  if (groups.length === 0) return [h('p', { class: 'empty ok' }, t('deadLetters.none'))];
  return groups.map((group) => deadLetterGroup(group, actions, openGroups));
}

/** The signature starts with the error code, already shown as a badge beside it. */
function signatureText(group) {
  const prefix = group.errorCode + ': ';
  return group.signature.startsWith(prefix) ? group.signature.slice(prefix.length) : group.signature;
}

function deadLetterGroup(group, actions, openGroups) {
  const examples = group.examples || [];
  const details = h('details', { open: openGroups.has(group.signature) },
    h('summary', {}, t('deadLetters.examples', { count: examples.length })),
    h('table', { class: 'data' },
      h('thead', {}, h('tr', {},
        ['deadLetters.at', 'deadLetters.agencies', 'deadLetters.dossier', 'deadLetters.operation', 'deadLetters.reason', 'deadLetters.attempts', 'deadLetters.actions']
          .map((key) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, examples.map((example) => h('tr', { dataset: { deadLetter: example.id } },
        h('td', { class: 'nowrap' }, formatDateTime(example.createdAt)),
        h('td', { class: 'mono' }, example.agencyCode || t('common.none')),
        h('td', {}, example.dossierId
          ? h('button', { type: 'button', class: 'link mono', title: t('deadLetters.open'), onclick: () => actions.openDossier(example.dossierId) }, example.dossierId.slice(0, 8) + '…')
          : t('common.none')),
        h('td', { class: 'mono' }, example.operation),
        h('td', { class: 'reason' }, example.reason),
        h('td', { class: 'num' }, formatNumber(example.attempts)),
        h('td', {}, h('button', {
          type: 'button',
          class: 'secondary small',
          'aria-label': t('deadLetters.replayOneLabel', { id: example.id }),
          onclick: (event) => actions.replayOne(example.id, event.currentTarget),
        }, t('deadLetters.replay'))))))));
  details.addEventListener('toggle', () => {
    if (details.open) openGroups.add(group.signature);
    else openGroups.delete(group.signature);
  });
  return h('article', { class: 'dead-letter-group', dataset: { signature: group.signature } },
    h('header', { class: 'group-head' },
      h('div', { class: 'group-title' },
        h('span', { class: 'badge badge-code' }, group.errorCode),
        h('h3', {}, signatureText(group))),
      h('div', { class: 'group-count' },
        h('strong', {}, formatNumber(group.count)),
        h('span', { class: 'muted' }, ' ' + t('deadLetters.unit'))),
      h('button', {
        type: 'button',
        class: 'primary',
        'aria-label': t('deadLetters.replayGroupLabel', { count: group.count, code: group.errorCode }),
        onclick: (event) => actions.replayGroup(group.signature, event.currentTarget),
      }, t('deadLetters.replayGroup'))),
    h('dl', { class: 'facts inline-facts' },
      fact(t('deadLetters.agencies'), (group.agencies || []).join(', ') || t('common.none')),
      fact(t('deadLetters.first'), formatDateTime(group.firstAt)),
      fact(t('deadLetters.last'), formatDateTime(group.lastAt))),
    details);
}
`;
