import { RestAgencySimulator } from './rest-agency';

const KEY = 'khoa-thu-nghiem';
const filing = {
  maHoSoLienThong: 'BR-0001',
  maThuTuc: '1.001612',
  chuHoSo: { hoTen: 'Nguyễn Văn An' },
  danhSachGiayTo: [],
};

describe('RestAgencySimulator: filings after the caller held a receipt', () => {
  let agency: RestAgencySimulator;

  afterEach(async () => {
    await agency.close();
  });

  function file(signal?: AbortSignal): Promise<Response> {
    return fetch(`${agency.url}/api/hoso`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'idempotency-key': 'BR-0001', 'content-type': 'application/json' },
      body: JSON.stringify(filing),
      signal,
    });
  }

  it('does not count a filing repeated after the caller gave up waiting, counts one repeated after its receipt', async () => {
    agency = await RestAgencySimulator.start({ auth: { mode: 'api-key', key: KEY }, latencyMs: 150 });
    // The caller gives up before the answer: the agency files anyway, the caller has no receipt.
    await expect(file(AbortSignal.timeout(30))).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await agency.filedCount('BR-0001')).toBe(1);
    expect((await file()).status).toBe(200);
    expect(agency.filingsAfterReceipt('BR-0001')).toBe(0);

    // The caller held the receipt and files again: with de-duplication it is merged, but counted.
    expect((await file()).status).toBe(200);
    expect(await agency.filedCount('BR-0001')).toBe(1);
    expect(agency.filingsAfterReceipt('BR-0001')).toBe(1);
  });

  it('without de-duplication files every request as a new dossier', async () => {
    agency = await RestAgencySimulator.start({ auth: { mode: 'api-key', key: KEY }, dedupe: false });
    expect((await file()).status).toBe(201);
    expect((await file()).status).toBe(201);
    expect(await agency.filedCount('BR-0001')).toBe(2);
    expect(agency.dossiers()).toHaveLength(2);
  });
});
