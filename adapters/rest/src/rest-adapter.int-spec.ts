import { describeAdapterConformance, MemoryAdapterStore, silentAdapterLogger } from '@bridge/adapter-sdk';
import { RestAgencySimulator } from '@bridge/simulator';
import { restAdapterFactory } from './rest-adapter.factory';
import { exampleRestSpec, sampleDossier, SESSION_CREDENTIALS } from './rest-test-kit';

let agency: RestAgencySimulator;

describeAdapterConformance(
  'rest (vendor B, session login)',
  async () => {
    agency = await RestAgencySimulator.start({ port: 0, auth: SESSION_CREDENTIALS });
    const spec = exampleRestSpec(agency.url);
    const adapter = restAdapterFactory.create({ code: '000.00.53.H48', name: 'UBND phường Hải Châu' }, spec, {
      logger: silentAdapterLogger,
      store: new MemoryAdapterStore(),
    });
    return {
      adapter,
      sampleDossier,
      dryRun: false,
      driveStatus: (code, status) => agency.driveStatus(code, status),
      filedCount: (key) => agency.filedCount(key),
    };
  },
  async () => {
    await agency.close();
  },
);
