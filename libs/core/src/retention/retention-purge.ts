import { DataSource } from 'typeorm';
import type { RetentionPeriods } from '@bridge/config';
import { Dossier, TERMINAL_STATUSES } from '@bridge/domain';
import { auditKeyFromEnv } from '../audit/message-log/audit-key';
import { purgeMessageBodies } from '../audit/message-log/message-log-retention';
import { withoutPersonalData } from './personal-fields';

/** The categories a purge goes through, in the order it reports them. */
export const PURGE_CATEGORIES = [
  'dossierPersonalData',
  'messageBodies',
  'inbox',
  'publishedOutbox',
  'resolvedDeadLetters',
] as const satisfies readonly (keyof RetentionPeriods)[];
export type PurgeCategory = (typeof PURGE_CATEGORIES)[number];

/** One category of a purge: what its limit was and how many rows it touched (or would). */
export interface PurgeLine {
  category: PurgeCategory;
  /** Rows older than this go; null when the category is kept for ever. */
  cutoff: string | null;
  count: number;
  /** What happens to those rows. */
  action: string;
}

export interface PurgeReport {
  dryRun: boolean;
  at: string;
  lines: PurgeLine[];
}

/** Rows per statement: each batch is a short transaction, so live traffic never waits long. */
const BATCH = 2000;

/** Deletes (rows of `table` chosen by `where`) batch by batch; rows another worker holds are skipped. */
const DELETE_BATCH = (table: string, where: string) =>
  `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))`;

const DELETES: Record<'inbox' | 'publishedOutbox' | 'resolvedDeadLetters', { table: string; where: string }> =
  {
    inbox: { table: 'inbox', where: 'received_at < $1' },
    publishedOutbox: { table: 'outbox', where: 'published_at IS NOT NULL AND published_at < $1' },
    resolvedDeadLetters: { table: 'dead_letters', where: `state <> 'open' AND resolved_at < $1` },
  };

const FINISHED = `status = ANY($2) AND personal_data_purged_at IS NULL AND updated_at < $1`;

/**
 * The retention purge (personal data protection): masks the personal fields of dossiers
 * finished longer ago than their limit (the dossier row stays), blanks old message-log bodies
 * (the audit chain stays verifiable, see `purgeMessageBodies`), and deletes old inbox rows,
 * published outbox rows and resolved dead letters. Open dossiers and open dead letters are
 * never touched. Safe on several workers at once: every batch skips rows another one holds,
 * and each step only takes what is still there.
 */
export class RetentionPurge {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retention: RetentionPeriods,
    /** Key of the message-log chain, for the retention anchor a purge of old records leaves. */
    private readonly auditKey: Buffer = auditKeyFromEnv(),
  ) {}

  async run(options: { dryRun: boolean; now?: Date }): Promise<PurgeReport> {
    const now = options.now ?? new Date();
    const lines: PurgeLine[] = [];
    for (const category of PURGE_CATEGORIES) {
      const keep = this.retention[category];
      const cutoff = keep === null ? null : new Date(now.getTime() - keep);
      const count = cutoff === null ? 0 : await this.purge(category, cutoff, now, options.dryRun);
      lines.push({ category, cutoff: cutoff?.toISOString() ?? null, count, action: ACTIONS[category] });
    }
    return { dryRun: options.dryRun, at: now.toISOString(), lines };
  }

  private async purge(category: PurgeCategory, cutoff: Date, now: Date, dryRun: boolean): Promise<number> {
    if (category === 'dossierPersonalData') return this.maskDossiers(cutoff, now, dryRun);
    if (category === 'messageBodies') {
      const result = await purgeMessageBodies(this.dataSource, this.auditKey, cutoff, now, dryRun);
      return result.blanked + result.pruned;
    }
    const { table, where } = DELETES[category];
    if (dryRun) return this.count(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, [cutoff]);
    let total = 0;
    for (;;) {
      const [, deleted] = await this.dataSource.query<[unknown, number]>(DELETE_BATCH(table, where), [
        cutoff,
      ]);
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }

  private async maskDossiers(cutoff: Date, now: Date, dryRun: boolean): Promise<number> {
    const terminal = [...TERMINAL_STATUSES];
    if (dryRun) return this.count(`SELECT count(*) AS n FROM dossiers WHERE ${FINISHED}`, [cutoff, terminal]);
    let total = 0;
    for (;;) {
      const masked = await this.dataSource.transaction(async (manager) => {
        const rows = await manager.query<Array<{ id: string; snapshot: Dossier }>>(
          `SELECT id, snapshot FROM dossiers WHERE ${FINISHED} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [cutoff, terminal],
        );
        if (rows.length === 0) return 0;
        await manager.query(
          `UPDATE dossiers d SET snapshot = m.snapshot, personal_data_purged_at = $2
             FROM jsonb_to_recordset($1::jsonb) AS m(id uuid, snapshot jsonb) WHERE d.id = m.id`,
          [JSON.stringify(rows.map((r) => ({ id: r.id, snapshot: withoutPersonalData(r.snapshot) }))), now],
        );
        return rows.length;
      });
      total += masked;
      if (masked < BATCH) return total;
    }
  }

  private async count(sql: string, params: unknown[]): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: string }>>(sql, params);
    return Number(row.n);
  }
}

const ACTIONS: Record<PurgeCategory, string> = {
  dossierPersonalData: 'personal fields of finished dossiers masked (dossiers kept)',
  messageBodies: 'message-log bodies blanked (records and chain kept)',
  inbox: 'inbox rows deleted',
  publishedOutbox: 'published outbox rows deleted',
  resolvedDeadLetters: 'replayed or discarded dead letters deleted',
};
