import { DASHBOARD_API_JS } from './assets/dashboard-api.script';
import { DASHBOARD_APP_JS } from './assets/dashboard-app.script';
import { DASHBOARD_DOM_JS } from './assets/dashboard-dom.script';
import { DASHBOARD_DOSSIER_VIEWS_JS } from './assets/dashboard-dossier-views.script';
import { DASHBOARD_MESSAGES } from './assets/dashboard-messages';
import { DASHBOARD_OPS_VIEWS_JS } from './assets/dashboard-ops-views.script';
import { DASHBOARD_PAGE_HTML } from './assets/dashboard-page';
import { DASHBOARD_CSS } from './assets/dashboard-styles';
import { DASHBOARD_WORKBENCH_CSS } from './assets/dashboard-workbench-page';
import { DASHBOARD_WORKBENCH_JS } from './assets/dashboard-workbench.script';

/** One static file of the dashboard. */
export interface DashboardAsset {
  contentType: string;
  body: string;
}

const JS = 'text/javascript; charset=utf-8';

/**
 * The dashboard's files, served under `/ops/assets/<name>`. They are TypeScript string modules
 * so the compiler carries them into `dist/` with everything else: no build step, no copy step.
 */
export const DASHBOARD_ASSETS: ReadonlyMap<string, DashboardAsset> = new Map([
  ['dashboard.js', { contentType: JS, body: DASHBOARD_APP_JS }],
  ['api.js', { contentType: JS, body: DASHBOARD_API_JS }],
  ['dom.js', { contentType: JS, body: DASHBOARD_DOM_JS }],
  ['ops-views.js', { contentType: JS, body: DASHBOARD_OPS_VIEWS_JS }],
  ['dossier-views.js', { contentType: JS, body: DASHBOARD_DOSSIER_VIEWS_JS }],
  ['workbench.js', { contentType: JS, body: DASHBOARD_WORKBENCH_JS }],
  [
    'messages.js',
    { contentType: JS, body: `export const MESSAGES = ${JSON.stringify(DASHBOARD_MESSAGES)};\n` },
  ],
  [
    'dashboard.css',
    { contentType: 'text/css; charset=utf-8', body: DASHBOARD_CSS + DASHBOARD_WORKBENCH_CSS },
  ],
]);

/** The page itself, served at `/ops`. */
export const DASHBOARD_PAGE: DashboardAsset = {
  contentType: 'text/html; charset=utf-8',
  body: DASHBOARD_PAGE_HTML,
};

/**
 * Only the dashboard's own files run on the page, and it talks only to its own origin: a
 * script injected through data could neither run nor send the operator's key elsewhere.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
