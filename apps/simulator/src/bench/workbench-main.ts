import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  AgencyRegistryService,
  ADAPTER_FACTORIES,
  MappingWorkbenchService,
  parseAgencyYaml,
  SecretCipher,
} from '@bridge/core';
import { createBridgeDataSource } from '@bridge/persistence';
import { SoapAgencySimulator } from '../agencies/soap-agency';
import { projectRoot, REST_AGENCY, restAgencyFile, seedRestHistory, seedSoapHistory } from '../support';
import { benchServices, createBenchSchema, dropBenchSchema, runId } from './bench-services';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The time `agencies diff` may take over 10,000 logged exchanges of one agency. */
const TARGET_MS = 30_000;

/** The code of the SOAP example agency (vendor A's software). */
const SOAP_AGENCY = '000.00.53.H48';

/** The SOAP example agency, pointed at vendor A's simulator. */
function soapAgencyFile(endpoint: string): string {
  return readFileSync(join(projectRoot(), 'adapters', 'soap', 'fixtures', 'agency.example.yaml'), 'utf8')
    .replace(/^parent: .*\n/m, '')
    .replace(/^(\s+endpoint:\s*).*$/m, `$1"${endpoint}"`);
}

/**
 * Seeds one agency's history and returns its file and the status table change to diff. `rest`
 * writes the log directly (per dossier a submit request and its answer, a push, and every
 * tenth a polled page: 3.1 messages a dossier); `soap` runs the SOAP adapter against vendor A's
 * simulator (filing, every third a look-up, every other a push, some delivery notices, then
 * every "changes since" page: 3.7 messages a dossier).
 */
async function seed(kind: string, dataSource: DataSource, registry: AgencyRegistryService, dossiers: number) {
  if (kind === 'rest') {
    const file = restAgencyFile('http://127.0.0.1:1');
    await registry.apply([parseAgencyYaml('agency.yaml', file)], { appliedBy: 'bench' });
    const seeded = await seedRestHistory(dataSource, (await registry.inForce(REST_AGENCY)).spec, dossiers);
    return {
      file,
      messages: seeded.messages,
      change: ['CHO_BO_SUNG: supplement_requested', 'CHO_BO_SUNG: processing'],
    };
  }
  const simulator = await SoapAgencySimulator.start({
    credentials: { username: 'buudien.haichau', password: 'Doi-Mat-Khau-Nay' },
  });
  try {
    const file = soapAgencyFile(simulator.url);
    await registry.apply([parseAgencyYaml('agency.yaml', file)], { appliedBy: 'bench' });
    const { spec } = await registry.inForce(SOAP_AGENCY);
    const agency = { code: SOAP_AGENCY, name: 'UBND phường Hải Châu' };
    const seeded = await seedSoapHistory(dataSource, agency, spec, simulator, dossiers);
    return { file, messages: seeded.messages, change: ['"5": supplement_requested', '"5": processing'] };
  } finally {
    await simulator.close();
  }
}

/**
 * `npm run bench:workbench [dossiers] [rest|soap]`: seeds the history of one agency in a fresh
 * bench schema (see {@link seed}; by default 10,000 REST dossiers, 31,000 messages, or 2,700
 * SOAP dossiers, about 10,000 messages), then times the diff of a changed status table over
 * all of it, as `agencies diff` runs it.
 */
async function main(): Promise<void> {
  const kind = process.argv[3] ?? 'rest';
  if (kind !== 'rest' && kind !== 'soap') throw new Error(`kind must be rest or soap, got ${kind}`);
  const dossiers = Number(process.argv[2] ?? (kind === 'rest' ? 10_000 : 2_700));
  if (!Number.isInteger(dossiers) || dossiers < 1)
    throw new Error(`dossiers must be a whole number, got ${process.argv[2]}`);
  const services = benchServices();
  const schema = `bench_wb_${runId()}`;
  const url = await createBenchSchema(services, schema);
  const dataSource: DataSource = createBridgeDataSource({ url, poolSize: 4 });
  await dataSource.initialize();
  try {
    const registry = new AgencyRegistryService(
      dataSource,
      new SecretCipher('bench-workbench-key-0001'),
      ADAPTER_FACTORIES,
    );
    log(`seeding ${dossiers} dossiers of a ${kind} agency`);
    const seeded = await seed(kind, dataSource, registry, dossiers);
    const workbench = new MappingWorkbenchService(dataSource, registry);
    const candidate = parseAgencyYaml(
      'candidate.yaml',
      seeded.file.replace(seeded.change[0], seeded.change[1]),
    );
    const report = await workbench.preview(candidate, { limit: 100_000 });
    const replayed = report.mappings.reduce((n, m) => n + m.replayed, 0);
    const verdict = report.elapsedMs < TARGET_MS ? 'met' : 'NOT met';
    process.stdout.write(
      `workbench diff (${kind}): ${report.messagesRead} logged messages (${seeded.messages} seeded), ${replayed} replays, ` +
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
