import fc from 'fast-check';
import { decide, replay } from './dossier-lifecycle';
import { DOSSIER_STATUSES, DossierStatus, TERMINAL_STATUSES } from './dossier-status';
import { LIFECYCLE_EVENTS, LifecycleEvent } from './lifecycle-event';

/** collected → submitted → received → processing → result_ready → result_collected → delivered → completed */
const MAIN_PATH: LifecycleEvent[] = [
  'postal.dossier.collected',
  'agency.submission.accepted',
  'agency.dossier.received',
  'agency.dossier.processing',
  'agency.result.ready',
  'postal.result.collected',
  'postal.result.delivered',
  'agency.delivery.acknowledged',
];

/** Status after each event of a sequence, as the backbone would see it. */
const statusesAlong = (events: LifecycleEvent[]) =>
  events.map((_, i) => replay(events.slice(0, i + 1)).status);

describe('dossier lifecycle: examples', () => {
  it('walks the main path from collected to completed, one status per event', () => {
    expect(statusesAlong(MAIN_PATH)).toEqual([
      'collected',
      'submitted',
      'received',
      'processing',
      'result_ready',
      'result_collected',
      'delivered',
      'completed',
    ]);
    expect(replay(MAIN_PATH)).toEqual({ status: 'completed', applied: MAIN_PATH, parked: [], refused: [] });
  });

  it('records hand-over and supplements on the timeline without changing the status', () => {
    expect(decide('collected', 'postal.dossier.handed_over')).toEqual({ kind: 'note', status: 'collected' });
    const events: LifecycleEvent[] = [
      'postal.dossier.collected',
      'agency.submission.accepted',
      'agency.dossier.received',
      'agency.dossier.processing',
      'agency.supplement.requested',
      'postal.supplement.collected',
      'agency.dossier.processing',
    ];
    expect(statusesAlong(events).slice(3)).toEqual([
      'processing',
      'supplement_requested',
      'supplement_requested',
      'processing',
    ]);
  });

  it('a result-only dossier enters from the agency side, already received', () => {
    const outcome = replay(['agency.dossier.registered', 'agency.result.ready', 'postal.result.collected']);
    expect(outcome.status).toBe('result_collected');
    expect(outcome.refused).toEqual([]);
  });

  it('a failed delivery is collected again and delivered later', () => {
    const events: LifecycleEvent[] = [
      ...MAIN_PATH.slice(0, 6),
      'postal.result.delivery_failed',
      'postal.result.collected',
      'postal.result.delivered',
      'agency.delivery.acknowledged',
    ];
    expect(statusesAlong(events).slice(5)).toEqual([
      'result_collected',
      'delivery_failed',
      'result_collected',
      'delivered',
      'completed',
    ]);
  });

  it.each<[string, LifecycleEvent[], DossierStatus]>([
    ['rejected by the agency', [...MAIN_PATH.slice(0, 3), 'agency.dossier.rejected'], 'rejected'],
    ['cancelled by the post', [...MAIN_PATH.slice(0, 4), 'postal.dossier.cancelled'], 'cancelled'],
    ['withdrawn by the applicant', [...MAIN_PATH.slice(0, 2), 'agency.dossier.withdrawn'], 'cancelled'],
    ['result picked up at the agency', [...MAIN_PATH.slice(0, 5), 'agency.result.returned'], 'completed'],
  ])('ends when %s', (_name, events, status) => {
    expect(replay(events)).toMatchObject({ status, refused: [], parked: [] });
  });

  it('parks an event that arrived early and applies it when its predecessor arrives', () => {
    const outcome = replay([
      'postal.dossier.collected',
      'agency.dossier.received',
      'agency.submission.accepted',
    ]);
    expect(outcome.status).toBe('received');
    expect(outcome.applied).toEqual([
      'postal.dossier.collected',
      'agency.submission.accepted',
      'agency.dossier.received',
    ]);
    expect(decide('collected', 'agency.dossier.received')).toMatchObject({ kind: 'park' });
    expect(decide(null, 'agency.dossier.received')).toMatchObject({ kind: 'park' });
  });

  it('refuses, with the reason, an event that came too late or would create a second dossier', () => {
    expect(decide('processing', 'agency.dossier.received')).toEqual({
      kind: 'refuse',
      reason: 'agency.dossier.received expects status submitted but the dossier is already processing',
    });
    expect(decide('received', 'postal.dossier.collected')).toEqual({
      kind: 'refuse',
      reason: 'postal.dossier.collected would create a dossier that already exists (status received)',
    });
    expect(decide('completed', 'postal.dossier.cancelled')).toEqual({
      kind: 'refuse',
      reason: 'postal.dossier.cancelled cannot apply: the dossier is already completed',
    });
  });
});

