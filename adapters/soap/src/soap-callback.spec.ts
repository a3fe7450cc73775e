import { createHmac } from 'node:crypto';
import {
  AdapterSpec,
  IntegrationErrorCode,
  MemoryAdapterStore,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { soapAdapterFactory } from './index';
import { SoapEnvelopeBuilder } from './soap-envelope';
import { recordingContext, specFromAgencyFile } from './soap-test-kit';
import { buildUsernameTokenHeader } from './ws-security';

const spec = specFromAgencyFile('agency.example.yaml');
const credentials = spec.auth as { username: string; password: string };
const NS = 'http://motcua.vendor-a.vn/lienthong/2019';
const record = {
  MaHoSo: '000.00.53.H48-250916-0099',
  TrangThai: '5',
  NgayCapNhat: '20250917141005',
  GhiChu: 'Thiếu giấy chứng sinh',
};

function push(header?: Record<string, unknown>, content: unknown = record): Buffer {
  return Buffer.from(
    new SoapEnvelopeBuilder({ version: '1.1', namespace: NS, prefix: 'lt' }).build(
      'CapNhatTrangThai',
      content,
      header,
    ),
  );
}
function adapterFor(overrides: Partial<AdapterSpec> = {}) {
  return soapAdapterFactory.create(
    { code: '000.00.53.H48', name: 'UBND phường Hải Châu' },
    { ...spec, ...overrides },
    {
      logger: silentAdapterLogger,
      store: new MemoryAdapterStore(),
    },
  );
}
const token = (password = credentials.password) =>
  buildUsernameTokenHeader({ username: credentials.username, password, passwordType: 'PasswordDigest' });

describe('SOAP pushes from an agency', () => {
  it('takes the token window from the agency file and keeps each nonce out for the whole of it', async () => {
    const store = new MemoryAdapterStore();
    const adapter = soapAdapterFactory.create(
      { code: '000.00.53.H48', name: 'UBND phường Hải Châu' },
      { ...spec, options: { ...spec.options, callbackTokenWindowMs: 60_000 } },
      { logger: silentAdapterLogger, store },
    );
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    const stale = buildUsernameTokenHeader({ ...credentials, passwordType: 'PasswordText' }, twoMinutesAgo);
    await expect(
      adapter.parseCallback({ headers: {}, rawBody: push(stale) }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.AUTH,
      message: expect.stringContaining('within 60 s'),
    });
    const set = jest.spyOn(store, 'set');
    await adapter.parseCallback({ headers: {}, rawBody: push(token()) }, recordingContext());
    expect(set).toHaveBeenCalledWith(
      expect.stringMatching(/^soap:callback-nonce:000\.00\.53\.H48:[0-9a-f]{64}$/),
      '1',
      {
        ttlMs: 120_000,
        onlyIfAbsent: true,
      },
    );
  });

  it('decodes a CapNhatTrangThai push that carries the agency’s UsernameToken', async () => {
    const ctx = recordingContext();
    const changes = await adapterFor().parseCallback({ headers: {}, rawBody: push(token()) }, ctx);
    expect(changes).toEqual([
      expect.objectContaining({
        agencyDossierCode: record.MaHoSo,
        status: 'supplement_requested',
        agencyStatusCode: '5',
        at: '2025-09-17T14:10:05+07:00',
      }),
    ]);
    expect(ctx.messages[0].body).toContain('<wsse:Password Type=');
    expect(ctx.messages[0].body).not.toMatch(/#PasswordDigest">[^*]/);
  });

  it('refuses a push without a token, with a wrong password, or replaying a nonce (AUTH)', async () => {
    const adapter = adapterFor();
    await expect(
      adapter.parseCallback({ headers: {}, rawBody: push() }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.AUTH,
      message: expect.stringContaining('no WS-Security UsernameToken'),
    });
    await expect(
      adapter.parseCallback({ headers: {}, rawBody: push(token('sai')) }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.AUTH,
    });
    const once = push(token());
    await adapter.parseCallback({ headers: {}, rawBody: once }, recordingContext());
    await expect(
      adapter.parseCallback({ headers: {}, rawBody: once }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.AUTH,
      message: expect.stringContaining('replay'),
    });
  });

  it('refuses a push with a DOCTYPE or an unknown status as PERMANENT, naming the problem', async () => {
    const adapter = adapterFor({ options: { ...spec.options, callbackUsernameToken: false } });
    const evil = Buffer.from(
      `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${push().toString().slice(38)}`,
    );
    await expect(
      adapter.parseCallback({ headers: {}, rawBody: evil }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.PERMANENT,
      message: expect.stringContaining('DOCTYPE'),
    });
    const unknown = push(undefined, { ...record, TrangThai: '42' });
    await expect(
      adapter.parseCallback({ headers: {}, rawBody: unknown }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.PERMANENT,
      message: expect.stringContaining('"42"'),
    });
  });

  it('checks an HMAC signature of the body when the agency file asks for one', async () => {
    const secret = 'khoa-bi-mat';
    const adapter = adapterFor({
      callbackAuth: { type: 'hmac-sha256', secret, header: 'X-Chu-Ky' },
      options: { ...spec.options, callbackUsernameToken: false },
    });
    const rawBody = push();
    const signature = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
    await expect(
      adapter.parseCallback({ headers: { 'x-chu-ky': signature }, rawBody }, recordingContext()),
    ).resolves.toHaveLength(1);
    await expect(
      adapter.parseCallback({ headers: { 'x-chu-ky': 'sha256=00' }, rawBody }, recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.AUTH,
    });
  });
});
