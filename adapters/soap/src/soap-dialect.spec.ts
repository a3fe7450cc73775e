import { IntegrationError } from '@bridge/adapter-sdk';
import { SoapDialect } from './soap-dialect';

describe('SoapDialect', () => {
  const dialect = new SoapDialect('000.00.53.H48', {
    mappings: { submitResponse: '{ "agencyDossierCode": MaHoSo }' },
    dates: { format: 'yyyyMMddHHmmss', zone: 'Asia/Ho_Chi_Minh' },
    statusCodes: {},
  });

  it('hands on the mapping’s result', async () => {
    await expect(dialect.readReceipt({ MaHoSo: 'HS-1' })).resolves.toMatchObject({
      agencyDossierCode: 'HS-1',
    });
  });

  it('refuses a mapping the agency file lacks with a rejected promise, not a throw', async () => {
    let pending: Promise<unknown> | undefined;
    expect(() => (pending = dialect.submitRequest({} as never))).not.toThrow();
    await expect(pending).rejects.toThrow(IntegrationError);
    await expect(dialect.submitRequest({} as never)).rejects.toThrow(
      'agency 000.00.53.H48 has no mapping "submitRequest"',
    );
  });
});
