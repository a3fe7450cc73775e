/**
 * Browser module `/ops/assets/dashboard.js`: sign-in, the refresh loop, and the operator's
 * actions (pause, resume, replay, search). It keeps the last data so a language switch
 * re-renders at once without asking the server again.
 */
export const DASHBOARD_APP_JS = String.raw`import { api, ApiError, forgetKey, storedKey, storeKey } from './api.js';
import { currentLanguage, formatTime, h, replace, setLanguage, t } from './dom.js';
import { agencySummary, renderAgencies, renderDeadLetters } from './ops-views.js';
import { lateGroups, renderDossier, renderLate } from './dossier-views.js';
import { createTrends } from './charts.js';
import { createHierarchy } from './hierarchy.js';
import { createAgencyPager } from './agency-pager.js';
import { openWorkbench, renderWorkbench, startWorkbench } from './workbench.js';

const REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);

const state = {
  overview: null,
  deadLetters: null,
  late: null,
  dossier: null,
  dossierRef: null,
  lateAgency: '',
  openGroups: new Set(),
  openMessages: new Set(),
  refreshedAt: null,
  refreshError: null,
  timer: null,
  generation: 0,
};

const trends = createTrends($('trend-charts'), api.history, (error) => handleError(error));
const pager = createAgencyPager($('agency-search-form'), $('agency-pager'), () => void refresh());
const hierarchy = createHierarchy($('hierarchy-tree'), api.hierarchy, (error) => handleError(error));

const agencyActions = {
  pause: (code, button) => act(button, () => api.pause(code), t('agency.paused', { code })),
  resume: (code, button) => act(button, () => api.resume(code), t('agency.resumed', { code })),
  tryChange: (code, name) => openWorkbench(code, name),
  showLate: (code) => {
    $('late-agency').value = code;
    state.lateAgency = code;
    void refresh();
    $('late').scrollIntoView({ behavior: 'smooth', block: 'start' });
  },
};

const deadLetterActions = {
  replayGroup: (signature, button) =>
    act(button, () => api.replaySignature(signature), (result) =>
      t('deadLetters.replayed', { count: replayedCount(result) })),
  replayOne: (id, button) => act(button, () => api.replayDeadLetter(id), t('deadLetters.replayedOne', { id: id.slice(0, 8) })),
  openDossier: (ref) => openDossier(ref),
};

const dossierActions = {
  openDossier: (ref) => openDossier(ref),
  isMessageOpen: (id) => state.openMessages.has(id),
  messageToggled: (id, open) => (open ? state.openMessages.add(id) : state.openMessages.delete(id)),
};

function replayedCount(result) {
  if (result && typeof result === 'object') {
    for (const key of ['replayed', 'count']) if (typeof result[key] === 'number') return result[key];
  }
  return typeof result === 'number' ? result : 1;
}

function showSignedIn(signedIn) {
  for (const el of document.querySelectorAll('[data-when]'))
    el.hidden = el.dataset.when !== (signedIn ? 'signed-in' : 'signed-out');
}

function toast(message, kind) {
  const el = $('toast');
  el.textContent = message;
  el.className = 'toast toast-' + (kind || 'ok');
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.hidden = true), 6000);
}

function signOut(messageKey, params) {
  forgetKey();
  clearTimeout(state.timer);
  state.generation += 1;
  Object.assign(state, { overview: null, deadLetters: null, late: null, dossier: null, dossierRef: null });
  showSignedIn(false);
  $('login-message').textContent = messageKey ? t(messageKey, params) : '';
  $('api-key').value = '';
  $('api-key').focus();
}

/** 401 ends the session; 403 names what the key may not do; anything else is shown as is. */
function handleError(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut('login.invalid');
    return true;
  }
  if (error instanceof ApiError && error.status === 403) toast(t('common.forbidden', { reason: error.message }), 'error');
  else toast(t('common.error', { reason: error && error.message ? error.message : String(error) }), 'error');
  return false;
}

async function act(button, call, success) {
  if (button) button.disabled = true;
  try {
    const result = await call();
    toast(typeof success === 'function' ? success(result) : success, 'ok');
    await refresh();
  } catch (error) {
    handleError(error);
  } finally {
    if (button && button.isConnected) button.disabled = false;
  }
}

async function signIn(event) {
  event.preventDefault();
  const key = $('api-key').value.trim();
  const message = $('login-message');
  if (!key) {
    message.textContent = t('login.empty');
    return;
  }
  message.textContent = t('login.checking');
  storeKey(key);
  try {
    state.overview = await api.overview(pager.query());
  } catch (error) {
    forgetKey();
    if (error instanceof ApiError && error.status === 401) message.textContent = t('login.invalid');
    else if (error instanceof ApiError && error.status === 403) message.textContent = t('login.forbidden', { reason: error.message });
    else message.textContent = t('common.error', { reason: error.message });
    return;
  }
  message.textContent = '';
  $('api-key').value = '';
  showSignedIn(true);
  await refresh();
  $('main').focus();
}

async function loadDossier(ref) {
  const found = await api.dossier(ref);
  let messages;
  try {
    messages = { records: await api.messages(found.dossier.id) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw error;
    messages = { error: error.message };
  }
  return { found, messages };
}

async function openDossier(ref) {
  $('dossier-ref').value = ref;
  await search();
  $('search').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

async function search(event) {
  if (event) event.preventDefault();
  const ref = $('dossier-ref').value.trim();
  const target = $('dossier-result');
  if (!ref) {
    replace(target, h('p', { class: 'message' }, t('search.empty')));
    return;
  }
  replace(target, h('p', { class: 'muted' }, t('search.searching')));
  try {
    state.dossier = await loadDossier(ref);
    state.dossierRef = ref;
    state.openMessages.clear();
    render();
  } catch (error) {
    state.dossier = null;
    state.dossierRef = null;
    if (error instanceof ApiError && error.status === 404) replace(target, h('p', { class: 'message' }, t('search.notFound', { ref })));
    else if (!handleError(error)) replace(target, h('p', { class: 'message' }, t('common.error', { reason: error.message })));
  }
}

async function refresh() {
  if (!storedKey()) return;
  clearTimeout(state.timer);
  const generation = ++state.generation;
  $('refresh-status').textContent = t('app.refreshing');
  const [overview, deadLetters, late, dossier] = await Promise.allSettled([
    api.overview(pager.query()),
    api.deadLetters(),
    api.lateDossiers(state.lateAgency),
    state.dossierRef ? loadDossier(state.dossierRef) : Promise.resolve(null),
  ]);
  if (generation !== state.generation) return;
  const failures = [overview, deadLetters, late, dossier].filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (failures.some((e) => e instanceof ApiError && e.status === 401)) return void signOut('login.invalid');
  if (overview.status === 'fulfilled') state.overview = overview.value;
  if (deadLetters.status === 'fulfilled') state.deadLetters = deadLetters.value;
  if (late.status === 'fulfilled') state.late = late.value;
  if (dossier.status === 'fulfilled' && dossier.value) state.dossier = dossier.value;
  state.refreshError = failures.length > 0 ? failures[0].message : null;
  state.refreshedAt = new Date();
  render();
  state.timer = setTimeout(() => void refresh(), REFRESH_MS);
}

function renderStatus() {
  const el = $('refresh-status');
  if (!state.refreshedAt) return;
  const stamp = t('app.refreshedAt', { time: formatTime(state.refreshedAt) });
  el.textContent = state.refreshError ? stamp + ' · ' + t('app.refreshFailed', { reason: state.refreshError }) : stamp;
  el.classList.toggle('warn', Boolean(state.refreshError));
  el.title = t('app.autoRefresh', { seconds: REFRESH_MS / 1000 });
}

function renderLateFilter(agencies) {
  const select = $('late-agency');
  const options = [h('option', { value: '' }, t('late.all'))].concat(
    agencies.map((a) => h('option', { value: a.code }, a.code + ' – ' + a.name)));
  replace(select, options);
  select.value = state.lateAgency;
}

function render() {
  renderStatus();
  if (state.overview) {
    const agencies = state.overview.agencies || [];
    $('agency-summary').textContent = agencySummary(agencies, state.overview.parked);
    replace($('agency-grid'), pager.group(agencies, (list) => renderAgencies(list, agencyActions)));
    pager.update(state.overview.page);
    renderLateFilter(agencies);
    trends.update(agencies);
    hierarchy.update(agencies);
  }
  if (state.deadLetters) replace($('dead-letter-groups'), renderDeadLetters(state.deadLetters, deadLetterActions, state.openGroups));
  if (state.late) {
    const names = new Map(((state.overview && state.overview.agencies) || []).map((a) => [a.code, a.name]));
    replace($('late-list'), renderLate(lateGroups(state.late, names), dossierActions));
  }
  if (state.dossier) replace($('dossier-result'), renderDossier(state.dossier.found, state.dossier.messages, dossierActions));
  renderWorkbench();
}

function start() {
  const language = $('language');
  language.value = currentLanguage();
  setLanguage(currentLanguage());
  language.addEventListener('change', () => {
    setLanguage(language.value);
    render();
    trends.relabel();
    hierarchy.relabel();
  });
  $('login-form').addEventListener('submit', (event) => void signIn(event));
  $('search-form').addEventListener('submit', (event) => void search(event));
  $('logout').addEventListener('click', () => signOut());
  $('refresh-now').addEventListener('click', () => void refresh());
  startWorkbench();
  $('late-agency').addEventListener('change', (event) => {
    state.lateAgency = event.target.value;
    void refresh();
  });
  const signedIn = Boolean(storedKey());
  showSignedIn(signedIn);
  if (signedIn) void refresh();
  else $('api-key').focus();
}

start();
`;
