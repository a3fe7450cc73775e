import { createHmac } from 'node:crypto';
import { IntegrationErrorCode } from '@bridge/adapter-sdk';
import { decodeCallbackBody, verifyCallback } from './rest-callback';

const secret = 'khoa-bi-mat-cua-phuong';
const body = Buffer.from(JSON.stringify({ maHoSo: '000.00.53.H48-250922-0017', trangThai: 'DANG_XU_LY' }));
const sign = (raw: Buffer, key = secret) => createHmac('sha256', key).update(raw).digest('hex');

describe('verifyCallback', () => {
  const auth = { type: 'hmac-sha256' as const, secret, header: 'X-Chu-Ky' };

  it('accepts the right signature, with or without the sha256= prefix, in any header case', () => {
    expect(() =>
      verifyCallback({ headers: { 'x-chu-ky': `sha256=${sign(body)}` }, rawBody: body }, auth),
    ).not.toThrow();
    expect(() => verifyCallback({ headers: { 'X-CHU-KY': sign(body) }, rawBody: body }, auth)).not.toThrow();
  });

  it('accepts a base64 signature', () => {
    const b64 = createHmac('sha256', secret).update(body).digest('base64');
    expect(() => verifyCallback({ headers: { 'x-chu-ky': b64 }, rawBody: body }, auth)).not.toThrow();
  });

  it.each([
    [
      'a tampered body',
      { 'x-chu-ky': sign(body) },
      Buffer.from(body.toString().replace('DANG_XU_LY', 'DA_TRA')),
    ],
    ['a signature made with another secret', { 'x-chu-ky': sign(body, 'other') }, body],
    ['a truncated signature', { 'x-chu-ky': sign(body).slice(0, 20) }, body],
    ['no signature at all', {}, body],
  ])('refuses %s with AUTH', (_what, headers, rawBody) => {
    expect(() => verifyCallback({ headers, rawBody }, auth)).toThrow(
      expect.objectContaining({ code: IntegrationErrorCode.AUTH }),
    );
  });

  it('uses X-Signature when the agency file names no header', () => {
    const defaults = { type: 'hmac-sha256' as const, secret };
    expect(() =>
      verifyCallback({ headers: { 'x-signature': sign(body) }, rawBody: body }, defaults),
    ).not.toThrow();
  });

  it('trusts the gateway for agency-key callbacks, and refuses all when nothing is configured', () => {
    expect(() => verifyCallback({ headers: {}, rawBody: body }, { type: 'agency-key' })).not.toThrow();
    expect(() => verifyCallback({ headers: {}, rawBody: body }, undefined)).toThrow(
      /no adapter.callbackAuth/,
    );
  });
});

describe('decodeCallbackBody', () => {
  it('takes one change or an array of them', () => {
    expect(decodeCallbackBody({ headers: {}, rawBody: body })).toHaveLength(1);
    expect(decodeCallbackBody({ headers: {}, rawBody: Buffer.from('[{"a":1},{"a":2}]') })).toHaveLength(2);
  });

  it('refuses what is not JSON objects with PERMANENT', () => {
    for (const raw of ['<xml/>', '[]', '[1,2]']) {
      expect(() => decodeCallbackBody({ headers: {}, rawBody: Buffer.from(raw) })).toThrow(
        expect.objectContaining({ code: IntegrationErrorCode.PERMANENT }),
      );
    }
  });
});
