import { ParkedRow } from './change-statement';
import { byParkOrder, ParkedEvents } from './parked-events';

const stored = (id: string, ref: string, event = 'agency.dossier.received'): ParkedRow => ({
  id,
  event,
  payload: { event },
  dossier_ref: ref,
});

const park = (ref: string, event: string) => ({
  dossierRef: ref,
  dossierId: null,
  event,
  payload: { event },
  reason: 'early',
});

describe('parked events: release order', () => {
  it('orders stored events by their numeric id, not as text (9 before 10)', () => {
    const rows = [stored('10', 'A'), stored('9', 'A'), stored('100', 'A')];
    expect([...rows].sort(byParkOrder).map((r) => r.id)).toEqual(['9', '10', '100']);
  });

  it('releases stored events before the ones parked in this batch, and those in the order parked', () => {
    const parked = new ParkedEvents();
    parked.know(['A'], [stored('12', 'A')]);
    const local = Array.from({ length: 11 }, (_, i) => parked.park(park('A', `e${i}`)));
    parked.know(['A'], [stored('3', 'A')]);
    const order = parked.candidates(['A']).map((r) => String(r.id));
    expect(order).toEqual(['3', '12', ...local.map((p) => p.localId)]);
    // local-10 comes after local-9 (a text sort would put it after local-1)
    expect(order.slice(-2)).toEqual(['local-9', 'local-10']);
  });

  it('merges the events of every ref of a dossier into one arrival order', () => {
    const parked = new ParkedEvents();
    parked.know(['S10', 'CODE'], [stored('7', 'CODE'), stored('5', 'S10'), stored('6', 'CODE')]);
    expect(parked.candidates(['S10', 'CODE']).map((r) => r.id)).toEqual(['5', '6', '7']);
  });

  it('never lists an event twice when the same row is read again', () => {
    const parked = new ParkedEvents();
    parked.know(['A'], [stored('1', 'A')]);
    parked.know(['A'], [stored('1', 'A'), stored('2', 'A')]);
    expect(parked.candidates(['A']).map((r) => r.id)).toEqual(['1', '2']);
  });

  it('deletes a released stored event, and never writes one parked and released in the same batch', () => {
    const parked = new ParkedEvents();
    parked.know(['A'], [stored('4', 'A')]);
    const early = parked.park(park('A', 'agency.result.ready'));
    const later = parked.park(park('A', 'agency.dossier.completed'));
    const [first, second] = parked.candidates(['A']);
    expect(parked.release(first)).toBe('4');
    expect(parked.release(second)).toBeNull();
    expect(parked.candidates(['A']).map((r) => r.id)).toEqual([later.localId]);
    expect(parked.takeBatch([early, later])).toEqual([later]);
    // Written now: from here on it is found in the database, and its ref is read again.
    expect(parked.candidates(['A'])).toEqual([]);
    expect(parked.unchecked(['A', 'B'])).toEqual(['A', 'B']);
  });

  it('reads a ref once: after it is known it is no longer unchecked', () => {
    const parked = new ParkedEvents();
    parked.know(['A'], []);
    expect(parked.unchecked(['A', 'B'])).toEqual(['B']);
  });
});
