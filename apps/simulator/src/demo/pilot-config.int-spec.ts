import { AdapterKind } from '@bridge/adapter-sdk';
import { join } from 'node:path';
import { ADAPTER_FACTORIES, AgencyRegistryService, SecretCipher } from '@bridge/core';
import { createTestDatabase, TEST_SECRET_KEY, TestDatabase } from '@bridge/testing';
import { DEMO_SECRETS } from '../fleet/fleet-secrets';

const ROOT = join(__dirname, '..', '..', '..', '..');
const DEPARTMENTS = [
  'Sở Tư pháp',
  'Sở Kế hoạch và Đầu tư',
  'Sở Xây dựng',
  'Sở Tài nguyên và Môi trường',
  'Sở Giao thông vận tải',
  'Sở Lao động – Thương binh và Xã hội',
  'Sở Y tế',
];
const DISTRICTS = ['Hải Châu', 'Thanh Khê', 'Sơn Trà', 'Ngũ Hành Sơn', 'Liên Chiểu', 'Cẩm Lệ', 'Hòa Vang'];

/** The shipped agency files are valid configuration: both hierarchies apply with the real adapter kinds. */
describe('config/agencies: the Đà Nẵng pilot and the 2025 two-level province', () => {
  let db: TestDatabase;
  let registry: AgencyRegistryService;

  beforeAll(async () => {
    db = await createTestDatabase('pilot_config');
    registry = new AgencyRegistryService(
      db.dataSource,
      new SecretCipher(TEST_SECRET_KEY),
      ADAPTER_FACTORIES,
      {
        configRoot: ROOT,
        env: { ...DEMO_SECRETS },
      },
    );
  });
  afterAll(async () => db?.drop());

  it('applies the Đà Nẵng pilot: 14 units under the city, wards under districts, three levels', async () => {
    const docs = await registry.loadFiles('config/agencies/danang');
    expect(await registry.validate(docs)).toEqual([]);
    await registry.apply(docs, { appliedBy: 'pilot-config test' });

    const all = await registry.list();
    const city = all.find((a) => a.code === '000.00.00.H48')!;
    expect(city).toMatchObject({ level: 'city', parentCode: null, spec: null });
    const pilot = all.filter((a) => a.parentCode === city.code);
    expect(pilot).toHaveLength(14);
    expect(pilot.filter((a) => a.level === 'department').map((a) => a.name)).toEqual(
      expect.arrayContaining(DEPARTMENTS),
    );
    const districts = pilot.filter((a) => a.level === 'district');
    expect(districts).toHaveLength(7);
    for (const name of DISTRICTS) expect(districts.some((d) => d.name.endsWith(name))).toBe(true);

    const wards = all.filter((a) => a.parentCode && districts.some((d) => d.code === a.parentCode));
    expect(wards.length).toBeGreaterThanOrEqual(3);
    const depth = (code: string | null): number =>
      code === null ? 0 : 1 + depth(all.find((a) => a.code === code)!.parentCode);
    expect(Math.max(...all.map((a) => depth(a.code)))).toBe(3);

    const withAdapter = all.filter((a) => a.spec);
    expect(new Set(withAdapter.map((a) => a.spec!.kind))).toEqual(new Set(Object.values(AdapterKind)));
    for (const agency of withAdapter) {
      expect(agency.procedures.some((p) => p.byPost)).toBe(true);
    }
    expect(withAdapter.some((a) => a.procedures.some((p) => !p.byPost))).toBe(true);
    // secrets came from the environment and are never shown
    expect(JSON.stringify(all)).not.toContain(DEMO_SECRETS.BRIDGE_AGENCY_DEMO_VENDOR_B_PASSWORD);
  });

  it('applies the 2025 province: communes directly under the province, no district level', async () => {
    const docs = await registry.loadFiles('config/agencies/quangngai-2025');
    expect(await registry.validate(docs)).toEqual([]);
    await registry.apply(docs, { appliedBy: 'pilot-config test' });

    const all = (await registry.list()).filter((a) => a.code.endsWith('.H51'));
    const province = all.find((a) => a.parentCode === null)!;
    expect(province.level).toBe('province');
    const communes = all.filter((a) => a.parentCode === province.code);
    expect(communes.length).toBe(all.length - 1);
    expect(communes.length).toBeGreaterThanOrEqual(3);
    expect(communes.every((c) => c.level === 'commune' && c.spec !== null)).toBe(true);
    expect(all.some((a) => a.level === 'district')).toBe(false);
  });

  it('refuses the pilot when a secret it references is not set, naming the variable', async () => {
    const strict = new AgencyRegistryService(
      db.dataSource,
      new SecretCipher(TEST_SECRET_KEY),
      ADAPTER_FACTORIES,
      {
        configRoot: ROOT,
        env: {},
      },
    );
    const problems = await strict.validate(await strict.loadFiles('config/agencies/danang'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.message).join('\n')).toContain('BRIDGE_AGENCY_DEMO_VENDOR_A_PASSWORD');
  });
});
