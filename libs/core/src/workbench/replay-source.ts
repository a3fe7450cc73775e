import { Dossier } from '@bridge/domain';
import type { LogView } from './replay-compare';

/** One message of an agency's history, as the workbench reads it from the message log. */
export interface LoggedMessage {
  id: string;
  loggedAt: Date;
  direction: string;
  operation: string;
  status: string | null;
  dossierId: string | null;
  /** As stored: secrets redacted, personal ids masked. */
  body: string;
}

/** What the dossiers table holds for a dossier a logged message names. */
export interface StoredDossier {
  id: string;
  agencyDossierCode: string | null;
  resultItemId: string | null;
  snapshot: Dossier;
}

/**
 * One thing to re-run: a mapping over a stored input. `run` evaluates it with one side's
 * dialect (the file in force or the candidate); `sent`, for request mappings, is what the
 * agency did receive according to the log, and replaces the file in force as "then".
 */
export interface Replay<D> {
  mapping: string;
  dossier?: string;
  run(dialect: D): Promise<unknown>;
  sent?: unknown;
  /**
   * How what `run` yields compares with `sent`, when it is not a JSON body: read from the
   * agency's format (an envelope, a CSV file) as it is and as the log masks it.
   */
  view?: LogView;
}

/**
 * How the workbench re-runs one adapter kind's mappings: its dialect built from a spec (no
 * I/O), and the replays a logged message gives rise to. Messages it does not handle return
 * a reason instead, which the report shows.
 */
export interface KindReplayer<D> {
  /** `countAs`: the key its evaluations by JSONata are counted under (none: not counted). */
  dialect(spec: import('@bridge/adapter-sdk').AdapterSpec, countAs?: string): D;
  /** What the report says of every agency of the kind (what was and was not compared). */
  note?: string;
  /** The replays of one message; `string` = why it cannot be replayed. `[]` = nothing to replay. */
  replays(
    message: LoggedMessage,
    dossiers: ReadonlyMap<string, StoredDossier>,
    sides: { then: D; now: D },
  ): Promise<Replay<D>[] | string>;
}
