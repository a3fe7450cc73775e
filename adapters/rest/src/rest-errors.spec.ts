import { IntegrationErrorCode } from '@bridge/adapter-sdk';
import { mapHttpError, parseJsonBody, parseRetryAfter } from './rest-errors';

const NOW = Date.parse('2025-09-22T07:00:00Z');

describe('mapHttpError', () => {
  it('429 with Retry-After in seconds → RATE_LIMITED for that long', () => {
    const error = mapHttpError(429, { 'Retry-After': '120' }, '{"thongBao":"Quá nhiều yêu cầu"}', NOW);
    expect(error).toMatchObject({
      code: IntegrationErrorCode.RATE_LIMITED,
      retryAfterMs: 120_000,
      vendorCode: '429',
    });
    expect(error.message).toContain('Quá nhiều yêu cầu');
  });

  it('503 with Retry-After as an HTTP date → RATE_LIMITED until that date', () => {
    const headers = new Headers({ 'retry-after': 'Mon, 22 Sep 2025 07:01:30 GMT' });
    expect(mapHttpError(503, headers, '', NOW)).toMatchObject({
      code: IntegrationErrorCode.RATE_LIMITED,
      retryAfterMs: 90_000,
    });
  });

  it('429 without Retry-After is still RATE_LIMITED, with no wait given', () => {
    const error = mapHttpError(429, {}, '', NOW);
    expect(error.code).toBe(IntegrationErrorCode.RATE_LIMITED);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it.each([408, 500, 502, 503, 504])('%i without Retry-After → TEMPORARY', (status) => {
    expect(mapHttpError(status, {}, '<html><body>Bad gateway</body></html>', NOW).code).toBe(
      IntegrationErrorCode.TEMPORARY,
    );
  });

  it.each([401, 403])('%i → AUTH', (status) => {
    expect(mapHttpError(status, {}, '{"thongBao":"Phiên đăng nhập hết hạn"}', NOW).code).toBe(
      IntegrationErrorCode.AUTH,
    );
  });

  it('404 → NOT_FOUND', () => {
    expect(mapHttpError(404, {}, '{"message":"not found"}', NOW).code).toBe(IntegrationErrorCode.NOT_FOUND);
  });

  it("other 4xx → PERMANENT carrying the agency's own message", () => {
    const error = mapHttpError(422, {}, '{"thongBao":"Trường maThuTuc không hợp lệ","maLoi":"DU_LIEU"}', NOW);
    expect(error.code).toBe(IntegrationErrorCode.PERMANENT);
    expect(error.message).toContain('Trường maThuTuc không hợp lệ');
    expect(error.vendorCode).toBe('422');
  });

  it('quotes a non-JSON error body in short', () => {
    const error = mapHttpError(400, {}, `Bad request ${'x'.repeat(500)}`, NOW);
    expect(error.message.length).toBeLessThan(220);
    expect(error.message).toContain('Bad request');
  });
});

describe('parseRetryAfter', () => {
  it('never goes negative for a date in the past, and ignores garbage', () => {
    expect(parseRetryAfter('Mon, 22 Sep 2025 06:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('parseJsonBody', () => {
  it('returns the parsed JSON', () => {
    expect(parseJsonBody(200, {}, '{"maHoSo":"000.00.53.H48-250922-0017"}')).toEqual({
      maHoSo: '000.00.53.H48-250922-0017',
    });
  });

  it.each([
    ['an HTML page', '<!DOCTYPE html><html><body>Đang bảo trì</body></html>', /HTML page/],
    ['an empty body', '', /empty body/],
    ['a truncated body', '{"maHoSo":"000.00.53.H48-2509', /not valid JSON/],
  ])('%s where JSON was expected → TEMPORARY naming what came', (_what, body, pattern) => {
    const attempt = () => parseJsonBody(200, { 'content-type': 'application/json' }, body);
    expect(attempt).toThrow(pattern);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: IntegrationErrorCode.TEMPORARY });
    }
  });
});
