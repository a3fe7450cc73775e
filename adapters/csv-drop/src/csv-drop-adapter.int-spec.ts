import { CsvAgencySimulator } from '@bridge/simulator';
import {
  AgencyAdapter,
  MemoryAdapterStore,
  describeAdapterConformance,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { csvDropAdapterFactory } from './csv-drop-adapter.factory';
import { exampleCsvDropSpec, sampleCsvDropDossier } from './csv-drop-test-kit';

let agency: CsvAgencySimulator;
let adapter: AgencyAdapter;

describeAdapterConformance(
  'csv-drop',
  async () => {
    agency = await CsvAgencySimulator.start({ encoding: 'windows-1258', pollMs: 20 });
    const { agency: identity, spec } = exampleCsvDropSpec({
      inboxDir: agency.inboxDir,
      outboxDir: agency.outboxDir,
      receiptPollMs: 20,
      receiptWaitMs: 5_000,
    });
    adapter = csvDropAdapterFactory.create(identity, spec, {
      logger: silentAdapterLogger,
      store: new MemoryAdapterStore(),
    });
    return {
      adapter,
      sampleDossier: sampleCsvDropDossier,
      dryRun: false,
      driveStatus: (code, status) => agency.driveStatus(code, status),
      filedCount: async (key) => agency.submissionFileCount(key),
    };
  },
  async () => {
    await adapter.close();
    await agency.close();
  },
);
