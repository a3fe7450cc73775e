import { join } from 'node:path';
import * as amqp from 'amqplib';
import { bridgeTopologyNames, declareBridgeTopology, deleteBridgeTopology } from '@bridge/messaging';
import { BenchAmqp } from './bench-amqp';
import { collectedEvent } from './bench-fixtures';
import { BenchServices, deleteRedisKeys } from './bench-services';
import { BenchChild } from './child-process';
import { CompletionTracker } from './closed-loop';
import { FloorSettings } from './floor-pipeline';
import { LatencySummary } from './latency-stats';
import { MemorySampler } from './memory-sampler';
import { LoadLevel, measureLevels } from './pipeline-load';

/** The floor's figures. */
export interface FloorResult {
  levels: LatencySummary[];
  peakMb: number;
}

/**
 * Runs the floor pipeline in its own process on the same broker, database and Redis as the
 * bridge, with the same queue type as the bridge's `postal.inbound`, and measures it.
 */
export async function runFloorScenario(
  services: BenchServices,
  databaseUrl: string,
  namespace: string,
  levels: readonly LoadLevel[],
  warmup: number,
  memory: MemorySampler,
  log: (line: string) => void,
): Promise<FloorResult> {
  const names = bridgeTopologyNames(`${namespace}-floor`);
  const admin = await amqp.connect(services.amqpUrl);
  const setup = await admin.createChannel();
  await declareBridgeTopology(setup, names);
  const settings: FloorSettings = {
    amqpUrl: services.amqpUrl,
    databaseUrl,
    redisUrl: services.redisUrl,
    inputQueue: names.postalInboundQueue,
    outputExchange: names.bridgeEventsExchange,
    jobQueue: `${namespace}-floor-jobs`,
    bullPrefix: `bench-${namespace}`,
    prefetch: 128,
    workerConcurrency: 64,
    poolSize: 20,
  };
  const bench = await BenchAmqp.connect(services.amqpUrl, `bench-${namespace}-floor-load`);
  const floor = await BenchChild.start(join(__dirname, 'floor-main.js'), {
    BENCH_FLOOR_SETTINGS: JSON.stringify(settings),
  });
  try {
    memory.watch('floor', floor.pid);
    const tracker = new CompletionTracker();
    await bench.tap(names.bridgeEventsExchange, (body) => tracker.complete(String(body.subject)));
    const driver = {
      tracker,
      next() {
        const event = collectedEvent('000.00.53.H48');
        return {
          key: event.id,
          send: () => bench.publish(names.postalInboundExchange, event.type, event.body, event.id),
        };
      },
    };
    const measured = await measureLevels(driver, levels, warmup, log);
    memory.sample();
    return { levels: measured, peakMb: memory.peakOf('floor').hwmMb };
  } finally {
    await floor.stop();
    await bench.close();
    await deleteBridgeTopology(setup, names).catch(() => undefined);
    await admin.close().catch(() => undefined);
    await deleteRedisKeys(services.redisUrl, [`bench-${namespace}`]);
  }
}
