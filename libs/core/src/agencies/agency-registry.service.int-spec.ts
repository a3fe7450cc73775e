import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TEST_DATABASE_URL, TestDatabase, createTestDatabase } from '@bridge/testing';
import { SecretCipher } from '../security/secret-cipher';
import { SECRET_MASK } from './adapter-secrets';
import { AgencyNotFoundError, AgencyValidationError } from './agency-problem';
import { AgencyRegistryService } from './agency-registry.service';
import { TEST_ADAPTER_FACTORIES } from './agency-test-factories';

const SOAP_PASSWORD = 'Tp-m4t-khau-SOAP';
const CLIENT_SECRET = 'Hc-cl1ent-S3cret-2025';
const CALLBACK_SECRET = 'hc-callback-secret-0123456789';
const HAI_CHAU = join('agencies', '48', '000.00.53.H48.yaml');
const TU_PHAP = join('agencies', '48', '000.00.01.H48.yaml');

describe('AgencyRegistryService against PostgreSQL', () => {
  let db: TestDatabase;
  let root: string;
  let env: Record<string, string>;
  let registry: AgencyRegistryService;
  const cipher = new SecretCipher('agency-registry-integration-key');

  beforeEach(async () => {
    db = await createTestDatabase('agencies');
    root = await mkdtemp(join(tmpdir(), 'agency-registry-'));
    await cp(join(__dirname, 'fixtures', 'valid'), join(root, 'agencies', '48'), { recursive: true });
    env = {
      BRIDGE_AGENCY_TUPHAP_SOAP_PASSWORD: SOAP_PASSWORD,
      BRIDGE_AGENCY_HAICHAU_CALLBACK_SECRET: CALLBACK_SECRET,
    };
    registry = new AgencyRegistryService(db.dataSource, cipher, TEST_ADAPTER_FACTORIES, {
      configRoot: root,
      env,
    });
  });

  afterEach(async () => {
    await db.drop();
    await rm(root, { recursive: true, force: true });
  });

  async function edit(file: string, from: string, to: string): Promise<void> {
    const text = await readFile(join(root, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
    await writeFile(join(root, file), text.replace(from, to));
  }

  async function apply() {
    return registry.apply(await registry.loadFiles('agencies'), { appliedBy: 'ops@buudien.example' });
  }

  async function count(table: 'agencies' | 'adapter_specs'): Promise<number> {
    const [row] = await db.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`);
    return Number(row.n);
  }

  it('refuses mappings that exceed their budget on the example inputs, and stores nothing', async () => {
    // 2^40 calls: fails on any input.
    await edit(
      HAI_CHAU,
      `'{ "ref": idempotencyKey, "procedure": dossier.procedureCode }'`,
      `'( $f := function($n) { $n < 1 ? 1 : $f($n - 1) + $f($n - 1) }; $f(40) )'`,
    );
    // Cheap on a short answer, 2^n calls on an answer whose dossier number has n characters:
    // only the recorded answer in the file's own examples shows it.
    await edit(
      HAI_CHAU,
      `'{ "agencyDossierCode": data.dossierNo, "statusCode": $status(data.state) }'`,
      `'( $f := function($s) { $length($s) > 0 ? $f($substring($s, 1)) + $f($substring($s, 1)) : 1 }; { "agencyDossierCode": data.dossierNo, "n": $f(data.dossierNo) } )'
  examples:
    submitResponse:
      - { data: { dossierNo: "HS-2025-000001-DANANG-HAICHAU-000000000042", state: MOI } }
    lookupResponse: [{}]
  limits:
    mappingTimeMs: 50`,
    );
    const started = Date.now();
    const error = await apply().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(AgencyValidationError);
    expect((error as AgencyValidationError).problems).toEqual([
      {
        file: HAI_CHAU,
        path: '$.adapter.examples.lookupResponse',
        message: 'there is no mapping "lookupResponse" to try them on',
      },
      {
        file: HAI_CHAU,
        path: '$.adapter.mappings.submitRequest',
        message:
          'mapping "submitRequest" ran longer than its time budget of 50 ms (adapter.limits.mappingTimeMs) on the bridge\'s sample dossier',
      },
      {
        file: HAI_CHAU,
        path: '$.adapter.mappings.submitResponse',
        message:
          'mapping "submitResponse" ran longer than its time budget of 50 ms (adapter.limits.mappingTimeMs) on adapter.examples.submitResponse[0]',
      },
    ]);
    expect(await count('agencies')).toBe(0);
    expect(await count('adapter_specs')).toBe(0);
  });

  it('changes nothing while one file is broken, lists its errors, and applies everything once fixed', async () => {
    await edit(
      HAI_CHAU,
      `{ "ref": idempotencyKey, "procedure": dossier.procedureCode }`,
      `{ "ref": idempotencyKey `,
    );
    const error = await apply().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgencyValidationError);
    expect((error as AgencyValidationError).problems).toEqual([
      {
        file: HAI_CHAU,
        path: '$.adapter.mappings.submitRequest',
        message: expect.stringMatching(/not valid JSONata/),
      },
    ]);
    expect((error as Error).message).toContain(`${HAI_CHAU}: $.adapter.mappings.submitRequest:`);
    expect(await count('agencies')).toBe(0);
    expect(await count('adapter_specs')).toBe(0);

    await edit(HAI_CHAU, `{ "ref": idempotencyKey `, `{ "ref": idempotencyKey }`);
    expect((await apply()).map(({ code, action, version }) => [code, action, version])).toEqual([
      ['000.00.00.H48', 'created', null],
      ['000.00.01.H48', 'created', 1],
      ['000.00.53.H48', 'created', 1],
    ]);
    const haiChau = await registry.show('000.00.53.H48');
    expect(haiChau).toMatchObject({
      parentCode: '000.00.00.H48',
      province: '48',
      specVersion: 1,
      specAppliedBy: 'ops@buudien.example',
    });
    expect(haiChau.procedures[0]).toEqual({
      code: '1.001612',
      name: 'Chứng thực bản sao từ bản chính',
      byPost: true,
      processingDays: 1,
    });
  });

  it('treats re-applying an unchanged directory as a no-op, and a changed mapping as version 2', async () => {
    await apply();
    const again = await apply();
    expect(again.map((a) => a.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(await count('adapter_specs')).toBe(2);

    await edit(TU_PHAP, `"note": GhiChu`, `"note": $trim(GhiChu)`);
    const changed = await apply();
    expect(changed.map(({ code, action, version }) => [code, action, version])).toEqual([
      ['000.00.00.H48', 'unchanged', null],
      ['000.00.01.H48', 'updated', 2],
      ['000.00.53.H48', 'unchanged', 1],
    ]);
    expect(await registry.specVersions()).toEqual(
      new Map([
        ['000.00.01.H48', 2],
        ['000.00.53.H48', 1],
      ]),
    );
    const tuPhap = (await registry.currentSpecs()).find((s) => s.code === '000.00.01.H48')!;
    expect(tuPhap.version).toBe(2);
    expect(tuPhap.spec.mappings.statusChange).toContain('$trim(GhiChu)');
  });

  it('stores a new version when only a secret changes (rotated in the environment)', async () => {
    await apply();
    env.BRIDGE_AGENCY_TUPHAP_SOAP_PASSWORD = 'rotated-password-2026';
    const rotated = await apply();
    expect(rotated.find((a) => a.code === '000.00.01.H48')).toMatchObject({ action: 'updated', version: 2 });
    const tuPhap = (await registry.currentSpecs()).find((s) => s.code === '000.00.01.H48')!;
    expect(tuPhap.spec.auth).toMatchObject({ password: 'rotated-password-2026' });
  });

  it('keeps no clear-text secret in the database, masks them when shown, and decrypts them for workers', async () => {
    await apply();
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ row: string }>(
        `SELECT t::text AS row FROM "${db.schema}".adapter_specs t`,
      );
      const raw = rows.map((r) => r.row).join('\n');
      expect(raw).toContain('enc:v1:');
      for (const secret of [SOAP_PASSWORD, CLIENT_SECRET, CALLBACK_SECRET]) expect(raw).not.toContain(secret);
    } finally {
      await client.end();
    }

    const shown = await registry.show('000.00.53.H48');
    expect(shown.spec?.auth).toMatchObject({ clientId: 'buudien-bridge', clientSecret: SECRET_MASK });
    expect(shown.spec?.callbackAuth).toEqual({ type: 'hmac-sha256', secret: SECRET_MASK });
    const listed = JSON.stringify(await registry.list());
    for (const secret of [SOAP_PASSWORD, CLIENT_SECRET, CALLBACK_SECRET, 'enc:v1:'])
      expect(listed).not.toContain(secret);

    const specs = await registry.currentSpecs();
    expect(specs.map((s) => [s.code, s.version])).toEqual([
      ['000.00.01.H48', 1],
      ['000.00.53.H48', 1],
    ]);
    expect(specs[0].spec.auth).toEqual({
      type: 'ws-security',
      username: 'buudien_danang',
      password: SOAP_PASSWORD,
    });
    expect(specs[1].spec.auth).toMatchObject({ clientSecret: CLIENT_SECRET });
    expect(specs[1].spec.callbackAuth).toEqual({ type: 'hmac-sha256', secret: CALLBACK_SECRET });
  });

  it('retires an agency: kept and listed, but no longer served to workers', async () => {
    await apply();
    const { retiredAt } = await registry.retire('000.00.53.H48');
    expect(retiredAt).toBeInstanceOf(Date);
    expect((await registry.retire('000.00.53.H48')).retiredAt).toEqual(retiredAt);
    expect((await registry.show('000.00.53.H48')).retiredAt).toEqual(retiredAt);
    expect((await registry.currentSpecs()).map((s) => s.code)).toEqual(['000.00.01.H48']);
    expect([...(await registry.specVersions()).keys()]).toEqual(['000.00.01.H48']);
    await expect(registry.retire('000.00.77.H48')).rejects.toBeInstanceOf(AgencyNotFoundError);
    await expect(registry.show('000.00.77.H48')).rejects.toThrow('agency 000.00.77.H48 is not registered');
  });

  it('validates a child against parents already registered', async () => {
    await apply();
    await writeFile(
      join(root, 'phuong.yaml'),
      'code: 000.01.53.H48\nname: Ủy ban nhân dân phường Hải Châu\nlevel: commune\nparent: 000.00.53.H48\nprocedures: []\n',
    );
    const docs = await registry.loadFiles('phuong.yaml');
    expect(await registry.validate(docs)).toEqual([]);
    expect(await registry.apply(docs, { appliedBy: 'ops' })).toEqual([
      { code: '000.01.53.H48', file: 'phuong.yaml', action: 'created', version: null },
    ]);
  });

  it('serialises concurrent applies of the same files: one creates, the other finds nothing to do', async () => {
    const docs = await registry.loadFiles('agencies');
    const [first, second] = await Promise.all([
      registry.apply(docs, { appliedBy: 'a' }),
      registry.apply(docs, { appliedBy: 'b' }),
    ]);
    const actions = [...first, ...second].map((a) => a.action).sort();
    expect(actions).toEqual(['created', 'created', 'created', 'unchanged', 'unchanged', 'unchanged']);
    expect(await count('adapter_specs')).toBe(2);
  });
});
