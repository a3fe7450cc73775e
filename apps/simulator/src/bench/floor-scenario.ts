import { join } from 'node:path';
import * as amqp from 'amqplib';
import { bridgeTopologyNames, declareBridgeTopology, deleteBridgeTopology } from '@bridge/messaging';
import { RestAgencySimulator } from '../agencies/rest-agency';
import { BenchAmqp } from './bench-amqp';
import { collectedEvent } from './bench-fixtures';
import { BenchServices, deleteRedisKeys } from './bench-services';
import { BenchChild } from './child-process';
import { CompletionTracker } from './closed-loop';
import { FloorSettings } from './floor-pipeline';
import { LatencySummary } from './latency-stats';
import { MemorySampler } from './memory-sampler';
import { LoadLevel, measureLevels } from './pipeline-load';
import { SameWorkSettings } from './same-work-pipeline';

/** The figures of a reference pipeline (the floor, the same-work pipeline). */
export interface FloorResult {
  levels: LatencySummary[];
  peakMb: number;
}

/** How the run measures one reference pipeline. */
export interface ReferenceRun {
  services: BenchServices;
  databaseUrl: string;
  namespace: string;
  levels: readonly LoadLevel[];
  warmup: number;
  memory: MemorySampler;
  log: (line: string) => void;
}

const AGENCY_KEY = 'khoa-do-hieu-nang';

/**
 * Runs the minimal-hop floor (consume, one insert, one job, one confirmed publish) in its own
 * process on the same broker, database and Redis as the bridge, with the same queue type as the
 * bridge's `postal.inbound`, and measures it.
 */
export async function runFloorScenario(run: ReferenceRun): Promise<FloorResult> {
  return runReference(run, 'floor', async (base) => ({
    script: 'floor-main.js',
    variable: 'BENCH_FLOOR_SETTINGS',
    settings: { ...base, workerConcurrency: 64 } satisfies FloorSettings,
    done: (event) => String(event.subject),
    close: async () => undefined,
  }));
}

/**
 * Runs the same-work pipeline (the bridge's durable work written plainly, see
 * same-work-pipeline.ts) against its own agency simulator, and measures it like the bridge:
 * a dossier is done when its `dossier.received` event is out.
 */
export async function runSameWorkScenario(run: ReferenceRun): Promise<FloorResult> {
  return runReference(run, 'same-work', async (base) => {
    const agency = await RestAgencySimulator.start({
      auth: { mode: 'api-key', header: 'X-Api-Key', key: AGENCY_KEY },
      agencyCode: '000.00.53.H48',
    });
    return {
      script: 'same-work-main.js',
      variable: 'BENCH_SAME_WORK_SETTINGS',
      settings: {
        ...base,
        workerConcurrency: 64,
        agencyUrl: agency.url,
        agencyKey: AGENCY_KEY,
      } satisfies SameWorkSettings,
      done: (event) =>
        event.type === 'dossier.received'
          ? (event.data as { dossier?: { inboundItemId?: string } }).dossier?.inboundItemId
          : undefined,
      close: () => agency.close(),
    };
  });
}

interface ReferenceSetup {
  script: string;
  variable: string;
  settings: object;
  /** The postal item id a published event completes, if any. */
  done: (event: Record<string, unknown>) => string | undefined;
  close: () => Promise<void>;
}

async function runReference(
  run: ReferenceRun,
  label: string,
  setUp: (base: Omit<FloorSettings, 'workerConcurrency'>) => Promise<ReferenceSetup>,
): Promise<FloorResult> {
  const { services, namespace } = run;
  const names = bridgeTopologyNames(`${namespace}-${label}`);
  const admin = await amqp.connect(services.amqpUrl);
  const channel = await admin.createChannel();
  await declareBridgeTopology(channel, names);
  const setup = await setUp({
    amqpUrl: services.amqpUrl,
    databaseUrl: run.databaseUrl,
    redisUrl: services.redisUrl,
    inputQueue: names.postalInboundQueue,
    outputExchange: names.bridgeEventsExchange,
    jobQueue: `${namespace}-${label}-jobs`,
    bullPrefix: `bench-${namespace}-${label}`,
    prefetch: 128,
    poolSize: 20,
  });
  const bench = await BenchAmqp.connect(services.amqpUrl, `bench-${namespace}-${label}-load`);
  const child = await BenchChild.start(join(__dirname, setup.script), {
    [setup.variable]: JSON.stringify(setup.settings),
  });
  try {
    run.memory.watch(label, child.pid);
    const tracker = new CompletionTracker();
    await bench.tap(names.bridgeEventsExchange, (event) => {
      const key = setup.done(event);
      if (key) tracker.complete(key);
    });
    const driver = {
      tracker,
      pid: child.pid,
      next() {
        const event = collectedEvent('000.00.53.H48');
        return {
          key: label === 'floor' ? event.id : event.itemId,
          send: () => bench.publish(names.postalInboundExchange, event.type, event.body, event.id),
        };
      },
    };
    const measured = await measureLevels(driver, run.levels, run.warmup, run.log);
    run.memory.sample();
    return { levels: measured, peakMb: run.memory.peakOf(label).hwmMb };
  } finally {
    await child.stop();
    await bench.close();
    await setup.close();
    await deleteBridgeTopology(channel, names).catch(() => undefined);
    await admin.close().catch(() => undefined);
    await deleteRedisKeys(services.redisUrl, [`bench-${namespace}-${label}`]);
  }
}
