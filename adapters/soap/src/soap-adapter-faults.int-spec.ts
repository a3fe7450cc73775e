import {
  AgencyAdapter,
  IntegrationError,
  IntegrationErrorCode,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { SoapAgencySimulator } from '@bridge/simulator';
import { soapAdapterFactory } from './index';
import { recordingContext, sampleSoapDossier, specFromAgencyFile } from './soap-test-kit';

const CREDENTIALS = { username: 'buudien.haichau', password: 'Doi-Mat-Khau-Nay' };
const AGENCY = { code: '000.00.53.H48', name: 'UBND phường Hải Châu' };

async function errorOf(call: Promise<unknown>): Promise<IntegrationError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof IntegrationError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('SOAP adapter against a misbehaving vendor A', () => {
  let agency: SoapAgencySimulator;
  let adapter: AgencyAdapter;

  function adapterFor(overrides: Record<string, unknown> = {}): AgencyAdapter {
    const spec = { ...specFromAgencyFile('agency.example.yaml', agency.url), timeoutMs: 1000, ...overrides };
    return soapAdapterFactory.create(AGENCY, spec, { logger: silentAdapterLogger });
  }

  beforeEach(async () => {
    agency = await SoapAgencySimulator.start({ port: 0, credentials: CREDENTIALS, downMode: 'refuse' });
    adapter = adapterFor();
  });
  afterEach(async () => {
    await agency.close();
  });

  it('keeps passwords and nonces out of the message log, and files the vendor fields', async () => {
    const ctx = recordingContext();
    const receipt = await adapter.submit({ idempotencyKey: 'b-1', dossier: sampleSoapDossier('b-1') }, ctx);
    expect(receipt.agencyDossierCode).toMatch(/^000\.00\.53\.H48-\d{6}-0001$/);
    expect(receipt.appointmentDate).toMatch(/\+07:00$/);
    const outbound = ctx.messages.find((m) => m.direction === 'outbound')!;
    expect(outbound.body).toContain('<MaHoSoLienThong>b-1</MaHoSoLienThong>');
    expect(outbound.body).toContain('<SoCCCD>048185000123</SoCCCD>');
    expect(outbound.body).toMatch(/<wsse:Password Type="[^"]+#PasswordDigest">\*\*\*<\/wsse:Password>/);
    expect(JSON.stringify(ctx.messages)).not.toContain(CREDENTIALS.password);
    expect(agency.dossiers()[0].ChuHoSo).toMatchObject({ HoTen: 'Nguyễn Thị Hoà', SoCCCD: '048185000123' });
  });

  it('reports wrong credentials as AUTH', async () => {
    const spec = specFromAgencyFile('agency.example.yaml', agency.url);
    const wrong = adapterFor({ auth: { ...spec.auth, password: 'sai-mat-khau' } });
    const error = await errorOf(wrong.lookup('b-2', recordingContext()));
    expect(error.code).toBe(IntegrationErrorCode.AUTH);
  });

  it('reports a Server fault as TEMPORARY and a refused filing as PERMANENT', async () => {
    agency.setErrorRate(1);
    const busy = await errorOf(adapter.lookup('b-3', recordingContext()));
    expect([busy.code, busy.message]).toEqual([
      IntegrationErrorCode.TEMPORARY,
      expect.stringContaining('đang bận'),
    ]);
    agency.setErrorRate(0);
    const dossier = sampleSoapDossier('b-4');
    dossier.applicant = {
      ...dossier.applicant,
      kind: 'person',
      citizenId: '12345',
    } as typeof dossier.applicant;
    const refused = await errorOf(adapter.submit({ idempotencyKey: 'b-4', dossier }, recordingContext()));
    expect([refused.code, refused.message]).toEqual([
      IntegrationErrorCode.PERMANENT,
      expect.stringContaining('SoCCCD'),
    ]);
  });

  it('treats refused connections, 503 pages and slow answers as TEMPORARY, and recovers', async () => {
    await agency.setDown(true);
    const refused = await errorOf(adapter.lookup('b-5', recordingContext()));
    expect([refused.code, refused.message]).toEqual([
      IntegrationErrorCode.TEMPORARY,
      expect.stringMatching(/ECONNREFUSED/),
    ]);
    expect((await adapter.probe(recordingContext())).ok).toBe(false);
    await agency.setDown(false);
    expect(await adapter.lookup('b-5', recordingContext())).toBeNull();

    agency.setLatency(1500);
    const slow = await errorOf(adapter.lookup('b-6', recordingContext()));
    expect([slow.code, slow.message]).toEqual([
      IntegrationErrorCode.TEMPORARY,
      expect.stringContaining('no answer within 1000 ms'),
    ]);
  });

  it('answers a 503 HTML page with a TEMPORARY error naming it', async () => {
    const html = await SoapAgencySimulator.start({ port: 0, down: true });
    try {
      const spec = {
        ...specFromAgencyFile('agency.example.yaml', html.url),
        auth: { type: 'none' as const },
      };
      const error = await errorOf(
        soapAdapterFactory
          .create(AGENCY, spec, { logger: silentAdapterLogger })
          .lookup('b-7', recordingContext()),
      );
      expect([error.code, error.message]).toEqual([
        IntegrationErrorCode.TEMPORARY,
        expect.stringContaining('HTTP 503'),
      ]);
    } finally {
      await html.close();
    }
  });

  it('gives up on a supplement for a dossier the agency does not know, naming it', async () => {
    const ctx = recordingContext();
    const error = await errorOf(
      adapter.submitSupplement(
        {
          idempotencyKey: 'b-8:s',
          agencyDossierCode: '000.00.53.H48-250101-9999',
          documents: [],
          collectedAt: new Date().toISOString(),
        },
        ctx,
      ),
    );
    expect([error.code, error.message]).toEqual([
      IntegrationErrorCode.NOT_FOUND,
      expect.stringContaining('9999'),
    ]);
  });

  it('pages through the change feed with its cursor and de-duplicates supplements', async () => {
    const ctx = recordingContext();
    const receipt = await adapter.submit({ idempotencyKey: 'b-9', dossier: sampleSoapDossier('b-9') }, ctx);
    await agency.driveStatus(receipt.agencyDossierCode, 'processing');
    const first = await adapter.poll(undefined, ctx);
    expect(first.changes).toEqual([
      expect.objectContaining({
        agencyDossierCode: receipt.agencyDossierCode,
        bridgeId: 'b-9',
        status: 'processing',
        agencyStatusCode: '4',
        changeId: 'VA-1',
      }),
    ]);
    expect((await adapter.poll(first.cursor, ctx)).changes).toEqual([]);
    const supplement = {
      idempotencyKey: 'b-9:s1',
      agencyDossierCode: receipt.agencyDossierCode,
      documents: [],
      collectedAt: new Date().toISOString(),
    };
    await adapter.submitSupplement(supplement, ctx);
    await adapter.submitSupplement(supplement, ctx);
    expect((await adapter.poll(first.cursor, ctx)).changes).toHaveLength(1);
  });
});
