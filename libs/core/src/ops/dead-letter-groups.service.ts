import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AttemptRecord, DeadLetterEntity, JsonObject } from '@bridge/persistence';

/** Filters of the dead-letter list; `state` defaults to open, `all` lists every state. */
export interface DeadLetterListFilter {
  agencyCode?: string;
  errorCode?: string;
  origin?: string;
  state?: 'open' | 'replayed' | 'discarded' | 'all';
}

/** One dead letter as shown inside a group. */
export interface DeadLetterExample {
  id: string;
  agencyCode: string | null;
  dossierId: string | null;
  operation: string;
  reason: string;
  attempts: number;
  createdAt: string;
}

/** Like failures together: same error signature (code + message shape). */
export interface DeadLetterGroup {
  signature: string;
  errorCode: string;
  count: number;
  agencies: string[];
  firstAt: string;
  lastAt: string;
  /** The newest three. */
  examples: DeadLetterExample[];
}

/** One dead letter in full: its original payload and every attempt. */
export interface DeadLetterDetail extends Omit<DeadLetterExample, 'attempts'> {
  origin: string;
  state: string;
  errorCode: string;
  errorSignature: string;
  payload: JsonObject;
  attempts: AttemptRecord[];
  replayCount: number;
  resolvedAt: string | null;
  resolvedBy: string | null;
  correlationId: string | null;
}

/** Most groups returned; the biggest come first. */
const MAX_GROUPS = 200;
const EXAMPLES_PER_GROUP = 3;

/** Read side of the dead letters for operators: grouped by signature, or one in full. */
@Injectable()
export class DeadLetterGroupsService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async groups(filter: DeadLetterListFilter): Promise<DeadLetterGroup[]> {
    const { where, params } = whereOf(filter);
    const groups = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT error_signature AS signature, min(error_code) AS error_code, count(*)::int AS count,
              array_remove(array_agg(DISTINCT agency_code), NULL) AS agencies,
              min(created_at) AS first_at, max(created_at) AS last_at
         FROM dead_letters WHERE ${where}
        GROUP BY error_signature ORDER BY count(*) DESC, max(created_at) DESC LIMIT ${MAX_GROUPS}`,
      params,
    );
    if (groups.length === 0) return [];
    const examples = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT * FROM (
         SELECT id, agency_code, dossier_id, operation, reason, error_signature, created_at,
                jsonb_array_length(attempts) AS attempts,
                row_number() OVER (PARTITION BY error_signature ORDER BY created_at DESC, id) AS rank
           FROM dead_letters WHERE ${where}) ranked
        WHERE rank <= ${EXAMPLES_PER_GROUP} ORDER BY created_at DESC`,
      params,
    );
    return groups.map((g) => ({
      signature: String(g.signature),
      errorCode: String(g.error_code),
      count: Number(g.count),
      agencies: (g.agencies as string[]).sort(),
      firstAt: new Date(g.first_at as string).toISOString(),
      lastAt: new Date(g.last_at as string).toISOString(),
      examples: examples.filter((e) => e.error_signature === g.signature).map(exampleOf),
    }));
  }

  async detail(id: string): Promise<DeadLetterDetail | null> {
    const row = await this.dataSource.getRepository(DeadLetterEntity).findOneBy({ id });
    if (!row) return null;
    return {
      id: row.id,
      origin: row.origin,
      state: row.state,
      agencyCode: row.agencyCode,
      dossierId: row.dossierId,
      operation: row.operation,
      errorCode: row.errorCode,
      errorSignature: row.errorSignature,
      reason: row.reason,
      payload: row.payload,
      attempts: row.attempts,
      replayCount: row.replayCount,
      createdAt: row.createdAt.toISOString(),
      resolvedAt: row.resolvedAt?.toISOString() ?? null,
      resolvedBy: row.resolvedBy,
      correlationId: row.correlationId,
    };
  }
}

function whereOf(filter: DeadLetterListFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    clauses.push(clause.replace('?', `$${params.length}`));
  };
  const state = filter.state ?? 'open';
  if (state !== 'all') add('state = ?', state);
  if (filter.agencyCode) add('agency_code = ?', filter.agencyCode);
  if (filter.errorCode) add('error_code = ?', filter.errorCode);
  if (filter.origin) add('origin = ?', filter.origin);
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params };
}

function exampleOf(row: Record<string, unknown>): DeadLetterExample {
  return {
    id: String(row.id),
    agencyCode: (row.agency_code as string | null) ?? null,
    dossierId: (row.dossier_id as string | null) ?? null,
    operation: String(row.operation),
    reason: String(row.reason),
    attempts: Number(row.attempts),
    createdAt: new Date(row.created_at as string).toISOString(),
  };
}
