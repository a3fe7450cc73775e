import { Dossier } from '@bridge/domain';
import { PostalLedger } from './postal-ledger';

function snapshot(over: Partial<Dossier>): Dossier {
  return {
    id: 'd-1',
    agencyCode: '000.00.12.H48',
    procedureCode: '2.000488',
    serviceOption: 'both',
    applicant: {
      kind: 'person',
      fullName: 'Lê Thị Hạnh',
      citizenId: '048190001234',
      phone: '0905123456',
      address: { line: '1 Trần Phú', province: 'Đà Nẵng' },
    },
    documents: [],
    fees: [],
    status: 'collected',
    sequence: 1,
    timestamps: {},
    ...over,
  };
}

describe('the postal ledger', () => {
  it('counts a dossier as lost until a final status arrives, and its punctuality then', () => {
    const ledger = new PostalLedger();
    ledger.started({ itemId: 'EC136431858VN', agencyCode: '000.00.12.H48', serviceOption: 'both' });
    const entry = ledger.entryFor(snapshot({ inboundItemId: 'EC136431858VN' }))!;
    ledger.saw(entry, snapshot({ inboundItemId: 'EC136431858VN', status: 'delivered' }));
    expect(ledger.unfinished()).toHaveLength(1);

    ledger.saw(
      entry,
      snapshot({
        status: 'completed',
        appointmentDate: '2030-01-10T09:30:00Z',
        timestamps: { result_ready: '2030-01-08T03:00:00Z' },
      }),
    );
    expect(ledger.unfinished()).toEqual([]);
    expect(entry).toMatchObject({ outcome: 'completed', punctuality: 'on_time', dossierId: 'd-1' });
    expect(ledger.counts()).toMatchObject({ started: 1, finished: 1, inFlight: 0 });
  });

  it('flags a second bridge dossier for the same postal item as a duplicate', () => {
    const ledger = new PostalLedger();
    ledger.started({ itemId: 'EC136431858VN', agencyCode: '000.00.12.H48', serviceOption: 'send' });
    expect(ledger.entryFor(snapshot({ id: 'd-1', inboundItemId: 'EC136431858VN' }))).toBeDefined();
    expect(ledger.entryFor(snapshot({ id: 'd-2', inboundItemId: 'EC136431858VN' }))).toBeUndefined();
    expect(ledger.duplicateDossiers).toBe(1);
  });

  it('matches a desk registration by agency and agency dossier code, and ignores strangers', () => {
    const ledger = new PostalLedger();
    ledger.expectFromAgency('000.00.05.H48', '000.00.05.H48-250926-0001');
    const found = ledger.entryFor(
      snapshot({
        id: 'r-1',
        agencyCode: '000.00.05.H48',
        agencyDossierCode: '000.00.05.H48-250926-0001',
        serviceOption: 'return',
      }),
    );
    expect(found).toMatchObject({ origin: 'agency', dossierId: 'r-1' });
    expect(ledger.entryFor(snapshot({ id: 'x', inboundItemId: 'EC000000005VN' }))).toBeUndefined();
    expect(ledger.strangers).toBe(1);
  });
});
