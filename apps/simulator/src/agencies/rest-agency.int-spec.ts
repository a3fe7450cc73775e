import { waitFor } from '@bridge/testing';
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
    agency = await RestAgencySimulator.start({ auth: { mode: 'api-key', key: KEY }, latencyMs: 500 });
    // The caller gives up once the filing has arrived, before the answer: the agency files
    // anyway, the caller has no receipt. (Not after a fixed time: on a busy machine the
    // request may not even have left by then.)
    const giveUp = new AbortController();
    const abandoned = file(giveUp.signal);
    await waitFor(() => agency.requestCount === 1, 'the filing to arrive');
    giveUp.abort();
    await expect(abandoned).rejects.toThrow();
    await waitFor(async () => (await agency.filedCount('BR-0001')) === 1, 'the abandoned filing to be filed');
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
