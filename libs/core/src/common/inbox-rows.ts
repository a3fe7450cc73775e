import { EntityManager } from 'typeorm';
import { preparedQuery } from './prepared-query';
import { runSideWrite, SideWrite } from './side-write';

/** The inbox row an inbound event claims: who sent it, its id, and a hash of its content. */
export interface InboxClaim {
  source: string;
  eventId: string;
  type: string;
  contentHash: string;
}

/** What became of an inbound event, for its inbox row. */
export interface InboxSettlement {
  source: string;
  eventId: string;
  outcome: string;
  detail: string | null;
  dossierId: string | null;
}

/** The key of an inbox row in the sets {@link claimInbox} returns. */
export const inboxKey = (source: string, eventId: string): string => `${source}\u0000${eventId}`;

/**
 * Claims the inbox rows of a group of events in one statement (`pending` until settled) and
 * returns the keys it inserted. An event whose row is there already, from before or from
 * earlier in the same group, is not claimed: it is a duplicate.
 */
export async function claimInbox(manager: EntityManager, claims: InboxClaim[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const rows = await preparedQuery<Array<{ source: string; event_id: string }>>(
    manager,
    `INSERT INTO inbox (source, event_id, type, content_hash, outcome)
       SELECT source, event_id, type, content_hash, 'pending'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(source, event_id, type, content_hash)
       ON CONFLICT DO NOTHING RETURNING source, event_id`,
    [
      claims.map((c) => c.source),
      claims.map((c) => c.eventId),
      claims.map((c) => c.type),
      claims.map((c) => c.contentHash),
    ],
  );
  return new Set(rows.map((row) => inboxKey(row.source, row.event_id)));
}

/** Records what became of each claimed event on its inbox row, in one statement. */
export async function settleInbox(manager: EntityManager, settled: InboxSettlement[]): Promise<void> {
  const write = inboxSettlement(settled);
  if (write) await runSideWrite(manager, write);
}

/** The settlement of inbox rows as a side write, to ride in the ledger's statement. */
export function inboxSettlement(settled: readonly InboxSettlement[]): SideWrite | undefined {
  if (settled.length === 0) return undefined;
  return (p) => `UPDATE inbox i SET outcome = x.outcome, detail = x.detail, dossier_id = x.dossier_id
       FROM unnest(${p(settled.map((s) => s.source))}::text[], ${p(settled.map((s) => s.eventId))}::text[],
                   ${p(settled.map((s) => s.outcome))}::text[], ${p(settled.map((s) => s.detail))}::text[],
                   ${p(settled.map((s) => s.dossierId))}::uuid[])
            AS x(source, event_id, outcome, detail, dossier_id)
      WHERE i.source = x.source AND i.event_id = x.event_id`;
}
