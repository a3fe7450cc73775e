import { getMetadataArgsStorage } from 'typeorm';
import { DossierEntity } from '@bridge/persistence';

/**
 * The `dossiers` columns, read once from the entity's decorators: the entity is their one
 * source, and every statement the ledger sends (its SELECT lists, the INSERT and UPDATE of
 * {@link writeChanges}) is spelled from this list. Rows come back under the entity's property
 * names, so a row is the entity's shape without a hand-written mapper.
 */
interface DossierColumn {
  /** The entity property. */
  property: keyof DossierEntity;
  /** The column in `dossiers`. */
  column: string;
  /** The PostgreSQL type, as `jsonb_to_recordset` needs it. */
  type: string;
  /** Written by the ledger (the timestamps are the database's). */
  written: boolean;
}

const COLUMNS: readonly DossierColumn[] = getMetadataArgsStorage()
  .filterColumns(DossierEntity)
  .map((args) => ({
    property: args.propertyName as DossierColumn['property'],
    column: args.options.name ?? args.propertyName,
    type: String(args.options.type),
    written: args.mode === 'regular',
  }));

if (COLUMNS.length === 0) throw new Error('the dossiers entity declares no columns');

const WRITTEN = COLUMNS.filter((c) => c.written);

/** The entity's properties the ledger writes. */
export type WrittenProperty = Exclude<keyof DossierEntity, 'createdAt' | 'updatedAt'>;

/** A `dossiers` row as the ledger reads it: the entity's properties. */
export type DossierRow = { [K in keyof DossierEntity]: DossierEntity[K] };

/** A `dossiers` row as the ledger writes it. */
export type DossierColumns = Pick<DossierEntity, WrittenProperty>;

/** A column as SELECT returns it under its property name (`inbound_item_id AS "inboundItemId"`). */
function selected(c: DossierColumn, table?: string): string {
  const source = table ? `${table}.${c.column}` : c.column;
  return c.column === c.property ? source : `${source} AS "${c.property}"`;
}

/** Every column of `dossiers`, named as the entity's properties (statements are prepared: named). */
export const DOSSIER_COLUMNS = COLUMNS.map((c) => selected(c)).join(', ');

/**
 * The same list with only the ref columns (and the order key) of another agency's dossier; the
 * rest is NULL, so it can follow {@link DOSSIER_COLUMNS} in a UNION without showing that dossier.
 */
export function refColumnsOnly(kept: readonly (keyof DossierEntity)[]): string {
  return COLUMNS.map((c) => (kept.includes(c.property) ? c.column : 'NULL')).join(', ');
}

/** The record type of written rows, for `jsonb_to_recordset(...) AS x(<this>)`. */
export const DOSSIER_RECORD = WRITTEN.map((c) => `"${c.property}" ${c.type}`).join(', ');

/** `INSERT INTO dossiers (...) SELECT ...` of the record `x`. */
export const DOSSIER_INSERT = `INSERT INTO dossiers (${WRITTEN.map((c) => c.column).join(', ')})
  SELECT ${WRITTEN.map((c) => `x."${c.property}"`).join(', ')}`;

/** The SET list of an UPDATE from the record `x` (every written column but the key). */
export const DOSSIER_SET = [
  ...WRITTEN.filter((c) => c.property !== 'id').map((c) => `${c.column} = x."${c.property}"`),
  'updated_at = now()',
].join(', ');

/** A read row as the entity. */
export function toEntity(row: DossierRow): DossierEntity {
  return Object.assign(new DossierEntity(), row);
}

/** The written columns of a dossier. */
export function columnsOf(d: DossierEntity): DossierColumns {
  const out: Record<string, unknown> = {};
  for (const c of WRITTEN) out[c.property] = d[c.property];
  return out as DossierColumns;
}
