import { DataSource } from 'typeorm';
import { CloudEvent } from '@bridge/domain';
import { DossierEntity } from '@bridge/persistence';
import { publishPostal } from '@bridge/testing';
import { CompletionMeaning, FaultTally } from './fault-tally';

/** Statuses at or past `received` on the submission path (nothing drives them further here). */
const AT_OR_PAST_RECEIVED = new Set([
  'received',
  'processing',
  'supplement_requested',
  'result_ready',
  'result_collected',
  'delivered',
  'delivery_failed',
  'completed',
]);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The postal item id a `postal.*` test event names. */
export function itemIdOf(event: CloudEvent): string {
  return (event.data as { itemId: string }).itemId;
}

/** `count` sorted random moments in [fromMs, toMs], at least `minGapMs` apart. */
export function randomMoments(count: number, fromMs: number, toMs: number, minGapMs: number): number[] {
  const span = toMs - fromMs - minGapMs * (count - 1);
  if (span < 0) throw new Error(`${count} moments ${minGapMs} ms apart do not fit in ${fromMs}..${toMs} ms`);
  const offsets = Array.from({ length: count }, () => Math.random() * span).sort((a, b) => a - b);
  return offsets.map((offset, i) => Math.round(fromMs + offset + i * minGapMs));
}

/** Every dossier row the bridge holds for these postal items (all rows, to see duplicates). */
export async function dossierRows(ds: DataSource, itemIds: string[]): Promise<DossierEntity[]> {
  if (itemIds.length === 0) return [];
  return ds
    .getRepository(DossierEntity)
    .createQueryBuilder('d')
    .where('d.inbound_item_id IN (:...itemIds)', { itemIds })
    .getMany();
}

function isDone(row: DossierEntity, means: CompletionMeaning): boolean {
  return means === 'completed' ? row.status === 'completed' : AT_OR_PAST_RECEIVED.has(row.status);
}

/**
 * Waits until every accepted dossier is done (or `timeoutMs` passes), then counts: lost
 * (accepted, no record), duplicates (filings past the first at the agency, extra rows for one
 * item) and completed. Settles the tally either way; the caller asserts on the figures.
 */
export async function settleDossiers(options: {
  ds: DataSource;
  tally: FaultTally;
  itemIds: string[];
  /** How many dossiers the agency filed for this one (or would have, without de-duplication). */
  filedCount: (row: DossierEntity) => Promise<number>;
  timeoutMs: number;
}): Promise<{ lost: number; duplicates: number; completed: number; dossiers: number; stuck: string[] }> {
  const { ds, tally, itemIds, timeoutMs } = options;
  const deadline = Date.now() + timeoutMs;
  let rows = await dossierRows(ds, itemIds);
  while (
    rows.filter((r) => isDone(r, tally.completedMeans)).length < itemIds.length &&
    Date.now() < deadline
  ) {
    await sleep(250);
    rows = await dossierRows(ds, itemIds);
  }
  const found = new Set(rows.map((r) => r.inboundItemId));
  const lost = itemIds.filter((id) => !found.has(id)).length;
  let duplicates = rows.length - found.size;
  for (const row of rows) duplicates += Math.max(0, (await options.filedCount(row)) - 1);
  const done = rows.filter((r) => isDone(r, tally.completedMeans));
  const stuck = await describeStuck(
    ds,
    rows.filter((r) => !isDone(r, tally.completedMeans)),
  );
  const figures = { dossiers: itemIds.length, lost, duplicates, completed: done.length };
  tally.settle(figures);
  return { ...figures, stuck };
}

/**
 * Each dossier that did not finish, with its status, its outbox jobs (published or not, how many
 * tries) and, when there is one, its dead letter: enough to tell a job never relayed from one
 * relayed and never run.
 */
async function describeStuck(ds: DataSource, rows: DossierEntity[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const letters = await ds.query<{ dossier_id: string; error_code: string; reason: string }[]>(
    `SELECT dossier_id, error_code, reason FROM dead_letters WHERE dossier_id = ANY($1)`,
    [ids],
  );
  const jobs = await ds.query<{ dossier_id: string; topic: string; published: boolean; attempts: number }[]>(
    `SELECT dossier_id, topic, published_at IS NOT NULL AS published, attempts FROM outbox
      WHERE kind = 'job' AND dossier_id = ANY($1) ORDER BY id`,
    [ids],
  );
  return rows.map((r) => {
    const letter = letters.find((l) => l.dossier_id === r.id);
    const outbox = jobs
      .filter((j) => j.dossier_id === r.id)
      .map((j) => `${j.topic} ${j.published ? 'published' : 'unpublished'} after ${j.attempts} tries`);
    return `${r.id}: ${r.status}, jobs [${outbox.join('; ')}]${letter ? `, dead letter ${letter.error_code}: ${letter.reason}` : ''}`;
  });
}

/**
 * The postal system's side when the broker may be away: publishes each event with confirms and,
 * when the broker does not confirm, publishes it again until it does (the bridge deduplicates).
 * Returns how many publishes had to be repeated.
 */
export async function publishUntilConfirmed(
  exchange: string,
  events: CloudEvent[],
  url: string,
  giveUpAfterMs = 60_000,
): Promise<number> {
  let repeats = 0;
  for (const event of events) {
    const deadline = Date.now() + giveUpAfterMs;
    for (;;) {
      try {
        // A publish whose connection died unnoticed may never settle: it counts as unconfirmed.
        await withTimeout(publishPostal(exchange, [event], url), PUBLISH_ATTEMPT_MS);
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `broker did not confirm event ${event.id} within ${giveUpAfterMs} ms: ${String(error)}`,
          );
        repeats++;
        await sleep(250);
      }
    }
  }
  return repeats;
}

/** How long one publish may wait for the broker's confirm before it is tried again. */
const PUBLISH_ATTEMPT_MS = 10_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no confirm within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure of an attempt given up on
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `send` for each event, spread evenly over `spanMs`; returns when all were sent. */
export async function paced<T>(items: T[], spanMs: number, send: (item: T) => Promise<void>): Promise<void> {
  const gap = items.length > 1 ? spanMs / (items.length - 1) : 0;
  const started = Date.now();
  for (let i = 0; i < items.length; i++) {
    const due = started + i * gap - Date.now();
    if (due > 0) await sleep(due);
    await send(items[i]);
  }
}
