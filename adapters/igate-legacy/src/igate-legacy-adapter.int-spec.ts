import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  AdapterSpec,
  describeAdapterConformance,
  IntegrationErrorCode,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { Dossier } from '@bridge/domain';
import { IgateLegacyAgencySimulator } from '@bridge/simulator';
import { igateLegacyAdapterFactory } from './index';

const agencyId = { code: '000.00.61.H48', name: 'UBND xã Hòa Vang' };

function spec(endpoint: string, signingKey = 'khoa-ky-hoa-vang'): AdapterSpec {
  const file = parse(readFileSync(join(__dirname, '..', 'fixtures', 'agency.example.yaml'), 'utf8')) as {
    adapter: AdapterSpec;
  };
  return {
    ...file.adapter,
    endpoint,
    timeoutMs: 2000,
    auth: { type: 'basic', username: 'BUUDIEN_HV', password: signingKey },
  };
}

function sampleDossier(): Dossier {
  return {
    id: randomUUID(),
    inboundItemId: 'EC136431858VN',
    agencyCode: agencyId.code,
    procedureCode: '1.001612',
    serviceOption: 'both',
    applicant: {
      kind: 'person',
      fullName: 'Lê Thị Hồng | Nhung',
      citizenId: '048196007788',
      phone: '0914000111',
      address: { line: 'Thôn Phước Thuận', commune: 'Xã Hòa Vang', province: 'Thành phố Đà Nẵng' },
    },
    documents: [{ name: 'Tờ khai đăng ký khai sinh', form: 'original', count: 1 }],
    fees: [],
    status: 'collected',
    sequence: 1,
    timestamps: { collected: new Date().toISOString() },
  };
}

let agency: IgateLegacyAgencySimulator;

describeAdapterConformance(
  'igate-legacy',
  async () => {
    agency = await IgateLegacyAgencySimulator.start({
      port: 0,
      appCode: 'BUUDIEN_HV',
      signingKey: 'khoa-ky-hoa-vang',
    });
    return {
      adapter: igateLegacyAdapterFactory.create(agencyId, spec(agency.url), { logger: silentAdapterLogger }),
      sampleDossier,
      dryRun: false,
      driveStatus: (code, status) => agency.driveStatus(code, status),
      filedCount: (key) => agency.filedCount(key),
    };
  },
  () => agency.close(),
);

describe('igate-legacy adapter against its simulator', () => {
  let sim: IgateLegacyAgencySimulator;
  beforeAll(async () => {
    sim = await IgateLegacyAgencySimulator.start({
      port: 0,
      appCode: 'BUUDIEN_HV',
      signingKey: 'khoa-ky-hoa-vang',
    });
  });
  afterAll(() => sim.close());

  it('a wrong signing key is AUTH and never appears in the message log', async () => {
    const messages: { body: string }[] = [];
    const adapter = igateLegacyAdapterFactory.create(agencyId, spec(sim.url, 'khoa-sai'), {
      logger: silentAdapterLogger,
    });
    await expect(
      adapter.lookup(randomUUID(), { correlationId: 'c', record: (m) => messages.push(m) }),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.AUTH,
      vendorCode: '2001',
    });
    expect(JSON.stringify(messages)).not.toContain('khoa-sai');
    expect(JSON.stringify(messages)).not.toContain('sig=');
  });

  it('the downed servlet container is TEMPORARY; a refused filing is PERMANENT', async () => {
    const adapter = igateLegacyAdapterFactory.create(agencyId, spec(sim.url), {
      logger: silentAdapterLogger,
    });
    const ctx = { correlationId: 'c', record: () => undefined };
    sim.setDown(true);
    await expect(adapter.lookup(randomUUID(), ctx)).rejects.toMatchObject({
      code: IntegrationErrorCode.TEMPORARY,
    });
    sim.setDown(false);
    const bad = { ...sampleDossier(), procedureCode: 'X' };
    await expect(adapter.submit({ idempotencyKey: bad.id, dossier: bad }, ctx)).rejects.toMatchObject({
      code: IntegrationErrorCode.PERMANENT,
      vendorCode: '3001',
    });
  });
});
