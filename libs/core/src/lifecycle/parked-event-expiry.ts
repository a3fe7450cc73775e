import { DataSource, EntityManager } from 'typeorm';
import type { NewDeadLetter } from '../delivery/dead-letter.service';
import { DossierLedger } from './dossier-ledger';
import { LifecycleInput } from './lifecycle-input';

/** Error code of the dead letter an expired parked event becomes. */
export const PARKED_EXPIRED = 'PARKED_EXPIRED';

/** What the dead letter of an expired parked event keeps: the event, to apply it on replay. */
export interface ExpiredParkedPayload {
  parked: { dossierRef: string; event: string; input: LifecycleInput; reason: string; parkedAt: string };
}

interface ExpiredRow {
  id: string;
  dossier_ref: string;
  dossier_id: string | null;
  event: string;
  payload: LifecycleInput;
  reason: string;
  parked_at: Date;
  agency_code: string | null;
}

/** Parked events taken per transaction. */
const BATCH = 200;

/**
 * Turns parked events that waited longer than `expiryMs` for their predecessor into dead
 * letters, each with the reason it was parked and how long it waited, so a person sees it
 * (and can replay it once the missing step is there). Safe on several workers: rows are
 * taken `FOR UPDATE SKIP LOCKED` and deleted in the same transaction that records the dead
 * letter; a ledger releasing the same event at that moment holds its lock and is skipped.
 */
export async function expireParkedEvents(
  dataSource: DataSource,
  expiryMs: number,
  record: (manager: EntityManager, letter: NewDeadLetter) => Promise<string>,
): Promise<number> {
  let expired = 0;
  for (;;) {
    const taken = await dataSource.transaction(async (manager) => {
      const rows = await manager.query<ExpiredRow[]>(
        // A SELECT over the DELETE, so the driver returns the rows themselves.
        `WITH gone AS (
           DELETE FROM parked_events
            WHERE id = ANY(ARRAY(
              SELECT id FROM parked_events
               WHERE parked_at < now() - make_interval(secs => $1::double precision / 1000)
               ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))
           RETURNING id, dossier_ref, dossier_id, event, payload, reason, parked_at)
         SELECT g.*, (SELECT agency_code FROM dossiers d WHERE d.id = g.dossier_id) AS agency_code
           FROM gone g ORDER BY g.id`,
        [expiryMs],
      );
      for (const row of rows) await record(manager, deadLetterOf(row, expiryMs));
      return rows.length;
    });
    expired += taken;
    if (taken < BATCH) return expired;
  }
}

function deadLetterOf(row: ExpiredRow, expiryMs: number): NewDeadLetter {
  const parkedAt = new Date(row.parked_at).toISOString();
  const payload: ExpiredParkedPayload = {
    parked: {
      dossierRef: row.dossier_ref,
      event: row.event,
      input: row.payload,
      reason: row.reason,
      parkedAt,
    },
  };
  return {
    origin: 'parked',
    agencyCode: row.agency_code ?? row.payload.agencyCode,
    dossierId: row.dossier_id ?? undefined,
    operation: row.event,
    payload: payload as unknown as Record<string, unknown>,
    errorCode: PARKED_EXPIRED,
    reason: `parked since ${parkedAt} and its predecessor never arrived (expiry ${Math.round(expiryMs / 1000)} s): ${row.reason}`,
    attempts: [],
    correlationId: row.payload.correlationId,
  };
}

/** A replayed expired event that the dossier still refuses; the dead letter stays open. */
export class ParkedReplayRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ParkedReplayRefusedError';
  }
}

/**
 * Replays an expired parked event: applies it to its dossier now. If its predecessor is still
 * missing it is parked again (and waits another expiry period); if the dossier refuses it, the
 * replay fails with the reason.
 */
export async function replayParked(manager: EntityManager, payload: Record<string, unknown>): Promise<void> {
  const parked = (payload as Partial<ExpiredParkedPayload>).parked;
  if (!parked?.input?.event)
    throw new ParkedReplayRefusedError('the dead letter holds no parked event (payload.parked)');
  const outcome = await new DossierLedger(manager).apply({
    ...parked.input,
    ref: parked.input.ref ?? parked.dossierRef,
  });
  if (outcome.kind === 'refused')
    throw new ParkedReplayRefusedError(`the dossier still refuses it: ${outcome.reason}`);
}
