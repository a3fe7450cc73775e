import { Dossier } from '@bridge/domain';

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
}

/**
 * How the workbench re-runs one adapter kind's mappings: its dialect built from a spec (no
 * I/O), and the replays a logged message gives rise to. Messages it does not handle return
 * a reason instead, which the report shows.
 */
export interface KindReplayer<D> {
  dialect(spec: import('@bridge/adapter-sdk').AdapterSpec): D;
  /** The replays of one message; `string` = why it cannot be replayed. `[]` = nothing to replay. */
  replays(
    message: LoggedMessage,
    dossiers: ReadonlyMap<string, StoredDossier>,
    sides: { then: D; now: D },
  ): Promise<Replay<D>[] | string>;
}
