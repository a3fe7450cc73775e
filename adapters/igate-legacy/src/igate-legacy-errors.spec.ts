import { IntegrationErrorCode } from '@bridge/adapter-sdk';
import { mapIgateHttpStatus, mapIgateResult } from './igate-legacy-errors';

describe('mapIgateResult', () => {
  it.each([
    ['1001', IntegrationErrorCode.NOT_FOUND],
    ['2001', IntegrationErrorCode.AUTH],
    ['2002', IntegrationErrorCode.AUTH],
    ['3001', IntegrationErrorCode.PERMANENT],
    ['9001', IntegrationErrorCode.RATE_LIMITED],
    ['9999', IntegrationErrorCode.TEMPORARY],
    ['4711', IntegrationErrorCode.PERMANENT],
  ])('%s → %s, keeping the vendor code and message', (code, expected) => {
    const error = mapIgateResult(code, 'Chu ky khong hop le');
    expect(error).toMatchObject({ code: expected, vendorCode: code });
    expect(error.message).toContain('Chu ky khong hop le');
  });

  it('tells how long to back off when busy', () => {
    expect(mapIgateResult('9001', 'He thong ban').retryAfterMs).toBe(30_000);
  });
});

describe('mapIgateHttpStatus', () => {
  it.each([
    [503, IntegrationErrorCode.TEMPORARY],
    [429, IntegrationErrorCode.RATE_LIMITED],
    [403, IntegrationErrorCode.AUTH],
    [404, IntegrationErrorCode.PERMANENT],
  ])('HTTP %i → %s', (status, expected) => {
    expect(mapIgateHttpStatus(status, '<html>error</html>').code).toBe(expected);
  });
});
