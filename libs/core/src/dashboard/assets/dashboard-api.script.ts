/**
 * Browser module `/ops/assets/api.js`: every call of the ops API, with the operator's key as
 * Bearer. The key lives in sessionStorage (this tab only, gone when the tab closes); a 401
 * forgets it so the page goes back to the sign-in form.
 */
export const DASHBOARD_API_JS = String.raw`const KEY_STORAGE = 'bridge.ops.apiKey';

/** An HTTP error of the API, carrying the status and the server's message. */
export class ApiError extends Error {
  constructor(status, message, payload) {
    super(message);
    this.status = status;
    this.payload = payload;
  }
}

export function storedKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_STORAGE);
}

async function call(method, path, body) {
  const key = storedKey();
  if (!key) throw new ApiError(401, 'no API key');
  const headers = { Authorization: 'Bearer ' + key, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (error) {
    throw new ApiError(0, error && error.message ? error.message : 'network error');
  }
  const text = await response.text();
  let payload = null;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = text;
    }
  }
  if (!response.ok) {
    const message = payload && typeof payload === 'object' && payload.message !== undefined
      ? (Array.isArray(payload.message) ? payload.message.join('; ') : String(payload.message))
      : response.status + ' ' + response.statusText;
    if (response.status === 401) forgetKey();
    throw new ApiError(response.status, message, payload);
  }
  return payload;
}

const enc = encodeURIComponent;

export const api = {
  overview: (query) => call('GET', '/api/v1/ops/overview' + (query || '')),
  history: (agency, window) =>
    call('GET', '/api/v1/ops/history?window=' + enc(window) + (agency ? '&agency=' + enc(agency) : '')),
  hierarchy: () => call('GET', '/api/v1/ops/hierarchy'),
  deadLetters: () => call('GET', '/api/v1/ops/dead-letters'),
  replayDeadLetter: (id) => call('POST', '/api/v1/ops/dead-letters/' + enc(id) + '/replay'),
  replaySignature: (signature) => call('POST', '/api/v1/ops/dead-letters/replay', { signature }),
  lateDossiers: (agency) => call('GET', '/api/v1/ops/dossiers/late' + (agency ? '?agency=' + enc(agency) : '')),
  dossier: (ref) => call('GET', '/api/v1/dossiers/' + enc(ref)),
  messages: (dossierId) => call('GET', '/api/v1/ops/messages?dossier=' + enc(dossierId)),
  pause: (code) => call('POST', '/api/v1/ops/agencies/' + enc(code) + '/pause'),
  resume: (code) => call('POST', '/api/v1/ops/agencies/' + enc(code) + '/resume'),
  preview: (code, file, since) =>
    call('POST', '/api/v1/agencies/' + enc(code) + '/preview?since=' + enc(since || '30d'), file),
};
`;
