import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as iconv from 'iconv-lite';
import { CsvAgencySimulator } from '@bridge/simulator';
import {
  IntegrationError,
  IntegrationErrorCode,
  MemoryAdapterStore,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { CsvDropAdapter } from './csv-drop-adapter';
import { csvDropAdapterFactory } from './csv-drop-adapter.factory';
import { CsvDropOptions } from './csv-drop-options';
import { exampleCsvDropSpec, recordingContext, sampleCsvDropDossier } from './csv-drop-test-kit';

describe('csv-drop adapter exchanging files with vendor C', () => {
  let agency: CsvAgencySimulator;
  let store: MemoryAdapterStore;

  function adapterFor(overrides: Partial<CsvDropOptions> = {}): CsvDropAdapter {
    const { agency: identity, spec } = exampleCsvDropSpec({
      inboxDir: agency.inboxDir,
      outboxDir: agency.outboxDir,
      receiptPollMs: 20,
      receiptWaitMs: 2_000,
      ...overrides,
    });
    return csvDropAdapterFactory.create(identity, spec, {
      logger: silentAdapterLogger,
      store,
    }) as CsvDropAdapter;
  }

  function dossier(id: string) {
    return { ...sampleCsvDropDossier(), id };
  }

  beforeEach(async () => {
    agency = await CsvAgencySimulator.start({ encoding: 'windows-1258', pollMs: 20 });
    store = new MemoryAdapterStore();
  });
  afterEach(async () => {
    await agency.close();
  });

  it('files the dossier with its Vietnamese text intact through Windows-1258 both ways', async () => {
    const adapter = adapterFor();
    const id = '11111111-2222-4333-8444-555555555555';
    const receipt = await adapter.submit({ idempotencyKey: id, dossier: dossier(id) }, recordingContext());
    const filed = agency.dossiers().find((d) => d.maHoSoLienThong === id)!;
    expect(filed.chuHoSo).toBe('Nguyễn Thị Thủy');
    expect(receipt).toEqual({
      agencyDossierCode: filed.maHoSo,
      status: 'received',
      receivedAt: expect.stringMatching(/\+07:00$/),
      appointmentDate: expect.stringMatching(/T16:30:00\+07:00$/),
    });
    const archived = await fs.readdir(path.join(agency.inboxDir, 'da-xu-ly'));
    expect(archived).toEqual([`NOP_${id}.csv`]);
    const bytes = await fs.readFile(path.join(agency.inboxDir, 'da-xu-ly', archived[0]));
    expect(iconv.decode(bytes, 'windows-1258').normalize('NFC')).toContain(
      'Phường Sơn Trà, Thành phố Đà Nẵng',
    );
    await adapter.close();
  });

  it('escapes formula cells in the files it drops', async () => {
    const adapter = adapterFor({ encoding: 'utf-8' });
    agency.setDown(true); // keep the file in the inbox to read it
    const id = '21111111-2222-4333-8444-555555555555';
    const evil = dossier(id);
    evil.applicant = { ...evil.applicant, phone: '+84905987654' };
    evil.returnAddress = { line: '=HYPERLINK("http://evil.example","Bấm")', province: 'Thành phố Đà Nẵng' };
    await expect(
      adapter.submit({ idempotencyKey: id, dossier: evil }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.TEMPORARY,
      message: expect.stringContaining('no receipt yet'),
    });
    const text = (await fs.readFile(path.join(agency.inboxDir, `NOP_${id}.csv`), 'utf8')).replace(
      /^\ufeff/,
      '',
    );
    expect(text).toContain(`;'+84905987654;`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""Bấm""), Thành phố Đà Nẵng"`);
    expect(text).not.toMatch(/;=HYPERLINK|;"=HYPERLINK|;\+84/);
    await adapter.close();
  });

  it('retries after "no receipt yet" without dropping the file twice', async () => {
    const adapter = adapterFor({ receiptWaitMs: 200 });
    agency.setLatency(600);
    const id = '31111111-2222-4333-8444-555555555555';
    const ctx = recordingContext();
    const first = await adapter
      .submit({ idempotencyKey: id, dossier: dossier(id) }, ctx)
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(IntegrationError);
    expect((first as IntegrationError).code).toBe(IntegrationErrorCode.TEMPORARY);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const receipt = await adapter.submit({ idempotencyKey: id, dossier: dossier(id) }, ctx);
    expect(receipt.agencyDossierCode).toMatch(/^000\.00\.53\.H48-\d{6}-\d{4}$/);
    expect(agency.submissionFileCount(id)).toBe(1);
    expect(ctx.messages.filter((m) => m.direction === 'outbound' && m.operation === 'submit')).toHaveLength(
      1,
    );
    await adapter.close();
  });

  it('does not drop a second file when another bridge process already did (shared store)', async () => {
    const first = adapterFor();
    const second = adapterFor();
    const id = '41111111-2222-4333-8444-555555555555';
    const [a, b] = await Promise.all([
      first.submit({ idempotencyKey: id, dossier: dossier(id) }, recordingContext()),
      second.submit({ idempotencyKey: id, dossier: dossier(id) }, recordingContext()),
    ]);
    expect(a.agencyDossierCode).toBe(b.agencyDossierCode);
    expect(agency.submissionFileCount(id)).toBe(1);
    await first.close();
    await second.close();
  });

  it('delivers supplements and delivery notices the agency files against the dossier', async () => {
    const adapter = adapterFor();
    const id = '51111111-2222-4333-8444-555555555555';
    const ctx = recordingContext();
    const { agencyDossierCode } = await adapter.submit({ idempotencyKey: id, dossier: dossier(id) }, ctx);
    await adapter.submitSupplement(
      {
        idempotencyKey: `${id}:supplement:1`,
        agencyDossierCode,
        documents: [
          { name: 'Bản sao sổ hộ khẩu', form: 'copy', count: 1 },
          { name: 'Giấy xác nhận cư trú', form: 'original', count: 1 },
        ],
        collectedAt: '2025-09-24T09:00:00+07:00',
      },
      ctx,
    );
    await adapter.notifyDelivered(
      {
        idempotencyKey: `${id}:delivered`,
        agencyDossierCode,
        resultItemId: 'EC136431858VN',
        deliveredAt: '2025-10-01T10:30:00+07:00',
      },
      ctx,
    );
    await waitFor(
      () => agency.dossiers().find((d) => d.maHoSo === agencyDossierCode)?.deliveredAt !== undefined,
    );
    const filed = agency.dossiers().find((d) => d.maHoSo === agencyDossierCode)!;
    expect(filed.supplements).toEqual(['Bản sao sổ hộ khẩu', 'Giấy xác nhận cư trú']);
    expect(filed.deliveredAt).toBe('01/10/2025 10:30');
    expect(filed.resultItemId).toBe('EC136431858VN');
    await adapter.close();
  });

  it('reports a vanished share as TEMPORARY and works again once it is back', async () => {
    const adapter = adapterFor();
    const ctx = recordingContext();
    await agency.setFolderMissing(true);
    expect((await adapter.probe(ctx)).ok).toBe(false);
    await expect(adapter.poll(undefined, ctx)).rejects.toMatchObject({
      code: IntegrationErrorCode.TEMPORARY,
    });
    const id = '61111111-2222-4333-8444-555555555555';
    await expect(adapter.submit({ idempotencyKey: id, dossier: dossier(id) }, ctx)).rejects.toMatchObject({
      code: IntegrationErrorCode.TEMPORARY,
    });
    await expect(fs.stat(agency.inboxDir)).rejects.toMatchObject({ code: 'ENOENT' }); // not recreated locally
    await agency.setFolderMissing(false);
    expect((await adapter.probe(ctx)).ok).toBe(true);
    const receipt = await adapter.submit({ idempotencyKey: id, dossier: dossier(id) }, ctx);
    expect(receipt.agencyDossierCode).toBeTruthy();
    await adapter.close();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
