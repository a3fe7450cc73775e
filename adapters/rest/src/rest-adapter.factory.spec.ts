import { checkRestSpec, restAdapterFactory } from './rest-adapter.factory';
import { maskSecrets, redactUrl } from './rest-http-client';
import { fillPath } from './rest-options';
import { exampleRestSpec } from './rest-test-kit';

describe('checkRestSpec', () => {
  it('accepts the example agency file', () => {
    expect(checkRestSpec(exampleRestSpec('https://motcua.example.vn'))).toEqual([]);
  });

  it('names each problem by its path', () => {
    const spec = exampleRestSpec('https://motcua.example.vn');
    spec.auth = { type: 'ws-security', username: 'u', password: 'p' };
    spec.mappings = {
      ...spec.mappings,
      submitRequest: undefined,
      statusChange: undefined,
      deliveryRequest: '{ "a": ',
    };
    spec.options = {
      ...spec.options,
      operations: {
        ...(spec.options.operations as object),
        lookup: { method: 'GET', path: '/api/hoso/{maHoSo}' },
      },
    };
    expect(checkRestSpec(spec)).toEqual([
      'adapter.auth.type: ws-security is for SOAP agencies, not rest',
      'adapter.mappings.submitRequest: required by the rest adapter',
      'adapter.mappings.statusChange: required when the agency is polled or calls back',
      'adapter.options.operations.lookup.path: unknown placeholder {maHoSo}',
      'adapter.options.operations.lookup.path: must contain {dossierRef}, {idempotencyKey} or {itemId} to find a dossier',
      expect.stringMatching(/^adapter.mappings: mapping "deliveryRequest" is not valid JSONata/),
    ]);
  });
});

describe('what reaches the message log', () => {
  it('drops user info and masks secret-looking query values', () => {
    expect(
      redactUrl('https://u:p@motcua.example.vn/api/hoso?apiKey=abc&maHoSoLienThong=x&access_token=t'),
    ).toBe('https://motcua.example.vn/api/hoso?apiKey=***&maHoSoLienThong=x&access_token=***');
  });

  it('masks every occurrence of a secret', () => {
    expect(maskSecrets('{"token":"abcd1234","again":"abcd1234"}', ['abcd1234'])).toBe(
      '{"token":"***","again":"***"}',
    );
  });
});

describe('fillPath', () => {
  it('URL-encodes what it fills in', () => {
    expect(
      fillPath('/api/hoso/{agencyDossierCode}/bosung', { agencyDossierCode: 'G09.20-20260609 0092637' }),
    ).toBe('/api/hoso/G09.20-20260609%200092637/bosung');
  });
});

describe('how a rest agency is probed (shown to operators)', () => {
  const options = exampleRestSpec('https://motcua.example.vn').options;
  const operations = options.operations as Record<string, unknown>;

  it('names the probe operation of the agency file', () => {
    expect(restAdapterFactory.probeOf!(options)).toEqual({
      operation: 'GET /api/trangthaihethong',
      fallback: null,
    });
  });

  it('says there is none, and that a look-up stands in, when the file names none', () => {
    const withoutProbe = { ...options, operations: { ...operations, probe: undefined } };
    expect(restAdapterFactory.probeOf!(withoutProbe)).toEqual({ operation: null, fallback: 'lookup' });
  });
});
