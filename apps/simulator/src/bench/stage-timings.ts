import { Client } from 'pg';
import { quantile, round } from './latency-stats';

/** Where one dossier's time went, in the order of the pipeline. */
export const STAGES = [
  'ingress start (broker, consumer, transaction begin)',
  'ingress commit → relay publishes the job',
  'job picked up → agency receives the filing',
  'agency answers → answer transaction begins',
  'answer committed → dossier.received published',
  'published → seen by the consumer',
] as const;

/** The median of each stage at one load level, in ms. */
export interface StageTimings {
  inFlight: number;
  dossiers: number;
  p50Ms: Record<(typeof STAGES)[number], number>;
}

/** The timestamps of one dossier the bridge's own tables hold (ms since the epoch). */
interface DossierStamps {
  item: string;
  id: string;
  ingress: number;
  jobRelayed: number;
  answerBegun: number;
  answerPublished: number;
}

/**
 * Splits the end-to-end latency of the dossiers of one level into stages, from timestamps
 * already kept: the bench's send and receive times, the inbox row, the outbox rows of the agency
 * job and of `dossier.received` (created in the answer's transaction, published by the relay),
 * and the agency simulator's arrival time of the filing.
 */
export async function stageTimings(
  databaseUrl: string,
  inFlight: number,
  times: Map<string, { sent: number; done?: number }>,
  filingArrivedAt: (bridgeId: string) => number | undefined,
): Promise<StageTimings> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<DossierStamps>(
      `SELECT d.inbound_item_id AS item, d.id,
              (SELECT extract(epoch FROM min(i.received_at)) * 1000 FROM inbox i WHERE i.dossier_id = d.id) AS ingress,
              (SELECT extract(epoch FROM min(o.published_at)) * 1000 FROM outbox o
                WHERE o.dossier_id = d.id AND o.kind = 'job') AS "jobRelayed",
              (SELECT extract(epoch FROM min(o.created_at)) * 1000 FROM outbox o
                WHERE o.dossier_id = d.id AND o.topic = 'dossier.received') AS "answerBegun",
              (SELECT extract(epoch FROM min(o.published_at)) * 1000 FROM outbox o
                WHERE o.dossier_id = d.id AND o.topic = 'dossier.received') AS "answerPublished"
         FROM dossiers d WHERE d.inbound_item_id = ANY($1::text[])`,
      [[...times.keys()]],
    );
    const spans: number[][] = STAGES.map(() => []);
    for (const row of rows) {
      const t = times.get(row.item);
      const arrived = filingArrivedAt(row.id);
      if (!t?.done || arrived === undefined) continue;
      const marks = [
        t.sent,
        row.ingress,
        row.jobRelayed,
        arrived,
        row.answerBegun,
        row.answerPublished,
        t.done,
      ].map(Number);
      if (marks.some((m) => !Number.isFinite(m))) continue;
      for (let stage = 0; stage < STAGES.length; stage++) spans[stage].push(marks[stage + 1] - marks[stage]);
    }
    const p50 = (values: number[]) =>
      round(
        quantile(
          [...values].sort((a, b) => a - b),
          0.5,
        ),
        1,
      );
    return {
      inFlight,
      dossiers: spans[0].length,
      p50Ms: Object.fromEntries(STAGES.map((name, i) => [name, p50(spans[i])])) as StageTimings['p50Ms'],
    };
  } finally {
    await client.end();
  }
}

/** The stage table of the bench's output. */
export function renderStages(levels: readonly StageTimings[]): string {
  if (levels.length === 0) return '';
  const width = Math.max(...STAGES.map((s) => s.length));
  const header = `${'stage (p50 ms)'.padEnd(width)}  ${levels.map((l) => `@${l.inFlight}`.padStart(8)).join('')}`;
  const lines = STAGES.map(
    (stage) => `${stage.padEnd(width)}  ${levels.map((l) => String(l.p50Ms[stage]).padStart(8)).join('')}`,
  );
  return [
    header,
    ...lines,
    `${'dossiers timed'.padEnd(width)}  ${levels.map((l) => String(l.dossiers).padStart(8)).join('')}`,
  ].join('\n');
}
