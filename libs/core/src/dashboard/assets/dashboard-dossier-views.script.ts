/**
 * Browser module `/ops/assets/dossier-views.js`: one dossier with its timeline across the post
 * and the agency and its message log, and the list of late dossiers.
 */
export const DASHBOARD_DOSSIER_VIEWS_JS = String.raw`import { h, t, tOr, formatDate, formatDateTime, formatNumber } from './dom.js';

function statusLabel(status) {
  return status ? tOr('status.' + status, status) : t('common.none');
}

function statusBadge(status) {
  return h('span', { class: 'badge badge-status', dataset: { status: status || '' } }, statusLabel(status));
}

function applicantName(applicant) {
  if (!applicant) return t('common.none');
  return applicant.fullName || applicant.name || t('common.none');
}

export function renderDossier(found, messages, actions) {
  const d = found.dossier;
  const ref = d.inboundItemId || d.agencyDossierCode || d.id;
  const punctuality = found.punctuality || 'pending';
  return h('article', { class: 'card dossier', 'aria-labelledby': 'dossier-title', dataset: { dossierId: d.id } },
    h('header', { class: 'dossier-head' },
      h('h3', { id: 'dossier-title' }, t('dossier.title', { ref })),
      statusBadge(d.status),
      h('span', { class: 'badge badge-punctuality-' + punctuality }, tOr('punctuality.' + punctuality, punctuality))),
    h('dl', { class: 'facts grid-facts' },
      item(t('dossier.bridgeId'), d.id, 'mono'),
      item(t('dossier.itemId'), d.inboundItemId, 'mono'),
      item(t('dossier.resultItemId'), d.resultItemId, 'mono'),
      item(t('dossier.agency'), d.agencyCode, 'mono'),
      item(t('dossier.agencyCode'), d.agencyDossierCode, 'mono'),
      item(t('dossier.procedure'), d.procedureCode, 'mono'),
      item(t('dossier.applicant'), applicantName(d.applicant)),
      item(t('dossier.appointment'), d.appointmentDate ? formatDate(d.appointmentDate) : null)),
    h('h4', {}, t('timeline.title')),
    renderTimeline(found.timeline || []),
    h('h4', {}, t('messages.title')),
    renderMessages(messages, actions));
}

function item(label, value, cls) {
  return h('div', {}, h('dt', {}, label), h('dd', { class: cls }, value || t('common.none')));
}

function renderTimeline(timeline) {
  if (timeline.length === 0) return h('p', { class: 'empty' }, t('timeline.none'));
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data timeline' },
    h('thead', {}, h('tr', {},
      ['timeline.at', 'timeline.origin', 'timeline.event', 'timeline.change', 'timeline.sequence', 'timeline.detail']
        .map((key) => h('th', { scope: 'col' }, t(key))))),
    h('tbody', {}, timeline.map((entry) => h('tr', { class: 'kind-' + entry.kind, dataset: { origin: entry.origin } },
      h('td', { class: 'nowrap' }, formatDateTime(entry.at)),
      h('td', {}, h('span', { class: 'origin origin-' + entry.origin }, tOr('origin.' + entry.origin, entry.origin))),
      h('td', { class: 'mono' }, entry.event),
      h('td', {}, entry.to ? [entry.from ? statusLabel(entry.from) + ' → ' : '', h('strong', {}, statusLabel(entry.to))] : t('common.none')),
      h('td', { class: 'num' }, entry.sequence === null || entry.sequence === undefined ? t('common.none') : entry.sequence),
      h('td', { class: 'reason' }, entry.detail || ''))))));
}

function renderMessages(messages, actions) {
  if (messages.error) return h('p', { class: 'empty warn' }, t('messages.unavailable', { reason: messages.error }));
  const records = messages.records || [];
  if (records.length === 0) return h('p', { class: 'empty' }, t('messages.none'));
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data messages' },
    h('thead', {}, h('tr', {},
      ['timeline.at', 'messages.channel', 'messages.direction', 'messages.operation', 'messages.status', 'messages.body']
        .map((key) => h('th', { scope: 'col' }, t(key))))),
    h('tbody', {}, records.map((m) => h('tr', {},
      h('td', { class: 'nowrap' }, formatDateTime(m.loggedAt)),
      h('td', {}, tOr('origin.' + m.channel, m.channel), m.agencyCode ? h('span', { class: 'muted mono' }, ' ' + m.agencyCode) : null),
      h('td', {}, tOr('direction.' + m.direction, m.direction)),
      h('td', { class: 'mono' }, m.operation),
      h('td', { class: 'mono' }, m.status || t('common.none')),
      h('td', {}, h('details', { open: actions.isMessageOpen(m.id), ontoggle: (e) => actions.messageToggled(m.id, e.currentTarget.open) },
        h('summary', {}, t('messages.show')),
        h('pre', { class: 'body' }, prettyBody(m.body)))))))));
}

function prettyBody(body) {
  if (typeof body !== 'string') return JSON.stringify(body, null, 2);
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * Late dossiers grouped by agency. The API answers { agencies: [{ code, name, late, dossiers }] };
 * a flat list of dossiers carrying their agencyCode is grouped here the same way.
 */
export function lateGroups(payload, agencyNames) {
  if (payload && Array.isArray(payload.agencies)) return payload.agencies;
  const groups = new Map();
  for (const d of Array.isArray(payload) ? payload : []) {
    if (!groups.has(d.agencyCode))
      groups.set(d.agencyCode, { code: d.agencyCode, name: agencyNames.get(d.agencyCode) || null, late: 0, dossiers: [] });
    const group = groups.get(d.agencyCode);
    group.late += 1;
    group.dossiers.push(d);
  }
  return [...groups.values()];
}

export function renderLate(groups, actions) {
  const withDossiers = groups.filter((g) => (g.dossiers || []).length > 0);
  if (withDossiers.length === 0) return [h('p', { class: 'empty ok' }, t('late.none'))];
  return withDossiers.map((group) => h('article', { class: 'late-group', dataset: { agency: group.code } },
    h('h3', {}, group.name ? group.name + ' ' : '', h('span', { class: 'muted mono' }, group.code),
      h('span', { class: 'badge badge-red' }, formatNumber(group.late))),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data late' },
      h('thead', {}, h('tr', {},
        ['dossier.itemId', 'dossier.agencyCode', 'dossier.procedure', 'dossier.status', 'dossier.appointment', 'late.daysLate']
          .map((key) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, group.dossiers.map((d) => h('tr', { dataset: { dossierId: d.id } },
        h('td', {}, h('button', { type: 'button', class: 'link mono', onclick: () => actions.openDossier(d.inboundItemId || d.agencyDossierCode || d.id) },
          d.inboundItemId || d.id.slice(0, 8) + '…')),
        h('td', { class: 'mono' }, d.agencyDossierCode || t('common.none')),
        h('td', { class: 'mono' }, d.procedureCode),
        h('td', {}, statusBadge(d.status)),
        h('td', { class: 'nowrap' }, formatDate(d.appointmentDate)),
        h('td', { class: 'num late-days' }, t('late.days', { days: formatNumber(d.daysLate) })))))))));
}
`;
