import { Browser, Page } from 'playwright-core';
import { AgencyRegistryService, parseAgencyYaml } from '@bridge/core';
import { REST_AGENCY, restAgencyFile, SeededHistory, seedRestHistory } from '@bridge/simulator';
import { launchHeadlessBrowser, openWatchedPage } from '../support/headless-browser';
import { DashboardGateway, startDashboardGateway } from './support-dashboard/dashboard-gateway';

/** The "try a change" panel of an agency's card, in a real browser against a real gateway. */
describe('dashboard: trying a changed agency file against the history, in headless Chromium', () => {
  let gateway: DashboardGateway;
  let browser: Browser;
  let page: Page;
  let file: string;
  let history: SeededHistory;
  let registry: AgencyRegistryService;
  let takeErrors: () => string[] = () => [];

  beforeAll(async () => {
    browser = await launchHeadlessBrowser();
    gateway = await startDashboardGateway();
    registry = gateway.app.get(AgencyRegistryService);
    // The dashboard's agency, now speaking REST, with a logged history of 20 dossiers.
    file = restAgencyFile('http://127.0.0.1:1');
    await registry.apply([parseAgencyYaml('agency.yaml', file)], { appliedBy: 'workbench-e2e' });
    history = await seedRestHistory(gateway.db.dataSource, (await registry.inForce(REST_AGENCY)).spec, 20);
    ({ page, takeErrors } = await openWatchedPage(browser, { width: 1440, height: 1000 }));
  }, 90_000);

  afterEach(() => {
    expect(takeErrors()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  const report = () => page.locator('#workbench-result .workbench-report');
  const cell = (mapping: string, outcome: string) =>
    report().locator(`tr[data-mapping="${mapping}"] td[data-outcome="${outcome}"]`);

  async function compare(text: string): Promise<void> {
    await page.getByLabel('Tệp cơ quan (YAML hoặc JSON)').fill(text);
    await page.getByRole('button', { name: 'So sánh với lịch sử' }).click();
  }

  it('opens from the agency card and shows which dossiers a changed status table concludes differently', async () => {
    await page.goto(`${gateway.baseUrl}/ops`);
    await page.getByLabel('Khóa API').fill(gateway.operatorKey);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const card = page.locator(`article.agency[data-code="${REST_AGENCY}"]`);
    await card.getByRole('button', { name: 'Thử thay đổi' }).click();
    await page.getByRole('heading', { name: 'Thử thay đổi tệp cơ quan' }).waitFor();

    const versionBefore = (await registry.inForce(REST_AGENCY)).version;
    await compare(file.replace('CHO_BO_SUNG: supplement_requested', 'CHO_BO_SUNG: processing'));
    await report().waitFor();
    const changed = history.dossierIds.filter((id) => history.pushedCode.get(id) === 'CHO_BO_SUNG');
    await expect(report().locator('.verdict').textContent()).resolves.toMatch(
      new RegExp(
        `^62 thông điệp đã chạy lại trong .+: ${changed.length} hồ sơ có kết luận khác\\. Không có lỗi mới\\.$`,
      ),
    );
    // One push per dossier; every tenth dossier's change was also polled.
    const polled = changed.filter((id) => history.dossierIds.indexOf(id) % 10 === 0).length;
    await expect(cell('statusChange', 'changed').textContent()).resolves.toBe(
      String(changed.length + polled),
    );
    await expect(cell('submitRequest', 'same').textContent()).resolves.toBe('20');
    // The changed file stays within the fast evaluator's subset: nothing handed to JSONata.
    await expect(cell('statusChange', 'fallbacks').textContent()).resolves.toBe('0');
    const listed = (await report().locator('.dossiers-changed .mono').textContent())!.split(', ');
    expect(new Set(listed)).toEqual(new Set(changed));
    await expect(
      report().locator('li[data-outcome="changed"][data-mapping="statusChange"]').first().textContent(),
    ).resolves.toContain('status: "supplement_requested" → "processing"');
    // Nothing applied: the file in force is the same version.
    expect((await registry.inForce(REST_AGENCY)).version).toBe(versionBefore);
  });

  it('shows a mapping that now fails, with the example, and says it in English too', async () => {
    await compare(file.replace('"agencyDossierCode": maHoSo,', '"agencyDossierCode": soHoSo,'));
    await report().and(page.locator('[data-failing="true"]')).waitFor();
    await expect(cell('submitResponse', 'nowFailing').textContent()).resolves.toBe('20');
    await expect(
      report().locator('li[data-outcome="nowFailing"][data-mapping="submitResponse"]').first().textContent(),
    ).resolves.toContain('the agency accepted the dossier but its answer has no dossier code');

    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await expect(report().locator('.verdict').textContent()).resolves.toMatch(
      /^Mappings now fail: 62 messages replayed in .+, 20 dossiers affected\. Do not apply this file\.$/,
    );
    await expect(page.locator('#workbench-title').textContent()).resolves.toBe(
      'Try a change to the agency file',
    );
    await page.getByLabel('Language').selectOption('vi');
  });

  it('names the problem of a file that is not a valid agency file, comparing nothing', async () => {
    await compare(file.replace(/^code: .*$/m, 'code: 000.00.99.H48'));
    await page
      .locator('#workbench-result [role="alert"]')
      .filter({ hasText: 'the file is for 000.00.99.H48' })
      .waitFor();
  });
});
