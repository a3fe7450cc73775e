import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBridgeDataSource } from '@bridge/persistence';
import { RestAgencySimulator } from '../agencies/rest-agency';
import { BenchAmqp } from './bench-amqp';
import {
  BENCH_SECRET_KEY,
  collectedEvent,
  exampleAgency,
  registerAgencies,
  withOverrides,
} from './bench-fixtures';
import { BenchServices } from './bench-services';
import { BridgeLauncher } from './bridge-launcher';
import { CompletionTracker } from './closed-loop';
import { LatencySummary } from './latency-stats';
import { MemorySampler } from './memory-sampler';
import { LoadLevel, measureLevels } from './pipeline-load';
import { StageTimings, stageTimings } from './stage-timings';

/** Agencies the postal events are spread over; enough that per-agency concurrency is no limit. */
export const BENCH_REST_AGENCIES = ['000.00.53.H48', '000.00.54.H48', '000.00.55.H48', '000.00.56.H48'];
/** The vendor C (CSV) agency of the CSV throughput step. */
export const BENCH_CSV_AGENCY = '000.00.21.H48';
/** The key the bench's REST simulators ask for. */
export const BENCH_API_KEY = 'khoa-do-hieu-nang';

/** Folders of the CSV agency's shared drop. */
export interface CsvFolders {
  root: string;
  inboxDir: string;
  outboxDir: string;
}

export function restAgency(code: string, url: string, concurrency: number): Record<string, unknown> {
  const doc = withOverrides(exampleAgency('rest'), {
    code,
    name: `UBND phường thử tải ${code}`,
    parent: undefined,
    adapter: {
      endpoint: url,
      sandboxEndpoint: undefined,
      concurrency,
      rateLimit: { max: 100_000, durationMs: 1000 },
      retry: { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 2000, jitter: 0.2 },
      pollIntervalMs: undefined,
    },
  });
  const adapter = doc.adapter as Record<string, unknown>;
  adapter.auth = { type: 'api-key', header: 'X-Api-Key', key: BENCH_API_KEY };
  adapter.callbackAuth = { type: 'agency-key' };
  return doc;
}

function csvAgency(folders: CsvFolders): Record<string, unknown> {
  const dir = (name: string) => join(folders.root, name);
  return withOverrides(exampleAgency('csv-drop'), {
    parent: undefined,
    adapter: {
      endpoint: `file://${folders.root}`,
      pollIntervalMs: 1000,
      options: {
        inboxDir: folders.inboxDir,
        outboxDir: folders.outboxDir,
        archiveDir: dir('archive'),
        failedDir: dir('failed'),
        rejectDir: dir('rejects'),
        stableMs: 0,
      },
    },
  });
}

/**
 * A real standalone bridge process on the bench's services, with fast vendor B simulators
 * (REST, no latency) behind four agencies and a vendor C (CSV drop) agency for the CSV step.
 */
export class BridgeScenario {
  private constructor(
    readonly bridge: BridgeLauncher,
    readonly agencies: RestAgencySimulator[],
    readonly csv: CsvFolders,
    readonly namespace: string,
    private readonly databaseUrl: string,
  ) {}

  static async start(
    services: BenchServices,
    databaseUrl: string,
    namespace: string,
    concurrency: number,
    nodeArgs: string[] = [],
  ): Promise<BridgeScenario> {
    const agencies = await Promise.all(
      BENCH_REST_AGENCIES.map((agencyCode) =>
        RestAgencySimulator.start({
          auth: { mode: 'api-key', header: 'X-Api-Key', key: BENCH_API_KEY },
          agencyCode,
        }),
      ),
    );
    const root = await fs.mkdtemp(join(tmpdir(), `bench-csv-${namespace}-`));
    const csv = { root, inboxDir: join(root, 'vao'), outboxDir: join(root, 'ra') };
    await fs.mkdir(csv.inboxDir);
    await fs.mkdir(csv.outboxDir);
    const dataSource = createBridgeDataSource({ url: databaseUrl, poolSize: 2 });
    await dataSource.initialize();
    try {
      await registerAgencies(dataSource, [
        ...BENCH_REST_AGENCIES.map((code, i) => restAgency(code, agencies[i].url, concurrency)),
        csvAgency(csv),
      ]);
    } finally {
      await dataSource.destroy();
    }
    const bridge = await BridgeLauncher.start(
      'standalone',
      {
        DATABASE_URL: databaseUrl,
        REDIS_URL: services.redisUrl,
        AMQP_URL: services.amqpUrl,
        BRIDGE_NAMESPACE: namespace,
        BRIDGE_SECRET_KEY: BENCH_SECRET_KEY,
        LOG_LEVEL: 'warn',
      },
      nodeArgs,
    );
    return new BridgeScenario(bridge, agencies, csv, namespace, databaseUrl);
  }

  /** Postal events in on `<ns>.postal.inbound`, `dossier.received` out on `<ns>.bridge.events`. */
  async measure(
    services: BenchServices,
    levels: readonly LoadLevel[],
    warmup: number,
    memory: MemorySampler,
    log: (line: string) => void,
  ): Promise<{ levels: LatencySummary[]; stages: StageTimings[] }> {
    memory.watch('bridge', this.bridge.pid);
    const bench = await BenchAmqp.connect(services.amqpUrl, `bench-${this.namespace}-bridge-load`);
    try {
      const tracker = new CompletionTracker();
      await bench.tap(`${this.namespace}.bridge.events`, (event) => {
        if (event.type !== 'dossier.received') return;
        const dossier = (event.data as { dossier?: { inboundItemId?: string } } | undefined)?.dossier;
        if (dossier?.inboundItemId) tracker.complete(dossier.inboundItemId);
      });
      let turn = 0;
      const inbound = `${this.namespace}.postal.inbound`;
      const driver = {
        tracker,
        pid: this.bridge.pid,
        next: () => {
          const agency = BENCH_REST_AGENCIES[turn++ % BENCH_REST_AGENCIES.length];
          const event = collectedEvent(agency);
          return {
            key: event.itemId,
            send: () => bench.publish(inbound, event.type, event.body, event.id),
          };
        },
      };
      // One level at a time, so each level's dossiers can be split into stages afterwards.
      const measured: LatencySummary[] = [];
      const stages: StageTimings[] = [];
      if (warmup > 0) await measureLevels(driver, [], warmup, log);
      for (const level of levels) {
        tracker.times = new Map();
        measured.push(...(await measureLevels(driver, [level], 0, log)));
        const times = tracker.times;
        tracker.times = undefined;
        stages.push(
          await stageTimings(this.databaseUrl, level.inFlight, times, (id) =>
            this.agencies.map((a) => a.filingArrivedAt(id)).find((at) => at !== undefined),
          ),
        );
      }
      return { levels: measured, stages };
    } finally {
      memory.sample();
      await bench.close();
    }
  }

  /** Stops the bridge (drain), the simulators, and removes the drop folders. */
  async stop(): Promise<void> {
    await this.bridge.stop();
    await Promise.all(this.agencies.map((agency) => agency.close()));
    await fs.rm(this.csv.root, { recursive: true, force: true });
  }
}