describe('dossier lifecycle: properties', () => {
  const anyEvents = fc.array(fc.constantFrom(...LIFECYCLE_EVENTS), { maxLength: 30 });

  it('never yields a status outside DOSSIER_STATUSES (null only while nothing created the dossier)', () => {
    fc.assert(
      fc.property(anyEvents, (events) => {
        const { status, applied } = replay(events);
        if (status === null) expect(applied).toEqual([]);
        else expect(DOSSIER_STATUSES).toContain(status);
      }),
    );
  });

  it('accounts for every event exactly once: applied, parked or refused', () => {
    fc.assert(
      fc.property(anyEvents, (events) => {
        const { applied, parked, refused } = replay(events);
        expect([...applied, ...parked, ...refused].sort()).toEqual([...events].sort());
      }),
    );
  });

  it('is deterministic: replaying the same events twice gives equal outcomes', () => {
    fc.assert(
      fc.property(anyEvents, (events) => {
        const copy = [...events];
        expect(replay(events)).toEqual(replay(events));
        expect(events).toEqual(copy);
      }),
    );
  });

  it('a terminal status never changes, whatever comes after', () => {
    fc.assert(
      fc.property(anyEvents, (events) => {
        const statuses = statusesAlong(events);
        const first = statuses.findIndex((s) => s !== null && TERMINAL_STATUSES.has(s));
        if (first >= 0) expect(new Set(statuses.slice(first))).toEqual(new Set([statuses[first]]));
      }),
    );
    for (const status of TERMINAL_STATUSES) {
      for (const event of LIFECYCLE_EVENTS) expect(decide(status, event).kind).toBe('refuse');
    }
  });

  /*
   * Out-of-order delivery of the main path. What holds, precisely:
   * - every permutation ends `completed` with nothing left parked (early events wait, then apply);
   * - the only event that can be refused is agency.dossier.processing: agency.result.ready also
   *   applies from `received`, so when it is released first the dossier skips `processing`, and
   *   a later `processing` is too late. With the hand-over note added, a hand-over released
   *   after `received` is likewise refused;
   * - when nothing is refused, every event is applied and the final status equals the in-order one.
   */
  it('any order of the main-path events reaches the same final status as in order', () => {
    const inOrder = replay(MAIN_PATH).status;
    fc.assert(
      fc.property(fc.shuffledSubarray(MAIN_PATH, { minLength: MAIN_PATH.length }), (events) => {
        const outcome = replay(events);
        expect(outcome.status).toBe(inOrder);
        expect(outcome.parked).toEqual([]);
        expect(outcome.refused.every((e) => e === 'agency.dossier.processing')).toBe(true);
        if (outcome.refused.length === 0) expect([...outcome.applied].sort()).toEqual([...MAIN_PATH].sort());
      }),
      { numRuns: 500 },
    );
  });

  it('adding the hand-over note to any order changes neither the final status nor what else is refused', () => {
    const withNote: LifecycleEvent[] = [...MAIN_PATH, 'postal.dossier.handed_over'];
    fc.assert(
      fc.property(fc.shuffledSubarray(withNote, { minLength: withNote.length }), (events) => {
        const outcome = replay(events);
        expect(outcome.status).toBe('completed');
        expect(outcome.parked).toEqual([]);
        for (const event of outcome.refused) {
          expect(['agency.dossier.processing', 'postal.dossier.handed_over']).toContain(event);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the refusal of processing really happens: result.ready released first skips it', () => {
    const outcome = replay([
      'agency.result.ready',
      'agency.dossier.processing',
      'agency.dossier.received',
      'postal.dossier.collected',
      'agency.submission.accepted',
    ]);
    expect(outcome.status).toBe('result_ready');
    expect(outcome.refused).toEqual(['agency.dossier.processing']);
  });
});
