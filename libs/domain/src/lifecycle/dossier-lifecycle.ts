import { DossierStatus, TERMINAL_STATUSES } from './dossier-status';
import { LifecycleEvent } from './lifecycle-event';

/**
 * THE transition table of a dossier — the one place that says which event moves which status.
 * The lifecycle in short:
 *   collected → submitted → received → processing ⇄ supplement_requested → result_ready
 *   → result_collected → delivered → completed; also rejected, cancelled, delivery_failed
 *   (then collected again, or delivered on a later attempt).
 *
 * `from: null` creates the dossier. A `to` equal to one of the `from` statuses records the
 * event on the timeline without changing the status ("note").
 */
interface Transition {
  readonly from: readonly (DossierStatus | null)[];
  readonly to: DossierStatus | 'unchanged';
}

const ACTIVE_BEFORE_RESULT: DossierStatus[] = [
  'collected',
  'submitted',
  'received',
  'processing',
  'supplement_requested',
];
const NOT_TERMINAL: DossierStatus[] = [
  ...ACTIVE_BEFORE_RESULT,
  'result_ready',
  'result_collected',
  'delivery_failed',
  'delivered',
];

export const TRANSITIONS: Readonly<Record<LifecycleEvent, Transition>> = {
  'postal.dossier.collected': { from: [null], to: 'collected' },
  'postal.dossier.handed_over': { from: ['collected', 'submitted', 'received'], to: 'unchanged' },
  'agency.dossier.registered': { from: [null], to: 'received' },
  'agency.submission.accepted': { from: ['collected'], to: 'submitted' },
  'agency.dossier.received': { from: ['submitted'], to: 'received' },
  'agency.dossier.processing': { from: ['received', 'supplement_requested'], to: 'processing' },
  'agency.supplement.requested': { from: ['received', 'processing'], to: 'supplement_requested' },
  'postal.supplement.collected': { from: ['supplement_requested'], to: 'unchanged' },
  'agency.dossier.rejected': {
    from: ['submitted', 'received', 'processing', 'supplement_requested'],
    to: 'rejected',
  },
  'agency.result.ready': { from: ['received', 'processing'], to: 'result_ready' },
  'agency.result.returned': { from: ['result_ready'], to: 'completed' },
  'postal.result.collected': { from: ['result_ready', 'delivery_failed'], to: 'result_collected' },
  'postal.result.delivered': { from: ['result_collected', 'delivery_failed'], to: 'delivered' },
  'postal.result.delivery_failed': { from: ['result_collected'], to: 'delivery_failed' },
  'agency.delivery.acknowledged': { from: ['delivered'], to: 'completed' },
  'postal.dossier.cancelled': { from: NOT_TERMINAL, to: 'cancelled' },
  'agency.dossier.withdrawn': { from: NOT_TERMINAL, to: 'cancelled' },
};

/**
 * How far along the main path a status is. An event whose every source status lies further
 * along than the dossier's current one has arrived early and is parked until its predecessor
 * arrives; any other misfit is refused with the reason.
 */
export const PROGRESS: Readonly<Record<DossierStatus, number>> = {
  collected: 1,
  submitted: 2,
  received: 3,
  processing: 4,
  supplement_requested: 4,
  rejected: 9,
  result_ready: 5,
  result_collected: 6,
  delivery_failed: 7,
  delivered: 7,
  completed: 9,
  cancelled: 9,
};

/** What the lifecycle decides about one event for a dossier in a given status. */
export type LifecycleDecision =
  | { readonly kind: 'apply'; readonly from: DossierStatus | null; readonly to: DossierStatus }
  | { readonly kind: 'note'; readonly status: DossierStatus }
  | { readonly kind: 'park'; readonly reason: string }
  | { readonly kind: 'refuse'; readonly reason: string };

/** Decides what `event` does to a dossier currently in `current` (null: not known yet). */
export function decide(current: DossierStatus | null, event: LifecycleEvent): LifecycleDecision {
  const transition = TRANSITIONS[event];
  if (transition.from.includes(current)) {
    if (transition.to === 'unchanged') return { kind: 'note', status: current as DossierStatus };
    return { kind: 'apply', from: current, to: transition.to };
  }
  const expected = transition.from.map((s) => s ?? '(new dossier)').join(', ');
  if (current === null) {
    return {
      kind: 'park',
      reason: `${event} arrived before the dossier is known; it waits for its creation`,
    };
  }
  if (transition.from.includes(null)) {
    return {
      kind: 'refuse',
      reason: `${event} would create a dossier that already exists (status ${current})`,
    };
  }
  if (TERMINAL_STATUSES.has(current)) {
    return { kind: 'refuse', reason: `${event} cannot apply: the dossier is already ${current}` };
  }
  const earliestSource = Math.min(...transition.from.map((s) => PROGRESS[s as DossierStatus]));
  if (earliestSource > PROGRESS[current]) {
    return {
      kind: 'park',
      reason: `${event} expects status ${expected} but the dossier is ${current}; parked until it gets there`,
    };
  }
  return {
    kind: 'refuse',
    reason: `${event} expects status ${expected} but the dossier is already ${current}`,
  };
}

/** The result of replaying a sequence of events from nothing. */
export interface ReplayOutcome {
  readonly status: DossierStatus | null;
  readonly applied: readonly LifecycleEvent[];
  readonly parked: readonly LifecycleEvent[];
  readonly refused: readonly LifecycleEvent[];
}

/**
 * Applies events in order, retrying parked ones after every successful change — the same
 * rule the backbone follows with real events. Pure: the same input gives the same outcome.
 */
export function replay(events: readonly LifecycleEvent[]): ReplayOutcome {
  let status: DossierStatus | null = null;
  const applied: LifecycleEvent[] = [];
  const refused: LifecycleEvent[] = [];
  let parked: LifecycleEvent[] = [];

  const step = (event: LifecycleEvent): boolean => {
    const decision = decide(status, event);
    switch (decision.kind) {
      case 'apply':
        status = decision.to;
        applied.push(event);
        return true;
      case 'note':
        applied.push(event);
        return false;
      case 'park':
        parked.push(event);
        return false;
      case 'refuse':
        refused.push(event);
        return false;
    }
  };

  for (const event of events) {
    if (!step(event)) continue;
    // A change may release parked events; keep going until nothing more applies.
    let progressed = true;
    while (progressed && parked.length > 0) {
      progressed = false;
      const waiting = parked;
      parked = [];
      for (const candidate of waiting) {
        if (step(candidate)) progressed = true;
      }
    }
  }
  return { status, applied, parked, refused };
}
