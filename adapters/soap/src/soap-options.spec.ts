import { AdapterSpec } from '@bridge/adapter-sdk';
import { soapAdapterFactory } from './index';
import { specFromAgencyFile } from './soap-test-kit';

const base = specFromAgencyFile('agency.example.yaml');
const check = (spec: AdapterSpec) => soapAdapterFactory.check!(spec);

describe('SOAP agency file checks', () => {
  it('accepts both example agency files', () => {
    expect(check(base)).toEqual([]);
    expect(check(specFromAgencyFile('third-party/agency.yaml'))).toEqual([]);
  });

  it('names each mapping a configured operation needs', () => {
    const { pollResponse: _p, deliveryRequest: _d, ...mappings } = base.mappings;
    expect(check({ ...base, mappings })).toEqual([
      'mappings.deliveryRequest: required by operations.delivered',
      'mappings.pollResponse: required by operations.status',
    ]);
  });

  it('names a mapping that is not valid JSONata', () => {
    const problems = check({
      ...base,
      mappings: { ...base.mappings, lookupRequest: '{ "MaHoSoLienThong": idempotencyKey ' },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^mappings\.lookupRequest: mapping "lookupRequest" is not valid JSONata/),
    ]);
  });

  it('refuses auth a SOAP agency cannot use and a UsernameToken callback check without ws-security', () => {
    const spec = { ...base, auth: { type: 'bearer', token: 't' } } as AdapterSpec;
    expect(check(spec)).toEqual([
      'options.callbackUsernameToken: needs auth.type ws-security (its credentials are checked)',
    ]);
    const oauth = {
      ...base,
      auth: { type: 'oauth2-client-credentials', tokenUrl: 'x', clientId: 'a', clientSecret: 'b' },
    } as AdapterSpec;
    expect(check(oauth)).toContain(
      'auth.type: "oauth2-client-credentials" is not supported by SOAP agencies',
    );
  });

  it('publishes a JSON Schema that requires the version, namespace and the submit and lookup operations', () => {
    expect(soapAdapterFactory.optionsSchema).toMatchObject({
      required: ['soapVersion', 'namespace', 'operations'],
      properties: { operations: { required: ['submit', 'lookup'] }, soapVersion: { enum: ['1.1', '1.2'] } },
    });
  });
});

describe('how a SOAP agency is probed (shown to operators)', () => {
  it('names the probe operation, or says the WSDL stands in when the file names none', () => {
    expect(soapAdapterFactory.probeOf!(base.options)).toEqual({ operation: 'KiemTraKetNoi', fallback: null });
    const lookupOnly = specFromAgencyFile('lookup-only/agency.yaml');
    expect(soapAdapterFactory.probeOf!(lookupOnly.options)).toEqual({ operation: null, fallback: 'wsdl' });
  });
});
