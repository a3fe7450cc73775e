import { Browser, Page } from 'playwright-core';
import { launchHeadlessBrowser, openWatchedPage } from '../support/headless-browser';
import {
  DASHBOARD_AGENCY,
  DashboardGateway,
  startDashboardGateway,
} from './support-dashboard/dashboard-gateway';

const EXTRA = 60;
const DAK_PO = '000.00.77.X00042';

/** The agency cards of a bridge with more agencies than one page holds, in a real browser. */
describe('dashboard agency cards: search and pages', () => {
  let gateway: DashboardGateway;
  let browser: Browser;
  let page: Page;
  let takeErrors: () => string[] = () => [];
  const cards = () => page.locator('#agency-grid article.agency');
  const pageLabel = () => page.locator('#agency-page');

  beforeAll(async () => {
    browser = await launchHeadlessBrowser();
    gateway = await startDashboardGateway();
    // Rows as the registry stores them, sharing the first agency's adapter: enough for three pages.
    await gateway.db.dataSource.query(
      `INSERT INTO agencies (code, name, level, parent_code, province, procedures, spec_version)
       SELECT '000.00.77.X' || lpad(i::text, 5, '0'), 'UBND xã Thử Nghiệm ' || i, 'commune', '000.00.00.P77', '77', '[]', 1
         FROM generate_series(1, $1::int) i`,
      [EXTRA],
    );
    await gateway.db.dataSource.query(`UPDATE agencies SET name = 'UBND xã Đắk Pơ' WHERE code = $1`, [
      DAK_PO,
    ]);
    await gateway.db.dataSource.query(
      `INSERT INTO adapter_specs (agency_code, version, kind, spec, content_hash, applied_by)
       SELECT a.code, 1, s.kind, s.spec, s.content_hash, 'dashboard-e2e'
         FROM agencies a, adapter_specs s
        WHERE a.code LIKE '000.00.77.X%' AND s.agency_code = $1 AND s.version = 1`,
      [DASHBOARD_AGENCY],
    );
    ({ page, takeErrors } = await openWatchedPage(browser, { width: 1440, height: 900 }));
  }, 90_000);

  afterEach(() => {
    expect(takeErrors()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('shows one page of cards grouped by province, and turns pages', async () => {
    await page.goto(`${gateway.baseUrl}/ops`);
    await page.getByLabel('Khóa API').fill(gateway.operatorKey);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await pageLabel().filter({ hasText: 'Trang 1/3 · 61 cơ quan' }).waitFor();
    expect(await cards().count()).toBe(24);
    // Grouped under province then parent: the pilot agency's, then the 23 first communes of 77.
    await expect(page.locator('.agency-group-title').allTextContents()).resolves.toEqual([
      'Tỉnh 48 › 000.00.00.H48',
      'Tỉnh 77 › 000.00.00.P77',
    ]);
    expect(await page.locator('.agency-group[data-province="77"] article.agency').count()).toBe(23);
    const firstPage = await cards().evaluateAll((els) => els.map((el) => el.getAttribute('data-code')));

    await page.getByRole('button', { name: 'Trang sau ›' }).click();
    await pageLabel().filter({ hasText: 'Trang 2/3' }).waitFor();
    const secondPage = await cards().evaluateAll((els) => els.map((el) => el.getAttribute('data-code')));
    expect(secondPage).toHaveLength(24);
    expect(secondPage.filter((code) => firstPage.includes(code))).toEqual([]);
    await page.getByRole('button', { name: 'Trang sau ›' }).click();
    await pageLabel().filter({ hasText: 'Trang 3/3' }).waitFor();
    expect(await cards().count()).toBe(61 - 48);
    await expect(page.getByRole('button', { name: 'Trang sau ›' }).isDisabled()).resolves.toBe(true);
  });

  it('finds an agency by name without diacritics and by code, and says when nothing matches', async () => {
    await page.getByLabel('Tìm theo mã hoặc tên').fill('dak po');
    await page.getByRole('button', { name: 'Tìm cơ quan' }).click();
    await pageLabel().filter({ hasText: 'Trang 1/1 · 1 cơ quan' }).waitFor();
    await expect(
      cards().evaluateAll((els) => els.map((el) => el.getAttribute('data-code'))),
    ).resolves.toEqual([DAK_PO]);

    await page.getByLabel('Tìm theo mã hoặc tên').fill('x0001');
    await page.getByRole('button', { name: 'Tìm cơ quan' }).click();
    await pageLabel().filter({ hasText: 'Trang 1/1 · 10 cơ quan' }).waitFor();

    await page.getByLabel('Tìm theo mã hoặc tên').fill('không có đơn vị này');
    await page.getByRole('button', { name: 'Tìm cơ quan' }).click();
    await page.locator('#agency-grid .empty').filter({ hasText: 'Không có cơ quan nào khớp' }).waitFor();
    expect(await cards().count()).toBe(0);
  });
});
