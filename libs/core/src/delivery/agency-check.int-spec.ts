import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAdapterStore, silentAdapterLogger } from '@bridge/adapter-sdk';
import { CsvAgencySimulator } from '@bridge/simulator';
import { exampleAgency, withOverrides } from '@bridge/testing';
import { ADAPTER_FACTORIES } from '../agencies/adapter-registry';
import { validateAgencyDocuments } from '../agencies/agency-validator';
import { checkAgencyLive } from './agency-check';

/**
 * `bridge agencies test` for a CSV agency with sandbox folders: the sample dossier goes through
 * the agency's test folders, where its test system answers, and nothing reaches the live ones.
 */
describe('the live check of a CSV agency with sandbox folders', () => {
  let sandbox: CsvAgencySimulator;
  let live: string;

  beforeAll(async () => {
    sandbox = await CsvAgencySimulator.start({ agencyCode: '000.00.83.H48', pollMs: 20 });
    live = mkdtempSync(join(tmpdir(), 'csv-live-'));
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(live, { recursive: true, force: true });
  });

  it('passes against the sandbox folders and leaves the live folders untouched', async () => {
    const doc = withOverrides(exampleAgency('csv-drop'), {
      code: '000.00.83.H48',
      parent: undefined,
      adapter: {
        endpoint: `file://${join(live, 'vao')}`,
        timeoutMs: 5000,
        options: {
          inboxDir: join(live, 'vao'),
          outboxDir: join(live, 'ra'),
          archiveDir: join(live, 'luu-tru'),
          failedDir: join(live, 'loi'),
          rejectDir: join(live, 'dong-loi'),
          sandbox: { inboxDir: sandbox.inboxDir, outboxDir: sandbox.outboxDir },
        },
      },
    });
    const { problems, agencies } = validateAgencyDocuments([{ file: 'csv.yaml', data: doc, problems: [] }], {
      factories: ADAPTER_FACTORIES,
      knownCodes: new Set(),
      env: {},
      access: { settings: { envAllow: new Set(), apiMayReadEnv: false, filesRoot: tmpdir() }, viaApi: false },
    });
    expect(problems).toEqual([]);
    const agency = agencies[0];
    const report = await checkAgencyLive(
      {
        code: agency.code,
        name: agency.name,
        paused: false,
        version: 1,
        spec: agency.spec!,
        procedureCode: '1.001612',
      },
      ADAPTER_FACTORIES,
      { logger: silentAdapterLogger, store: new MemoryAdapterStore() },
    );
    expect(report.results.filter((r) => r.outcome === 'failed')).toEqual([]);
    expect(report).toMatchObject({ passed: true, dryRun: false, target: `file://${sandbox.inboxDir}` });
    expect(sandbox.dossiers().length).toBeGreaterThan(0);
    expect(readdirSync(live)).toEqual([]);
  });
});
