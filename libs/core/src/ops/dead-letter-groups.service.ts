import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AttemptRecord, DeadLetterEntity, JsonObject } from '@bridge/persistence';
import { deadLetterWhere, DeadLetterListFilter, groupDeadLetters } from './dead-letter-queries';

export { DeadLetterListFilter } from './dead-letter-queries';

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
    const groups = await groupDeadLetters(this.dataSource, filter, { limit: MAX_GROUPS });
    if (groups.length === 0) return [];
    const { where, params } = deadLetterWhere(filter);
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
      signature: g.signature,
      errorCode: g.errorCode,
      count: g.count,
      agencies: g.agencies,
      firstAt: g.firstAt.toISOString(),
      lastAt: g.lastAt.toISOString(),
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
