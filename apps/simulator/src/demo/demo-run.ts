import { CircuitData, CloudEvent, ServiceOption } from '@bridge/domain';
import { AgencyFleet } from '../fleet/agency-fleet';
import { PostalBackend } from '../postal/postal-backend';
import { pick, Random } from '../postal/postal-identities';
import { DemoOptions } from './demo-options';
import { clock } from './demo-report';
import { replayDeadLetters } from './demo-replay';
import { DemoBridge, DemoEnvironment } from './demo-services';

/** The agency that goes down for a while (a REST department), and the one whose catalogue lags. */
export const OUTAGE_AGENCY = '000.00.05.H48';
export const CATALOGUE_AGENCY = '000.00.16.H48';
export const MISSING_PROCEDURE = '1.002447';
/** Dossiers sent for the missing procedure at the start: they become dead letters. */
const DEAD_LETTER_DOSSIERS = 3;

/** What the run observed besides the ledger. */
export interface RunObservations {
  circuits: { at: number; agencyCode: string; state: 'open' | 'closed'; reason?: string }[];
  replayed: number;
  replayVia?: string;
  replayFailures: string[];
}

type Say = (line: string) => void;

/**
 * Runs the dossiers: the post collects most of them (some for the agency's desk only, some
 * both ways), applicants hand some in at a desk for the post to return, one agency goes down
 * for a while, one agency's catalogue lacks a procedure until an operator fixes it and replays
 * the dead letters. Resolves when every dossier finished or the deadline passed.
 */
