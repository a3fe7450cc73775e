import type { DataSource } from 'typeorm';
import { AdapterKind, AdapterSpec, openFallbackTally } from '@bridge/adapter-sdk';
import { csvReplayer } from './csv-replayer';
import { readDossiers, readHistory } from './history-reader';
import { KindReplayer, LoggedMessage, StoredDossier } from './replay-source';
import { compareSides, side, Side } from './replay-compare';
import { ReplayTally } from './replay-tally';
import { igateReplayer } from './igate-replayer';
import { restReplayer } from './rest-replayer';
import { soapReplayer } from './soap-replayer';
import { WorkbenchReport } from './workbench-report';

/** How the workbench replays the history of each kind. */
export const REPLAYERS: Partial<Record<AdapterKind, KindReplayer<unknown>>> = {
  [AdapterKind.Rest]: restReplayer,
  [AdapterKind.Soap]: soapReplayer,
  [AdapterKind.CsvDrop]: csvReplayer,
  [AdapterKind.IgateLegacy]: igateReplayer,
};

/** What a replay of an agency's history needs. */
export interface ReplayRequest {
  agencyCode: string;
  inForce: { version: number; spec: AdapterSpec };
  candidate: AdapterSpec;
  since: Date;
  /** Most messages to read (newest first). */
  limit: number;
  /** Sees every replay the candidate passes, with the message and dossier it came from. */
  onPassed?: (mapping: string, message: LoggedMessage, dossier: StoredDossier | undefined) => void;
}

/**
 * Re-runs the candidate's mappings and the file in force over the agency's logged history and
 * tallies where they differ. Reads the message log and the dossiers; writes nothing and calls
 * no agency (dialects are pure: mappings and status tables, no transport). The candidate's
 * evaluations that the synchronous evaluator hands to JSONata are counted per mapping, apart
 * from the process's own counts (they are not the live agency's).
 */
export async function replayHistory(
  dataSource: DataSource,
  request: ReplayRequest,
): Promise<WorkbenchReport> {
  const started = performance.now();
  const tally = new ReplayTally();
  const replayer = REPLAYERS[request.candidate.kind];
  const fallbacks = openFallbackTally();
  let read = 0;
  try {
    read = await replayAll(dataSource, request, replayer, tally, fallbacks.key);
  } finally {
    fallbacks.close();
  }
  const mappings = tally.mappings((mapping) => fallbacks.count(mapping));
  const dossiers = tally.dossiers();
  return {
    agencyCode: request.agencyCode,
    inForceVersion: request.inForce.version,
    since: request.since.toISOString(),
    messagesRead: read,
    mappings,
    dossiersChanged: dossiers.listed,
    dossiersChangedTotal: dossiers.total,
    maskedFields: tally.masked(),
    notes: replayer?.note ? [replayer.note] : [],
    notReplayed: Object.fromEntries(tally.notReplayed),
    failing: mappings.some((m) => m.counts.nowFailing > 0),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Replays every page of the history into `tally`; returns the messages read. */
async function replayAll(
  dataSource: DataSource,
  request: ReplayRequest,
  replayer: KindReplayer<unknown> | undefined,
  tally: ReplayTally,
  countAs: string,
): Promise<number> {
  if (!replayer) {
    tally.notReplayed.set(
      '*',
      `replaying the history of a ${request.candidate.kind} agency is not supported`,
    );
    return 0;
  }
  const sides = {
    then: replayer.dialect(request.inForce.spec),
    now: replayer.dialect(request.candidate, countAs),
  };
  let read = 0;
  for await (const page of readHistory(dataSource, request.agencyCode, request.since, request.limit)) {
    read += page.length;
    const dossiers = await readDossiers(
      dataSource,
      page.flatMap((m) => (m.dossierId && m.direction === 'outbound' ? [m.dossierId] : [])),
    );
    for (const message of page) {
      let replays;
      try {
        replays = await replayer.replays(message, dossiers, sides);
      } catch (error) {
        replays = `its body cannot be read (${error instanceof Error ? error.message : String(error)})`;
      }
      if (typeof replays === 'string') {
        tally.notReplayed.set(`${message.direction} ${message.operation}`, replays);
        continue;
      }
      for (const replay of replays) {
        const now = await side(() => replay.run(sides.now));
        const sent = replay.sent !== undefined;
        // What the log shows was sent is JSON already: no copy needed.
        const then: Side = sent ? { ok: true, value: replay.sent } : await side(() => replay.run(sides.then));
        const compared = compareSides(then, now, sent && (replay.view ?? true));
        tally.add(replay.mapping, message.id, replay.dossier, then, now, compared);
        if (now.ok && compared.error === undefined && request.onPassed) {
          const dossier = message.dossierId ? dossiers.get(message.dossierId) : undefined;
          request.onPassed(replay.mapping, message, dossier);
        }
      }
    }
  }
  return read;
}
