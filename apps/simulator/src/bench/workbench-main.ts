import { DataSource } from 'typeorm';
import {
  AgencyRegistryService,
  ADAPTER_FACTORIES,
  MappingWorkbenchService,
  parseAgencyYaml,
  SecretCipher,
} from '@bridge/core';
import { createBridgeDataSource } from '@bridge/persistence';
import { REST_AGENCY, restAgencyFile, seedRestHistory } from '../support';
import { benchServices, createBenchSchema, dropBenchSchema, runId } from './bench-services';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The time `agencies diff` may take over 10,000 logged exchanges of one agency. */
const TARGET_MS = 30_000;

/**
 * `npm run bench:workbench [dossiers]`: seeds the history of one REST agency in a fresh bench
 * schema (per dossier a submit request and its answer, a push, and every tenth a polled page;
 * 10,000 dossiers by default, so 10,000 request/answer exchanges and 11,000 status messages),
 * then times the diff of a changed status table over all of it, as `agencies diff` runs it.
 */
async function main(): Promise<void> {
  const dossiers = Number(process.argv[2] ?? 10_000);
  if (!Number.isInteger(dossiers) || dossiers < 1)
    throw new Error(`dossiers must be a whole number, got ${process.argv[2]}`);
  const services = benchServices();
  const schema = `bench_wb_${runId()}`;
  const url = await createBenchSchema(services, schema);
  const dataSource: DataSource = createBridgeDataSource({ url, poolSize: 4 });
  await dataSource.initialize();
  try {
    const file = restAgencyFile('http://127.0.0.1:1');
    const registry = new AgencyRegistryService(
      dataSource,
      new SecretCipher('bench-workbench-key-0001'),
      ADAPTER_FACTORIES,
    );
    await registry.apply([parseAgencyYaml('agency.yaml', file)], { appliedBy: 'bench' });
    log(`seeding ${dossiers} dossiers of ${REST_AGENCY}`);
    const seeded = await seedRestHistory(dataSource, (await registry.inForce(REST_AGENCY)).spec, dossiers);
    const workbench = new MappingWorkbenchService(dataSource, registry);
    const candidate = parseAgencyYaml(
      'candidate.yaml',
      file.replace('CHO_BO_SUNG: supplement_requested', 'CHO_BO_SUNG: processing'),
    );
    const report = await workbench.preview(candidate, { limit: 100_000 });
    const replayed = report.mappings.reduce((n, m) => n + m.replayed, 0);
    const verdict = report.elapsedMs < TARGET_MS ? 'met' : 'NOT met';
    process.stdout.write(
      `workbench diff: ${report.messagesRead} logged messages (${seeded.messages} seeded), ${replayed} replays, ` +
        `${report.dossiersChangedTotal} dossiers changed, ${(report.elapsedMs / 1000).toFixed(1)} s ` +
        `(target < ${TARGET_MS / 1000} s: ${verdict})\n`,
    );
    if (report.elapsedMs >= TARGET_MS) process.exitCode = 1;
  } finally {
    await dataSource.destroy();
    await dropBenchSchema(services, schema);
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