export async function runDossiers(
  options: DemoOptions,
  parts: {
    env: DemoEnvironment;
    bridge: DemoBridge;
    fleet: AgencyFleet;
    postal: PostalBackend;
    random: Random;
  },
  observed: RunObservations,
  say: Say,
  stopping: () => boolean,
): Promise<void> {
  const { fleet, postal, random, env, bridge } = parts;
  const start = Date.now();
  const catalogue = fleet.get(CATALOGUE_AGENCY);
  catalogue.setFilingCheck?.((body) =>
    body.maThuTuc === MISSING_PROCEDURE
      ? `Thủ tục ${MISSING_PROCEDURE} chưa được cấu hình trong danh mục`
      : undefined,
  );
  const deskAgencies = [...fleet.agencies.values()]
    .filter((a) => a.registerAtDesk !== undefined)
    .map((a) => a.file.code);
  const postal_ = fleet.postalProcedures().filter((a) => a.procedures.length > 0);
  const deskEvery = Math.max(2, Math.round(1 / 0.08));
  const outageAt = Math.min(10_000, (options.dossiers / options.rate) * 200);
  let outageUntil = Infinity;
  let outage: Promise<void> | undefined;
  let replaying: Promise<void> | undefined;
  let catalogueFixed = false;
  let lastReplay = 0;
  const replayedIds = new Set<string>();
  let lastProgress = 0;

  const progress = () => {
    const c = postal.ledger.counts();
    const open = observed.circuits.reduce((m, e) => m.set(e.agencyCode, e.state), new Map<string, string>());
    const circuits = [...open].filter(([, s]) => s === 'open').map(([code]) => code);
    say(
      `${clock(start)} started ${c.started}/${options.dossiers} · finished ${c.finished} · in flight ${c.inFlight}` +
        ` · dead letters ${postal.deadLetters.length} (replayed ${observed.replayed})` +
        ` · circuits open: ${circuits.length ? circuits.join(', ') : 'none'}` +
        (process.env.DEMO_DEBUG ? ` · agency side ${JSON.stringify(fleet.stages())}` : ''),
    );
    lastProgress = Date.now();
  };
  const housekeeping = () => {
    if (!outage && Date.now() - start >= outageAt && options.outageMs > 0) {
      say(
        `${clock(start)} ${OUTAGE_AGENCY} ${fleet.get(OUTAGE_AGENCY).file.name} goes down for ${options.outageMs / 1000} s`,
      );
      outageUntil = Date.now() + options.outageMs;
      outage = fleet
        .outage(OUTAGE_AGENCY, options.outageMs)
        .then(() => say(`${clock(start)} ${OUTAGE_AGENCY} is back up`));
    }
    const letters = postal.deadLetters.filter((d) => d.agencyCode === CATALOGUE_AGENCY);
    if (
      !catalogueFixed &&
      (letters.length >= DEAD_LETTER_DOSSIERS || (letters.length > 0 && Date.now() - start > 30_000))
    ) {
      catalogueFixed = true;
      say(
        `${clock(start)} ${CATALOGUE_AGENCY} adds ${MISSING_PROCEDURE} to its catalogue; an operator replays its dead letters`,
      );
      catalogue.setFilingCheck?.(undefined);
    }
    // After the fix the operator keeps an eye on the dead letters and replays new ones.
    const fresh = postal.deadLetters.filter((d) => !replayedIds.has(d.deadLetterId));
    if (catalogueFixed && !replaying && fresh.length > 0 && Date.now() - lastReplay >= 5_000) {
      for (const d of fresh) replayedIds.add(d.deadLetterId);
      lastReplay = Date.now();
      replaying = (async () => {
        const result = await replayDeadLetters(
          fresh.map((d) => d.deadLetterId),
          { url: bridge.url, adminKey: env.adminKey, databaseUrl: env.databaseUrl },
        );
        observed.replayed += result.replayed;
        observed.replayVia = result.via;
        observed.replayFailures.push(...result.failures);
        say(`${clock(start)} replayed ${result.replayed} dead letters via ${result.via}`);
      })().finally(() => (replaying = undefined));
    }
    if (Date.now() - lastProgress >= 3_000) progress();
  };

  for (let i = 0; i < options.dossiers && !stopping(); i++) {
    const due = start + (i * 1000) / options.rate;
    while (Date.now() < due) {
      housekeeping();
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, due - Date.now())));
    }
    if (i < DEAD_LETTER_DOSSIERS) {
      await postal.collect({
        agencyCode: CATALOGUE_AGENCY,
        procedureCode: MISSING_PROCEDURE,
        procedureName: 'Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
        serviceOption: 'both',
      });
    } else if (i % deskEvery === 0 && deskAgencies.length > 0) {
      const agencyCode = pick(random, deskAgencies);
      postal.ledger.expectFromAgency(agencyCode, fleet.registerAtDesk(agencyCode));
    } else {
      const down = Date.now() < outageUntil && i % 3 === 0; // the busy department keeps getting mail
      const agency = down ? postal_.find((a) => a.code === OUTAGE_AGENCY)! : pick(random, postal_);
      const procedure = pick(random, agency.procedures);
      const serviceOption: Exclude<ServiceOption, 'return'> = random() < 0.27 ? 'send' : 'both';
      await postal.collect({
        agencyCode: agency.code,
        procedureCode: procedure.code,
        procedureName: procedure.name,
        serviceOption,
      });
    }
  }
  say(`${clock(start)} all ${postal.ledger.entries.length} dossiers started; waiting for them to finish`);
  const deadline = Date.now() + options.deadlineMs;
  while (!stopping() && Date.now() < deadline) {
    housekeeping();
    const settled = postal.deadLetters.every((d) => replayedIds.has(d.deadLetterId)) && !replaying;
    if (postal.ledger.unfinished().length === 0 && settled && (!outage || Date.now() > outageUntil)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await outage;
  await replaying;
  progress();
}

/** Keeps the circuit events the bridge announced, and tells the person at once. */
export function watchCircuits(
  observed: RunObservations,
  names: Map<string, string>,
  say: Say,
  start: () => number,
) {
  return (event: CloudEvent): void => {
    if (event.type !== 'agency.circuit_opened' && event.type !== 'agency.circuit_closed') return;
    const data = event.data as CircuitData;
    observed.circuits.push({
      at: Date.now(),
      agencyCode: data.agencyCode,
      state: data.state,
      reason: data.reason,
    });
    const name = names.get(data.agencyCode) ?? '';
    say(
      `${clock(start())} ${event.type}: ${data.agencyCode} ${name}` +
        (data.state === 'open'
          ? ` after ${data.consecutiveFailures ?? '?'} failures (${data.reason ?? ''})`
          : ` (${data.reason ?? ''})`),
    );
  };
}
