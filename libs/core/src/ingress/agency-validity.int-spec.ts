import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { collectedEvent, createTestDatabase, registerAgencies, TestDatabase } from '@bridge/testing';
import { PostalIngressService } from './postal-ingress.service';

const CONFIG = join(__dirname, '..', '..', '..', '..', 'config', 'agencies', 'quangngai-2025');
const CAM_THANH = '000.00.01.H51';

/** Units of the old three-level map that the 2025 reorganisation merged away. */
const ENDED_WARD = {
  code: '000.31.01.H51',
  name: 'UBND phường Trần Phú (thành phố Quảng Ngãi)',
  level: 'commune',
  parent: '000.00.00.H51',
  province: '51',
  validTo: '2025-06-30',
  mergedInto: '000.32.01.H51',
  procedures: [],
};
/** Merged into an intermediate unit that was itself merged into Cẩm Thành. */
const INTERMEDIATE = { ...ENDED_WARD, code: '000.32.01.H51', name: 'UBND phường tạm', mergedInto: CAM_THANH };

/**
 * Units that ended, with the two-level configuration of Quảng Ngãi after the 2025
 * reorganisation: a dossier for a ward merged away is refused naming the unit in force that
 * took it over; one for a commune of the new map is taken.
 */
describe('agency validity at ingress', () => {
  let db: TestDatabase;
  let ingress: PostalIngressService;

  beforeAll(async () => {
    db = await createTestDatabase('validity');
    const files = readdirSync(CONFIG).filter((f) => f.endsWith('.yaml'));
    const texts = files.map((f) => readFileSync(join(CONFIG, f), 'utf8'));
    // The demo's credentials come from the environment; any value does for the ingress.
    for (const [, name] of texts.join('\n').matchAll(/\$\{env:(\w+)\}/g))
      process.env[name] ??= 'secret-for-tests';
    const docs = texts.map((text) => parse(text) as Record<string, unknown>);
    const future = { ...ENDED_WARD, code: '000.33.01.H51', validTo: undefined, mergedInto: undefined };
    await registerAgencies(db.dataSource, [
      ...docs,
      ENDED_WARD,
      INTERMEDIATE,
      { ...future, validFrom: '2099-01-01' },
    ]);
    ingress = new PostalIngressService(db.dataSource);
  });
  afterAll(() => db?.drop());

  it('refuses a dossier for a ward merged away, naming the unit in force that took it over', async () => {
    const outcome = await ingress.accept(collectedEvent(ENDED_WARD.code));
    expect(outcome).toMatchObject({ kind: 'refused' });
    const reason = (outcome as { reason: string }).reason;
    expect(reason).toContain(`agency ${ENDED_WARD.code} ended on 2025-06-30`);
    expect(reason).toContain(`merged into ${CAM_THANH} (Ủy ban nhân dân phường Cẩm Thành)`);
  });

  it('refuses a dossier for a unit not yet in force', async () => {
    const outcome = await ingress.accept(collectedEvent('000.33.01.H51'));
    expect(outcome).toMatchObject({ kind: 'refused' });
    expect((outcome as { reason: string }).reason).toContain('takes dossiers only from 2099-01-01');
  });

  it('takes a dossier for a commune of the two-level map', async () => {
    const outcome = await ingress.accept(collectedEvent(CAM_THANH));
    expect(outcome).toMatchObject({ kind: 'accepted', result: { kind: 'applied', status: 'collected' } });
  });
});
