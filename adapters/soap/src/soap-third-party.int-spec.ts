import {
  describeAdapterConformance,
  IntegrationErrorCode,
  MemoryAdapterStore,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { ProvincialSoapService } from '@bridge/simulator';
import { soapAdapterFactory } from './index';
import { recordingContext, sampleSoapDossier, soapFixture, specFromAgencyFile } from './soap-test-kit';

/**
 * The same conformance suite against a service we did not write the SOAP stack of: the `soap`
 * npm package serving a WSDL 1.2 fixture, configured only through an agency file.
 */
let service: ProvincialSoapService;

describeAdapterConformance(
  'soap (third-party soap.listen service, SOAP 1.2, WS-Security text)',
  async () => {
    service = await ProvincialSoapService.start({
      wsdl: soapFixture('third-party/dich-vu-cong-tinh.wsdl'),
      credentials: { username: 'buudien-danang', password: 'Mat-Khau-Tinh' },
    });
    const spec = specFromAgencyFile('third-party/agency.yaml', service.url);
    expect(soapAdapterFactory.check?.(spec)).toEqual([]);
    const adapter = soapAdapterFactory.create(
      { code: '000.25.48.H48', name: 'Sở Tư pháp thành phố Đà Nẵng' },
      spec,
      {
        logger: silentAdapterLogger,
        store: new MemoryAdapterStore(),
      },
    );
    return {
      adapter,
      sampleDossier: () => ({
        ...sampleSoapDossier(),
        agencyCode: '000.25.48.H48',
        procedureCode: '2.000635',
      }),
      dryRun: false,
      driveStatus: (code, status) => service.driveStatus(code, status),
      filedCount: (key) => service.filedCount(key),
    };
  },
  async () => {
    await service.close();
  },
);

describe('SOAP adapter against the soap.listen service', () => {
  let provincial: ProvincialSoapService;
  const credentials = { username: 'buudien-danang', password: 'Mat-Khau-Tinh' };

  beforeAll(async () => {
    provincial = await ProvincialSoapService.start({
      wsdl: soapFixture('third-party/dich-vu-cong-tinh.wsdl'),
      credentials,
    });
  });
  afterAll(async () => {
    await provincial.close();
  });

  function adapterWith(password: string) {
    const spec = specFromAgencyFile('third-party/agency.yaml', provincial.url);
    return soapAdapterFactory.create(
      { code: '000.25.48.H48', name: 'Sở Tư pháp' },
      { ...spec, auth: { ...spec.auth, password } as typeof spec.auth },
      {
        logger: silentAdapterLogger,
      },
    );
  }

  it('speaks SOAP 1.2 both ways and keeps the text password out of the log', async () => {
    const ctx = recordingContext();
    expect(await adapterWith(credentials.password).lookup('khong-co', ctx)).toBeNull();
    const [outbound, inbound] = ctx.messages;
    expect(outbound.body).toContain('xmlns:soap="http://www.w3.org/2003/05/soap-envelope"');
    expect(outbound.body).toContain('<bc:TraCuuTheoMaLienThongRequest xmlns="urn:dvc:tinh:buuchinh:v1">');
    expect(inbound.body).toContain('http://www.w3.org/2003/05/soap-envelope');
    expect(JSON.stringify(ctx.messages)).not.toContain(credentials.password);
  });

  it('reports a refused UsernameToken as AUTH and an unknown dossier as NOT_FOUND', async () => {
    await expect(adapterWith('sai').lookup('x', recordingContext())).rejects.toMatchObject({
      code: IntegrationErrorCode.AUTH,
    });
    const notice = {
      idempotencyKey: 'k',
      agencyDossierCode: 'G22.48-khong-co',
      deliveredAt: new Date().toISOString(),
    };
    await expect(
      adapterWith(credentials.password).notifyDelivered(notice, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.NOT_FOUND,
      message: expect.stringContaining('không tồn tại'),
    });
  });
});
