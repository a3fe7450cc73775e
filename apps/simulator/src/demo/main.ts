import { join } from 'node:path';
import { AgencyFleet } from '../fleet/agency-fleet';
import { DEMO_SECRETS } from '../fleet/fleet-secrets';
import { PostalBackend } from '../postal/postal-backend';
import { seededRandom } from '../postal/postal-identities';
import { DEMO_USAGE, DemoOptions, DemoUsageError, parseDemoArgs } from './demo-options';
import { agencyRows, clock, renderAgencyTable } from './demo-report';
import { RunObservations, runDossiers, watchCircuits } from './demo-run';
import { applyAgencies, DemoBridge, DemoEnvironment, resetDemoState } from './demo-services';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');
const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `npm run demo`: the Đà Nẵng pilot end to end on this machine. Exit code 0 when every
 * dossier finished and none was filed twice, 1 otherwise, 2 for a bad flag.
 */
async function main(): Promise<number> {
  let options: DemoOptions | null;
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof DemoUsageError)) throw error;
    process.stderr.write(`demo: ${error.message}\n`);
    return 2;
  }
  if (!options) {
    say(DEMO_USAGE);
    return 0;
  }
  const env: DemoEnvironment = {
    root: ROOT,
    databaseUrl: options.databaseUrl,
    amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    namespace: options.namespace,
    port: options.port,
    secretKey: 'demo-secret-key-0123456789abcdef',
    adminKey: 'demo-admin-key-dang-nang-2019',
    secrets: { ...DEMO_SECRETS },
  };
  const started = Date.now();
  let runStart = started;
  let stop = false;
  let wake: () => void = () => undefined;
  const onSignal = () => {
    if (!stop) say('\nstopping: draining the bridge and closing the simulators…');
    stop = true;
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  say(
    `demo: seed ${options.seed}, ${options.dossiers} dossiers at ${options.rate}/s, agencies from ${options.config}`,
  );
  await resetDemoState(env);
  say(
    `${clock(started)} database ${options.databaseUrl} reset and migrated; namespace "${env.namespace}" cleared`,
  );
  say(`${clock(started)} agencies applied with ${await applyAgencies(env, options.config)}`);
  const random = seededRandom(options.seed);
  let fleet: AgencyFleet | undefined;
  let bridge: DemoBridge | undefined;
  let postal: PostalBackend | undefined;
  try {
    fleet = await AgencyFleet.start(options.config, {
      root: ROOT,
      env: { ...process.env, ...env.secrets },
      random,
      serviceOptionOf: (bridgeId) => postal?.ledger.byDossierId(bridgeId)?.serviceOption,
    });
    const names = new Map([...fleet.agencies.values()].map((a) => [a.file.code, a.file.name]));
    say(`${clock(started)} ${fleet.agencies.size} agency simulators listening (${describeFleet(fleet)})`);
    bridge = await DemoBridge.start(env);
    say(
      `${clock(started)} bridge ready at ${bridge.url} (admin key: ${env.adminKey}; its log: ${bridge.logFile})`,
    );
    const observed: RunObservations = { circuits: [], replayed: 0, replayFailures: [] };
    postal = await PostalBackend.start({
      amqpUrl: env.amqpUrl,
      namespace: env.namespace,
      random,
      onEvent: watchCircuits(observed, names, say, () => runStart),
    });
    runStart = Date.now();
    await runDossiers(options, { env, bridge, fleet, postal, random }, observed, say, () => stop);

    const entries = postal.ledger.entries;
    let filedTwice = 0;
    for (const entry of entries) {
      if (entry.dossierId && (await fleet.filedCount(entry.agencyCode, entry.dossierId)) > 1) filedTwice++;
    }
    const lost = postal.ledger.unfinished();
    const agencies = [...fleet.agencies.values()].map((a) => ({
      code: a.file.code,
      name: a.file.name,
      kind: a.kind,
    }));
    say('');
    say(renderAgencyTable(agencyRows(agencies, entries, postal.deadLetters)));
    say('');
    say(
      `circuits: ${observed.circuits.map((c) => `${c.agencyCode} ${c.state}`).join(', ') || 'none changed'}`,
    );
    say(
      `dead letters: ${postal.deadLetters.length}, replayed ${observed.replayed}${observed.replayVia ? ` via ${observed.replayVia}` : ''}`,
    );
    for (const failure of [...observed.replayFailures, ...fleet.driveFailures]) say(`  problem: ${failure}`);
    if (postal.unroutable + postal.publishFailures > 0)
      say(
        `postal events not accepted by the broker: ${postal.publishFailures}, routed to no queue: ${postal.unroutable}`,
      );
    say(
      `duplicates: ${postal.ledger.duplicateDossiers + filedTwice} (bridge dossiers per postal item ${postal.ledger.duplicateDossiers}, filed twice at an agency ${filedTwice}); events delivered again ${postal.ledger.redelivered}`,
    );
    for (const entry of lost.slice(0, 10)) {
      say(
        `  lost: ${entry.itemId ?? entry.agencyDossierCode} at ${entry.agencyCode} (${entry.serviceOption}) last seen ${entry.statuses.at(-1) ?? 'nothing'}`,
      );
    }
    say(`lost: ${lost.length}`);
    say(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(`dashboard: ${bridge.url}/ops (API key ${env.adminKey})`);
    if (options.keep && !stop) {
      say('--keep: everything stays up for you to explore; Ctrl-C stops it all');
      await new Promise<void>((resolve) => (wake = resolve));
    }
    return lost.length === 0 && postal.ledger.duplicateDossiers + filedTwice === 0 ? 0 : 1;
  } finally {
    await postal?.close();
    const code = await bridge?.stop();
    if (code !== undefined && code !== 0 && code !== null)
      say(`the bridge exited with ${code}:\n${bridge?.log()}`);
    await fleet?.close();
  }
}

function describeFleet(fleet: AgencyFleet): string {
  const kinds = new Map<string, number>();
  for (const a of fleet.agencies.values()) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  return [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
