import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { parse } from 'yaml';
import { PollHealthRecorder } from '@bridge/core';
import { sharedAgencyQueueName } from '@bridge/queues';
import { registerAgencies, withOverrides } from '@bridge/testing';
import { launchHeadlessBrowser, openWatchedPage } from '../support/headless-browser';
import {
  DASHBOARD_AGENCY,
  DASHBOARD_AGENCY_NAME,
  DashboardGateway,
  startDashboardGateway,
} from './support-dashboard/dashboard-gateway';
import { SeededDossier, seedLateDossier } from './support-dashboard/dashboard-seed';

const SCREENSHOT = path.join(__dirname, 'artifacts', 'ops-dashboard.png');
const ADAPTERS = path.join(__dirname, '..', '..', 'adapters');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The operations dashboard in a real browser against a real gateway. */
describe('operations dashboard (/ops) in headless Chromium', () => {
  let gateway: DashboardGateway;
  let seeded: SeededDossier;
  let browser: Browser;
  let page: Page;
  let takeErrors: () => string[] = () => [];
  const agencyCard = () => page.locator(`article.agency[data-code="${DASHBOARD_AGENCY}"]`);

  beforeAll(async () => {
    browser = await launchHeadlessBrowser();
    gateway = await startDashboardGateway();
    seeded = await seedLateDossier(gateway.app, DASHBOARD_AGENCY);
    ({ page, takeErrors } = await openWatchedPage(browser, { width: 1440, height: 900 }));
  }, 90_000);

  afterEach(() => {
    // A script error on the page fails the step it happened in, with the browser's message.
    expect(takeErrors()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('serves the page without a key and asks for one, refusing a wrong key and a key without the operator role', async () => {
    const response = await page.goto(`${gateway.baseUrl}/ops`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('vi');
    await page.getByRole('heading', { name: 'Đăng nhập người điều hành' }).waitFor();

    await page.getByLabel('Khóa API').fill('pob_AAAAAAAA_' + 'b'.repeat(32));
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').filter({ hasText: 'Khóa API không hợp lệ' }).waitFor();

    await page.getByLabel('Khóa API').fill(gateway.postalKey);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').filter({ hasText: 'không có vai trò người điều hành' }).waitFor();
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
  });

  it('signs in with an operator key and shows the agency, its health and the dead-letter group', async () => {
    await page.getByLabel('Khóa API').fill(gateway.operatorKey);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await agencyCard().waitFor();
    await expect(agencyCard().locator('h3').textContent()).resolves.toBe(DASHBOARD_AGENCY_NAME);
    // One open dead letter and one late dossier: it needs attention, but its circuit is fine.
    await expect(agencyCard().getAttribute('data-health')).resolves.toBe('amber');
    await expect(agencyCard().locator('.badge').textContent()).resolves.toBe('Cần chú ý');
    expect(await page.evaluate('sessionStorage.length')).toBe(1);

    const group = page
      .locator('article.dead-letter-group')
      .filter({ hasText: 'Tờ khai bổ sung không đúng mẫu' });
    await group.waitFor();
    await expect(group.locator('.badge-code').textContent()).resolves.toBe('PERMANENT');
    await expect(group.locator('.group-count strong').textContent()).resolves.toBe('1');
    await expect(page.locator('#refresh-status').textContent()).resolves.toMatch(/^Cập nhật lúc /);
  });

  it('lists the late dossier and finds it by its S10 with its timeline across post and agency and its messages', async () => {
    const lateRow = page.locator(`#late-list tr[data-dossier-id="${seeded.dossierId}"]`);
    await lateRow.waitFor();
    await expect(lateRow.locator('.late-days').textContent()).resolves.toMatch(/^3 ngày$/);

    await page
      .getByLabel('Mã bưu gửi S10, mã hồ sơ của cơ quan hoặc mã hồ sơ cầu nối')
      .fill(seeded.itemId.toLowerCase());
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    const dossier = page.locator(`article.dossier[data-dossier-id="${seeded.dossierId}"]`);
    await dossier.waitFor();
    await expect(dossier.locator('h3').textContent()).resolves.toBe(`Hồ sơ ${seeded.itemId}`);
    await expect(dossier.locator('.badge-status').textContent()).resolves.toBe('Đang xử lý');
    await expect(dossier.locator('.badge-punctuality-late').textContent()).resolves.toBe('Trễ hạn');

    const timeline = dossier.locator('table.timeline tbody tr');
    const origins = await timeline.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-origin')));
    expect(origins).toEqual(expect.arrayContaining(['postal', 'agency', 'bridge']));
    const events = await timeline.locator('td:nth-child(3)').allTextContents();
    expect(events).toEqual(
      expect.arrayContaining([
        'postal.dossier.collected',
        'postal.dossier.handed_over',
        'agency.dossier.received',
        'agency.dossier.processing',
      ]),
    );
    await expect(timeline.filter({ hasText: 'agency.dossier.received' }).textContent()).resolves.toContain(
      seeded.agencyDossierCode,
    );
    const messages = dossier.locator('table.messages tbody tr');
    expect(await messages.count()).toBe(2);
    await expect(messages.first().textContent()).resolves.toContain('submit');
  });

  it('switches to English and back, and takes a screenshot of the whole page', async () => {
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('heading', { name: 'Operations dashboard' }).waitFor();
    await expect(agencyCard().locator('.badge').textContent()).resolves.toBe('Needs attention');
    await page.getByLabel('Language').selectOption('vi');
    await page.getByRole('heading', { name: 'Bảng điều hành' }).waitFor();

    await page.locator('article.dead-letter-group summary').first().click();
    await page.evaluate('window.scrollTo(0, 0)');
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('replays a dead letter from its example row: the letter is replayed and a new job waits in the outbox', async () => {
    const row = page.locator(`tr[data-dead-letter="${seeded.deadLetterId}"]`);
    await row.getByRole('button', { name: 'Phát lại' }).click();
    await page.locator('#toast').filter({ hasText: 'Đã phát lại thư chết' }).waitFor();

    const letter = await waitFor('the dead letter to be replayed', async () => {
      const [found] = await gateway.db.dataSource.query<Array<{ state: string; resolved_by: string }>>(
        `SELECT state, resolved_by FROM dead_letters WHERE id = $1`,
        [seeded.deadLetterId],
      );
      return found?.state === 'replayed' ? found : undefined;
    });
    expect(letter.resolved_by).toContain('Trực ca vận hành');
    const jobs = await gateway.db.dataSource.query<Array<{ topic: string; message_id: string }>>(
      `SELECT topic, message_id FROM outbox WHERE kind = 'job' AND dossier_id = $1 AND topic = 'submit-supplement'`,
      [seeded.dossierId],
    );
    expect(jobs).toEqual([
      { topic: 'submit-supplement', message_id: `submit-supplement.${seeded.dossierId}.1.replay-1` },
    ]);
    // The next refresh shows the group gone and the agency healthier (still late: amber).
    await page.getByText('Không có thư chết nào').waitFor();
  });

  it('pauses the agency from its card (grey) and resumes it', async () => {
    await agencyCard()
      .getByRole('button', { name: `Tạm dừng gửi hồ sơ đến ${DASHBOARD_AGENCY_NAME}` })
      .click();
    await waitFor('the card to turn grey', async () =>
      (await agencyCard().getAttribute('data-health')) === 'grey' ? true : undefined,
    );
    await agencyCard()
      .getByRole('button', { name: `Tiếp tục gửi hồ sơ đến ${DASHBOARD_AGENCY_NAME}` })
      .click();
    await waitFor('the card to leave grey', async () =>
      (await agencyCard().getAttribute('data-health')) === 'amber' ? true : undefined,
    );
  });

  it('turns the card red while its status polls fail, with the error, and counts the parked events', async () => {
    const dataSource = gateway.app.get(DataSource);
    const health = new PollHealthRecorder(dataSource);
    await health.failed(DASHBOARD_AGENCY, new Error('ECONNREFUSED 10.0.0.7:443'));
    await health.failed(DASHBOARD_AGENCY, new Error('ECONNREFUSED 10.0.0.7:443'));
    await dataSource.query(
      `INSERT INTO parked_events (dossier_ref, event, payload, reason) VALUES ('HS-early', 'agency.dossier.received', '{}', 'early')`,
    );
    await page.locator('#refresh-now').click();
    await waitFor('the card to turn red', async () =>
      (await agencyCard().getAttribute('data-health')) === 'red' ? true : undefined,
    );
    await expect(
      agencyCard().locator('.facts .warn', { hasText: 'Hỏi trạng thái' }).textContent(),
    ).resolves.toContain('Lỗi 2 lần liên tiếp: ECONNREFUSED 10.0.0.7:443');
    await expect(page.locator('#agency-summary').textContent()).resolves.toMatch(/1 sự kiện chờ bước trước/);

    await health.succeeded(DASHBOARD_AGENCY, 'poll');
    await dataSource.query(`DELETE FROM parked_events WHERE dossier_ref = 'HS-early'`);
    await page.locator('#refresh-now').click();
    await waitFor('the card to leave red', async () =>
      (await agencyCard().getAttribute('data-health')) === 'amber' ? true : undefined,
    );
  });

  it('says so on the card of an agency whose file names no probe operation, instead of "healthy"', async () => {
    // Vendor B described only by its OpenAPI document: no health operation to ask.
    const file = readFileSync(path.join(ADAPTERS, 'rest', 'fixtures', 'lookup-only', 'agency.yaml'), 'utf8');
    const agency = withOverrides(parse(file) as Record<string, unknown>, {
      parent: undefined,
      adapter: { auth: { type: 'api-key', header: 'X-Api-Key', key: 'khoa-thu-nghiem' } },
    });
    await registerAgencies(gateway.db.dataSource, [agency]);
    const card = page.locator(`article.agency[data-code="${agency.code as string}"]`);
    await page.locator('#refresh-now').click();
    await card.waitFor();
    await expect(card.getAttribute('data-probe')).resolves.toBe('none');
    await expect(card.locator('.badge').textContent()).resolves.toBe('Không có thao tác kiểm tra');
    await expect(
      card.locator('.facts .warn', { hasText: 'Kiểm tra kết nối' }).textContent(),
    ).resolves.toContain('Không có thao tác kiểm tra: thay bằng tra cứu một hồ sơ không tồn tại');
    // The SOAP agency names one (KiemTraKetNoi): its card shows its health and the operation.
    await expect(agencyCard().getAttribute('data-probe')).resolves.toBe('operation');
    await expect(
      agencyCard().locator('.facts', { hasText: 'Kiểm tra kết nối' }).textContent(),
    ).resolves.toContain('KiemTraKetNoi');

    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('heading', { name: 'Operations dashboard' }).waitFor();
    await expect(card.locator('.badge').textContent()).resolves.toBe('No probe operation');
    await expect(card.locator('.facts .warn', { hasText: 'Probe' }).textContent()).resolves.toContain(
      'No probe operation: a look-up of a dossier that cannot exist is used instead',
    );
    await page.getByLabel('Language').selectOption('vi');
    await page.getByRole('heading', { name: 'Bảng điều hành' }).waitFor();
  });

  it('sends the operator back to the sign-in form when the key stops working', async () => {
    await page.evaluate(`sessionStorage.setItem('bridge.ops.apiKey', 'pob_AAAAAAAA_${'c'.repeat(32)}')`);
    await page.getByRole('button', { name: 'Cập nhật ngay' }).click();
    await page.getByRole('alert').filter({ hasText: 'Khóa API không hợp lệ' }).waitFor();
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    expect(await page.evaluate(`sessionStorage.getItem('bridge.ops.apiKey')`)).toBeNull();
  });

  it('opens Bull Board at /ops/queues only for an operator key, as Bearer or as the Basic password', async () => {
    const board = `${gateway.baseUrl}/ops/queues`;
    const anonymous = await fetch(`${board}/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const postal = await fetch(`${board}/`, { headers: { Authorization: `Bearer ${gateway.postalKey}` } });
    expect(postal.status).toBe(403);

    const basic = `Basic ${Buffer.from(`truc-ca:${gateway.operatorKey}`).toString('base64')}`;
    const ui = await fetch(`${board}/`, { headers: { Authorization: basic } });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<div id="root"');
    const queues = await fetch(`${board}/api/queues`, {
      headers: { Authorization: `Bearer ${gateway.operatorKey}` },
    });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
    // Every agency's jobs are on one shared queue.
    expect(body.queues.map((q) => q.name)).toEqual([sharedAgencyQueueName(`${gateway.namespace}-agency`)]);
    expect(body.queues[0].readOnlyMode).toBe(true);
  });
});
