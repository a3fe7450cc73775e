import { changeOf } from './status-lookup-rounds';
import { ClaimedLookup } from './status-lookup-schedule';

const claimed = (over: Partial<ClaimedLookup> = {}): ClaimedLookup => ({
  dossierId: '7d1f0c9e-5c1a-4d8e-9a55-0c2f1e3b4a01',
  agencyDossierCode: 'H51.23-20261203-00001',
  itemId: 'EC123456789VN',
  status: 'received',
  lastStatusCode: null,
  changesSeen: 0,
  ...over,
});
const found = {
  agencyDossierCode: 'H51.23-20261203-00001',
  agencyStatusCode: '4',
  status: 'processing' as const,
};

describe('what a look-up found', () => {
  it('is no change on the first look-up when it stands for the status the bridge has', () => {
    expect(changeOf(claimed(), { ...found, agencyStatusCode: '2', status: 'received' })).toBeNull();
  });

  it('is no change when the agency code is the one seen last time', () => {
    expect(changeOf(claimed({ lastStatusCode: '4', status: 'processing' }), found)).toBeNull();
  });

  it('is a change numbered after the changes seen, naming the dossier by bridge id and agency code', () => {
    const change = changeOf(claimed({ lastStatusCode: '2', changesSeen: 3 }), {
      ...found,
      at: '2026-12-03T01:00:00.000Z',
    });
    expect(change).toEqual({
      bridgeId: '7d1f0c9e-5c1a-4d8e-9a55-0c2f1e3b4a01',
      agencyDossierCode: 'H51.23-20261203-00001',
      status: 'processing',
      agencyStatusCode: '4',
      at: '2026-12-03T01:00:00.000Z',
      changeId: 'lookup:7d1f0c9e-5c1a-4d8e-9a55-0c2f1e3b4a01:4',
    });
  });
});
