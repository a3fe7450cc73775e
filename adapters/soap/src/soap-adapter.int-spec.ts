import { describeAdapterConformance, MemoryAdapterStore, silentAdapterLogger } from '@bridge/adapter-sdk';
import { SoapAgencySimulator } from '@bridge/simulator';
import { soapAdapterFactory } from './index';
import { sampleSoapDossier, specFromAgencyFile } from './soap-test-kit';

const CREDENTIALS = { username: 'buudien.haichau', password: 'Doi-Mat-Khau-Nay' };
let agency: SoapAgencySimulator;

describeAdapterConformance(
  'soap (vendor A simulator, SOAP 1.1, WS-Security digest)',
  async () => {
    agency = await SoapAgencySimulator.start({ port: 0, credentials: CREDENTIALS });
    const spec = specFromAgencyFile('agency.example.yaml', agency.url);
    expect(soapAdapterFactory.check?.(spec)).toEqual([]);
    const adapter = soapAdapterFactory.create({ code: '000.00.53.H48', name: 'UBND phường Hải Châu' }, spec, {
      logger: silentAdapterLogger,
      store: new MemoryAdapterStore(),
    });
    return {
      adapter,
      sampleDossier: () => sampleSoapDossier(),
      dryRun: false,
      driveStatus: (code, status) => agency.driveStatus(code, status),
      filedCount: (key) => agency.filedCount(key),
    };
  },
  async () => {
    await agency.close();
  },
);
