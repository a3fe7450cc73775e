import { DASHBOARD_AGENCY_PAGER_JS } from './assets/dashboard-agency-pager.script';
import { DASHBOARD_API_JS } from './assets/dashboard-api.script';
import { DASHBOARD_APP_JS } from './assets/dashboard-app.script';
import { DASHBOARD_CHARTS_JS } from './assets/dashboard-charts.script';
import { DASHBOARD_DOM_JS } from './assets/dashboard-dom.script';
import { DASHBOARD_DOSSIER_VIEWS_JS } from './assets/dashboard-dossier-views.script';
import { DASHBOARD_HIERARCHY_JS } from './assets/dashboard-hierarchy.script';
import { DASHBOARD_MESSAGES } from './assets/dashboard-messages';
import { DASHBOARD_OPS_VIEWS_JS } from './assets/dashboard-ops-views.script';
import { DASHBOARD_PAGE_HTML } from './assets/dashboard-page';
import { DASHBOARD_PAGER_CSS } from './assets/dashboard-pager-messages';
import { DASHBOARD_CSS } from './assets/dashboard-styles';
import { DASHBOARD_TRENDS_CSS } from './assets/dashboard-trends-styles';
import { DASHBOARD_WORKBENCH_CSS } from './assets/dashboard-workbench-page';
import { DASHBOARD_WORKBENCH_JS } from './assets/dashboard-workbench.script';
import { UPLOT_CSS, UPLOT_JS } from './dashboard-vendor-assets';

/** One static file of the dashboard. */
export interface DashboardAsset {
  contentType: string;
  body: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

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
    { contentType: CSS, body: DASHBOARD_CSS + DASHBOARD_WORKBENCH_CSS + DASHBOARD_PAGER_CSS },
  ],
  ['charts.js', { contentType: JS, body: DASHBOARD_CHARTS_JS }],
  ['hierarchy.js', { contentType: JS, body: DASHBOARD_HIERARCHY_JS }],
  ['agency-pager.js', { contentType: JS, body: DASHBOARD_AGENCY_PAGER_JS }],
  ['trends.css', { contentType: CSS, body: DASHBOARD_TRENDS_CSS }],
  ['uplot.js', { contentType: JS, body: UPLOT_JS }],
  ['uplot.css', { contentType: CSS, body: UPLOT_CSS }],
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
