import type { DataSource } from 'typeorm';
import { AdapterKind, AdapterSpec } from '@bridge/adapter-sdk';
import { readDossiers, readHistory } from './history-reader';
import { KindReplayer, LoggedMessage, StoredDossier } from './replay-source';
import { compareSides, side } from './replay-compare';
import { ReplayTally } from './replay-tally';
import { restReplayer } from './rest-replayer';
import { soapReplayer } from './soap-replayer';
import { WorkbenchReport } from './workbench-report';

/** The kinds whose history the workbench can replay; others are reported as not replayed. */
export const REPLAYERS: Partial<Record<AdapterKind, KindReplayer<unknown>>> = {
  [AdapterKind.Rest]: restReplayer,
  [AdapterKind.Soap]: soapReplayer,
};

/** What a replay of an agency's history needs. */
export interface ReplayRequest {
  agencyCode: string;
  inForce: { version: number; spec: AdapterSpec };
  candidate: AdapterSpec;
  since: Date;
  /** Most messages to read (newest first). */
  limit: number;
  /** Fallbacks of the synchronous evaluator per mapping, when the mapping engine counts them. */
  fallbacks?: (mapping: string) => number | undefined;
  /** Sees every replay the candidate passes, with the message and dossier it came from. */
  onPassed?: (mapping: string, message: LoggedMessage, dossier: StoredDossier | undefined) => void;
}

/**
 * Re-runs the candidate's mappings and the file in force over the agency's logged history and
 * tallies where they differ. Reads the message log and the dossiers; writes nothing and calls
 * no agency (dialects are pure: mappings and status tables, no transport).
 */
export async function replayHistory(
  dataSource: DataSource,
  request: ReplayRequest,
): Promise<WorkbenchReport> {
  const started = performance.now();
  const tally = new ReplayTally();
  const replayer = REPLAYERS[request.candidate.kind];
  let read = 0;
  if (!replayer) {
    tally.notReplayed.set(
      '*',
      `replaying the history of a ${request.candidate.kind} agency is not supported`,
    );
  } else {
    const sides = { then: replayer.dialect(request.inForce.spec), now: replayer.dialect(request.candidate) };
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
          const then = sent ? await side(async () => replay.sent) : await side(() => replay.run(sides.then));
          tally.add(replay.mapping, message.id, replay.dossier, then, now, compareSides(then, now, sent));
          if (now.ok && request.onPassed) {
            request.onPassed(
              replay.mapping,
              message,
              message.dossierId ? dossiers.get(message.dossierId) : undefined,
            );
          }
        }
      }
    }
  }
  const mappings = tally.mappings(request.fallbacks);
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
    notReplayed: Object.fromEntries(tally.notReplayed),
    failing: mappings.some((m) => m.counts.nowFailing > 0),
    elapsedMs: Math.round(performance.now() - started),
  };
}
