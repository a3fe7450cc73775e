import { IntegrationErrorCode } from '@bridge/adapter-sdk';
import {
  mapHttpFailure,
  mapSoapFault,
  mapUnreadableResponse,
  mapWrongContentType,
  retryAfterMs,
} from './soap-errors';
import { UnsafeXmlError } from './unsafe-xml-error';

const { TEMPORARY, PERMANENT, AUTH, NOT_FOUND, RATE_LIMITED } = IntegrationErrorCode;

describe('SOAP error mapping', () => {
  it.each([
    ['Client', undefined, 500, PERMANENT],
    ['Sender', undefined, 400, PERMANENT],
    ['Server', undefined, 500, TEMPORARY],
    ['Receiver', undefined, 500, TEMPORARY],
    ['VersionMismatch', undefined, 500, PERMANENT],
    ['MustUnderstand', undefined, 500, PERMANENT],
    ['FailedAuthentication', undefined, 500, AUTH],
    ['Sender', 'InvalidSecurityToken', 400, AUTH],
    ['Client', 'AuthenticationFailure', 401, AUTH],
    ['Server', undefined, 429, RATE_LIMITED],
    ['LoiHeThong', undefined, 500, TEMPORARY],
    ['LoiDuLieu', undefined, 400, PERMANENT],
  ])('fault %s/%s with HTTP %i → %s', (code, subcode, status, expected) => {
    const error = mapSoapFault({ code, subcode, message: 'lỗi' }, { status }, 'submit (NopHoSo)');
    expect(error.code).toBe(expected);
    expect(error.message).toContain('submit (NopHoSo)');
  });

  it('maps a "no such dossier" fault to NOT_FOUND when the agency file names its words', () => {
    const fault = { code: 'Client', message: 'Không tìm thấy hồ sơ 000.00.53.H48-250101-0001' };
    expect(mapSoapFault(fault, { status: 500 }, 'x', ['Không tìm thấy hồ sơ']).code).toBe(NOT_FOUND);
    expect(mapSoapFault(fault, { status: 500 }, 'x').code).toBe(PERMANENT);
  });

  it.each([
    [500, null, TEMPORARY],
    [502, null, TEMPORARY],
    [503, null, TEMPORARY],
    [503, '120', RATE_LIMITED],
    [429, null, RATE_LIMITED],
    [401, null, AUTH],
    [403, null, AUTH],
    [404, null, NOT_FOUND],
    [408, null, TEMPORARY],
    [400, null, PERMANENT],
    [415, null, PERMANENT],
  ])('HTTP %i (Retry-After %s) without a fault → %s', (status, retryAfter, expected) => {
    expect(mapHttpFailure({ status, retryAfter }, 'x').code).toBe(expected);
  });

  it('carries Retry-After in seconds or as a date', () => {
    expect(mapHttpFailure({ status: 429, retryAfter: '30' }, 'x').retryAfterMs).toBe(30_000);
    expect(retryAfterMs('Wed, 17 Sep 2025 08:00:10 GMT', Date.parse('2025-09-17T08:00:00Z'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('names an HTML error page and its title', () => {
    const error = mapWrongContentType(
      { status: 200, contentType: 'text/html' },
      'lookup (TraCuuHoSo)',
      '<!DOCTYPE html><html><head><title>Bảo trì hệ thống</title></head></html>',
    );
    expect([error.code, error.message]).toEqual([
      TEMPORARY,
      expect.stringContaining('an HTML page "Bảo trì hệ thống"'),
    ]);
    expect(
      mapWrongContentType({ status: 200, contentType: 'application/json' }, 'x', '{}').message,
    ).toContain('application/json');
  });

  it('retries garbled answers but not ones refused for safety', () => {
    const answer = { status: 200, contentType: 'text/xml' };
    expect(mapUnreadableResponse(answer, 'x', new UnsafeXmlError('malformed', 'truncated')).code).toBe(
      TEMPORARY,
    );
    expect(mapUnreadableResponse(answer, 'x', new UnsafeXmlError('invalid-utf8', 'bad')).code).toBe(
      TEMPORARY,
    );
    expect(mapUnreadableResponse(answer, 'x', new UnsafeXmlError('doctype', 'dtd')).code).toBe(PERMANENT);
    expect(mapUnreadableResponse(answer, 'x', new UnsafeXmlError('too-deep', 'deep')).code).toBe(PERMANENT);
  });
});
