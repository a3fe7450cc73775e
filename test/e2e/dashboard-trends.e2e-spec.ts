import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import {
  ADAPTER_FACTORIES,
  AgencyRegistryService,
  DeadLetterService,
  OPS_HISTORY_TOTAL,
  PollHealthRecorder,
  SecretCipher,
} from '@bridge/core';
import { TEST_SECRET_KEY } from '@bridge/testing';
import { DEMO_SECRETS } from '../../apps/simulator/src/fleet/fleet-secrets';
import { launchHeadlessBrowser, openWatchedPage } from '../support/headless-browser';
import {
  DASHBOARD_AGENCY,
  DashboardGateway,
  startDashboardGateway,
} from './support-dashboard/dashboard-gateway';

const ROOT = path.join(__dirname, '..', '..');
const MINUTE = 60_000;
/** Screenshots go to docs/images when asked (`DASHBOARD_SCREENSHOTS=docs`), else beside the tests. */
const SHOTS =
  process.env.DASHBOARD_SCREENSHOTS === 'docs'
    ? path.join(ROOT, 'docs', 'images')
    : path.join(__dirname, 'artifacts');
const WARD = '000.01.41.H48'; // Thạch Thang, under the Hải Châu district of the Đà Nẵng pilot
const DISTRICT = '000.00.41.H48';
const CITY = '000.00.00.H48';
const PROVINCE = '000.00.00.H51';
const COMMUNE = '000.00.02.H51'; // Trương Quang Trọng, directly under the 2025 province

/** One history row a minute `ago` minutes before the current minute. */
interface Seed {
  agency: string;
  ago: number;
}

/** The same ten-minute slots as the day window: distinct slots of the seeded minutes. */
function daySlots(minutes: Date[]): number {
  return new Set(minutes.map((m) => Math.floor(m.getTime() / (10 * MINUTE)))).size;
}

/** Pixels of the canvas of one chart in a series' colour: the line and points really drawn. */
async function strokePixels(page: Page, chart: string, [r, g, b]: [number, number, number]): Promise<number> {
  return page.evaluate(`(() => {
    const canvas = document.querySelector('figure[data-chart="${chart}"] canvas');
    if (!canvas) return -1;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i] - ${r}) < 24 && Math.abs(data[i + 1] - ${g}) < 24 && Math.abs(data[i + 2] - ${b}) < 24 && data[i + 3] > 200) n++;
    return n;
  })()`);
}

