import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { AgencyAdapter, IntegrationErrorCode, silentAdapterLogger } from '@bridge/adapter-sdk';
import { RestAgencySimulator } from '@bridge/simulator';
import { restAdapterFactory } from './rest-adapter.factory';
import { exampleRestSpec, recordingContext, sampleDossier, SESSION_CREDENTIALS } from './rest-test-kit';

const agencyId = { code: '000.00.53.H48', name: 'UBND phường Hải Châu' };

describe('rest adapter: how agency failures are classified', () => {
  let agency: RestAgencySimulator;
  let adapter: AgencyAdapter;

  beforeEach(async () => {
    agency = await RestAgencySimulator.start({ port: 0, auth: SESSION_CREDENTIALS });
    adapter = restAdapterFactory.create(agencyId, exampleRestSpec(agency.url, { timeoutMs: 300 }), {
      logger: silentAdapterLogger,
    });
  });
  afterEach(() => agency.close());

  it('429 with Retry-After → RATE_LIMITED with that wait', async () => {
    agency.setThrottle(42);
    await expect(
      adapter.submit({ idempotencyKey: 'k1', dossier: sampleDossier() }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.RATE_LIMITED,
      retryAfterMs: 42_000,
    });
  });

  it('an agency slower than timeoutMs → TEMPORARY naming the timeout', async () => {
    agency.setLatency(1000);
    const attempt = adapter.lookup('5f0c7d2e-8a41-4c3b-9e6f-2b7a1d9c4e10', recordingContext());
    await expect(attempt).rejects.toMatchObject({
      code: IntegrationErrorCode.TEMPORARY,
      vendorCode: 'TIMEOUT',
    });
    await expect(attempt).rejects.toThrow(/within 300 ms/);
  });

  it('a maintenance HTML page (503) → TEMPORARY; a 500 → TEMPORARY', async () => {
    const dossier = sampleDossier();
    agency.setDown(true);
    await expect(
      adapter.submit({ idempotencyKey: dossier.id, dossier }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.TEMPORARY,
    });
    agency.setDown(false);
    agency.setErrorRate(1);
    await expect(adapter.submit({ idempotencyKey: dossier.id, dossier }, recordingContext())).rejects.toThrow(
      /HTTP 500: Lỗi hệ thống/,
    );
    agency.setErrorRate(0);
    expect(await agency.filedCount(dossier.id)).toBe(0);
  });

  it("a dossier the agency refuses → PERMANENT with the agency's reason", async () => {
    const dossier = { ...sampleDossier(), procedureCode: 'KHONG-HOP-LE' };
    await expect(
      adapter.submit({ idempotencyKey: dossier.id, dossier }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.PERMANENT,
      message: expect.stringContaining('Trường maThuTuc không hợp lệ'),
    });
  });

  it('supplement for a dossier the agency does not know → NOT_FOUND', async () => {
    const supplement = {
      idempotencyKey: 's1',
      agencyDossierCode: '000.00.53.H48-250101-9999',
      documents: [],
      collectedAt: new Date().toISOString(),
    };
    await expect(adapter.submitSupplement(supplement, recordingContext())).rejects.toMatchObject({
      code: IntegrationErrorCode.NOT_FOUND,
    });
  });

  it('a refused connection → TEMPORARY', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gone = restAdapterFactory.create(agencyId, exampleRestSpec(`http://127.0.0.1:${port}`), {
      logger: silentAdapterLogger,
    });
    await expect(gone.lookup('x', recordingContext())).rejects.toMatchObject({
      code: IntegrationErrorCode.TEMPORARY,
    });
  });
});

describe('rest adapter: an agency that cannot de-duplicate', () => {
  it('with lookupBeforeSubmit files a dossier once however often it is submitted', async () => {
    const agency = await RestAgencySimulator.start({ port: 0, auth: SESSION_CREDENTIALS, dedupe: false });
    try {
      const spec = exampleRestSpec(agency.url);
      spec.options = { ...spec.options, lookupBeforeSubmit: true };
      const adapter = restAdapterFactory.create(agencyId, spec, { logger: silentAdapterLogger });
      const dossier = sampleDossier();
      const first = await adapter.submit({ idempotencyKey: dossier.id, dossier }, recordingContext());
      const again = await adapter.submit({ idempotencyKey: dossier.id, dossier }, recordingContext());
      expect(again.agencyDossierCode).toBe(first.agencyDossierCode);
      expect(await agency.filedCount(dossier.id)).toBe(1);
    } finally {
      await agency.close();
    }
  });
});