/** The dashboard's trend charts and unit tree in a real browser against a real gateway. */
describe('operations dashboard: trends and the unit tree', () => {
  let gateway: DashboardGateway;
  let browser: Browser;
  let page: Page;
  let takeErrors: () => string[] = () => [];
  const now = Date.now();
  const minute = (ago: number) => new Date(Math.floor(now / MINUTE) * MINUTE - ago * MINUTE);
  const totalMinutes = [
    ...Array.from({ length: 40 }, (_, i) => i + 1),
    ...Array.from({ length: 100 }, (_, i) => 120 + i * 10),
  ];
  const agencyMinutes = Array.from({ length: 20 }, (_, i) => i + 1);
  const figure = (chart: string) => page.locator(`figure[data-chart="${chart}"]`);
  const node = (code: string) => page.locator(`#hierarchy-tree li[data-code="${code}"]`);

  beforeAll(async () => {
    browser = await launchHeadlessBrowser();
    // The pilot's units poll every second and no worker polls here: keep them from going stale.
    gateway = await startDashboardGateway({ BRIDGE_POLL_STALE_INTERVALS: '1000' });
    const dataSource = gateway.app.get(DataSource);
    const seeds: Seed[] = [
      ...totalMinutes.map((ago) => ({ agency: OPS_HISTORY_TOTAL, ago })),
      ...agencyMinutes.map((ago) => ({ agency: DASHBOARD_AGENCY, ago })),
    ];
    // A rising, wavy load so the picture reads like a real day.
    await dataSource.query(
      `INSERT INTO ops_history (bucket, agency_code, deliveries, latency_p50_ms, latency_p95_ms, queue_depth)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[])`,
      [
        seeds.map((s) => minute(s.ago)),
        seeds.map((s) => s.agency),
        seeds.map((s) => 30 + Math.round(12 * Math.sin(s.ago / 7))),
        seeds.map((s) => 240 + Math.round(60 * Math.cos(s.ago / 5))),
        seeds.map((s) => 900 + Math.round(300 * Math.sin(s.ago / 3))),
        seeds.map((s) => 4 + Math.round(4 * Math.sin(s.ago / 9))),
      ],
    );
    const registry = new AgencyRegistryService(
      dataSource,
      new SecretCipher(TEST_SECRET_KEY),
      ADAPTER_FACTORIES,
      {
        configRoot: ROOT,
        env: { ...DEMO_SECRETS },
      },
    );
    for (const dir of ['config/agencies/danang', 'config/agencies/quangngai-2025'])
      await registry.apply(await registry.loadFiles(dir), { appliedBy: 'dashboard-trends-e2e' });
    // A ward with a dead letter needs attention; a commune whose polls fail is in trouble.
    await gateway.app.get(DeadLetterService).recordNow({
      origin: 'delivery',
      agencyCode: WARD,
      operation: 'submit-dossier',
      payload: {},
      errorCode: 'PERMANENT',
      reason: 'the agency refused the dossier',
      attempts: [],
    });
    const polls = new PollHealthRecorder(dataSource);
    await polls.failed(COMMUNE, new Error('ECONNREFUSED 127.0.0.1:31502'));
    ({ page, takeErrors } = await openWatchedPage(browser, { width: 1280, height: 860 }));
    await page.goto(`${gateway.baseUrl}/ops`);
    await page.getByLabel('Khóa API').fill(gateway.operatorKey);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
  }, 120_000);

  afterEach(() => {
    expect(takeErrors()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('draws the last hour of all agencies from the history, uPlot served by the bridge itself', async () => {
    await page.locator('figure[data-chart="throughput"][data-window="1h"]').waitFor();
    for (const chart of ['throughput', 'latency', 'queue'])
      await expect(figure(chart).getAttribute('data-points')).resolves.toBe('40');
    expect(await strokePixels(page, 'throughput', [11, 79, 138])).toBeGreaterThan(100);
    expect(await strokePixels(page, 'latency', [180, 35, 24])).toBeGreaterThan(100); // p95
    expect(await strokePixels(page, 'latency', [26, 127, 55])).toBeGreaterThan(100); // p50
    await expect(figure('latency').locator('.u-legend').textContent()).resolves.toContain('p95');
    const script = await fetch(`${gateway.baseUrl}/ops/assets/uplot.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toMatch(/export default uPlot;\n$/);

    await page.evaluate('window.scrollTo(0, 0)');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'ops-trends.png') });
  });

  it('switches to the last 24 hours and back, and to one agency', async () => {
    await page.getByRole('button', { name: '24 giờ qua' }).click();
    await page.locator('figure[data-chart="queue"][data-window="24h"]').waitFor();
    await expect(page.getByRole('button', { name: '24 giờ qua' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    const slots = String(daySlots(totalMinutes.map((ago) => minute(ago))));
    await expect(figure('throughput').getAttribute('data-points')).resolves.toBe(slots);
    expect(await strokePixels(page, 'queue', [154, 91, 0])).toBeGreaterThan(100);

    await page.getByRole('button', { name: '1 giờ qua' }).click();
    await page.locator('figure[data-chart="queue"][data-window="1h"]').waitFor();
    // A minute the bridge sampled without a row of the agency (nothing queued, nothing done)
    // reads as zero: the agency's 20 minutes and 20 zeros; the ward's 40 zeros, and no latency.
    await page.getByLabel('Xem cơ quan').selectOption(DASHBOARD_AGENCY);
    await page.locator(`figure[data-chart="throughput"][data-agency="${DASHBOARD_AGENCY}"]`).waitFor();
    await expect(figure('throughput').getAttribute('data-points')).resolves.toBe('40');
    await expect(figure('latency').getAttribute('data-points')).resolves.toBe('20');
    await page.getByLabel('Xem cơ quan').selectOption(WARD);
    await page.locator(`figure[data-chart="throughput"][data-agency="${WARD}"]`).waitFor();
    await expect(figure('throughput').getAttribute('data-points')).resolves.toBe('40');
    await expect(figure('latency').getAttribute('data-points')).resolves.toBe('0');
    await expect(figure('latency').textContent()).resolves.toContain('Chưa có số liệu trong khoảng này.');
  });

  it('shows the two trees closed, coloured by the worst unit beneath each', async () => {
    await node(CITY).waitFor();
    const roots = await page
      .locator('#hierarchy-tree > ul > li')
      .evaluateAll((li) =>
        li.map((el) => [
          el.getAttribute('data-code'),
          el.getAttribute('data-level'),
          el.getAttribute('data-health'),
        ]),
      );
    expect(roots).toEqual([
      [CITY, 'city', 'amber'],
      [PROVINCE, 'province', 'red'],
    ]);
    // Closed: nothing beneath a root is in the page yet.
    expect(await page.locator('#hierarchy-tree li').count()).toBe(2);
  });

  it('opens the pilot: city → departments and districts → wards, three levels', async () => {
    await node(CITY).getByRole('button', { name: /^Mở / }).first().click();
    const children = node(CITY).locator(':scope > ul > li');
    const levels = await children.evaluateAll((li) => li.map((el) => el.getAttribute('data-level')));
    expect(new Set(levels)).toEqual(new Set(['department', 'district', 'commune']));
    expect(levels.filter((l) => l === 'district')).toHaveLength(7);
    await expect(node(DISTRICT).getAttribute('data-health')).resolves.toBe('amber');
    expect(await node(WARD).count()).toBe(0);

    await node(DISTRICT).locator(':scope > .tree-row button').click();
    await expect(node(WARD).getAttribute('data-depth')).resolves.toBe('3');
    await expect(node(WARD).getAttribute('data-level')).resolves.toBe('ward');
    await expect(node(WARD).getAttribute('data-health')).resolves.toBe('amber');
    await expect(node(WARD).locator('.tree-tallies').textContent()).resolves.toBe('Cần chú ý');
    await expect(node(DASHBOARD_AGENCY).getAttribute('data-health')).resolves.toBe('green');
  });

  it('opens the 2025 province: communes directly beneath it, two levels, the failing one red', async () => {
    await node(PROVINCE).locator(':scope > .tree-row button').click();
    const communes = node(PROVINCE).locator(':scope > ul > li');
    const rows = await communes.evaluateAll((li) =>
      li.map((el) => [
        el.getAttribute('data-level'),
        el.getAttribute('data-depth'),
        el.querySelector('ul, .tree-toggle'),
      ]),
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(
      rows.every(([level, depth, nested]) => level === 'commune' && depth === '2' && nested === null),
    ).toBe(true);
    await expect(node(COMMUNE).getAttribute('data-health')).resolves.toBe('red');
    await expect(node(PROVINCE).locator(':scope > .tree-row .tree-tallies').textContent()).resolves.toMatch(
      /1 Sự cố/,
    );

    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await expect(node(COMMUNE).locator('.tree-meta').textContent()).resolves.toMatch(/^Commune · /);
    await page.getByLabel('Language').selectOption('vi');
    await node(COMMUNE).locator('.tree-meta', { hasText: 'Xã, phường' }).waitFor();
    await page.locator('#hierarchy').screenshot({ path: path.join(SHOTS, 'ops-hierarchy.png') });
  });
});
