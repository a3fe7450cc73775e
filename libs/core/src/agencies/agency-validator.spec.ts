import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgencyFileAccess } from './agency-file-access';
import { AgencyDocument } from './agency-file';
import { loadAgencyFiles, parseAgencyYaml } from './agency-file-loader';
import { AgencyProblem } from './agency-problem';
import { TEST_ADAPTER_FACTORIES } from './agency-test-factories';
import { validateAgencyDocuments } from './agency-validator';

const FIXTURES = join(__dirname, 'fixtures');
const ENV = {
  BRIDGE_AGENCY_TUPHAP_SOAP_PASSWORD: 'Tp-m4t-khau-SOAP',
  BRIDGE_AGENCY_HAICHAU_CALLBACK_SECRET: 'hc-callback-secret-0123456789',
};

const ACCESS: AgencyFileAccess = {
  settings: { envAllow: new Set(), apiMayReadEnv: false, filesRoot: tmpdir() },
  viaApi: false,
};

function validate(
  docs: AgencyDocument[],
  knownCodes: string[] = [],
  env: Record<string, string> = ENV,
  access: AgencyFileAccess = ACCESS,
) {
  return validateAgencyDocuments(docs, {
    factories: TEST_ADAPTER_FACTORIES,
    knownCodes: new Set(knownCodes),
    env,
    access,
  });
}

async function problemsOf(brokenFile: string, knownCodes: string[] = []): Promise<AgencyProblem[]> {
  const docs = await loadAgencyFiles(join('broken', brokenFile), { cwd: FIXTURES });
  return validate(docs, knownCodes).problems;
}

function at(problems: AgencyProblem[], path: string): string[] {
  return problems.filter((p) => p.path === path).map((p) => p.message);
}

describe('agency file validation', () => {
  it('accepts the example files and fills every default', async () => {
    const { problems, agencies } = validate(await loadAgencyFiles('valid', { cwd: FIXTURES }));
    expect(problems).toEqual([]);
    expect(agencies.map((a) => [a.code, a.parentCode, a.spec?.kind ?? null])).toEqual([
      ['000.00.00.H48', null, null],
      ['000.00.01.H48', '000.00.00.H48', 'soap'],
      ['000.00.53.H48', '000.00.00.H48', 'rest'],
    ]);
    const [, tuPhap, haiChau] = agencies;
    // Written unquoted, these would be the numbers 48 and 1.00161 for a plain YAML reader.
    expect(tuPhap.province).toBe('48');
    expect(tuPhap.procedures).toEqual([
      {
        code: '1.001610',
        name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam',
        byPost: true,
        processingDays: 10,
      },
      { code: '2.000488', name: 'Đăng ký khai sinh có yếu tố nước ngoài', byPost: false },
    ]);
    expect(tuPhap.spec?.dates).toEqual({ format: 'dd/MM/yyyy HH:mm:ss', zone: 'Asia/Ho_Chi_Minh' });
    expect(tuPhap.spec?.auth).toEqual({
      type: 'ws-security',
      username: 'buudien_danang',
      password: 'Tp-m4t-khau-SOAP',
    });
    expect(haiChau.procedures[1].code).toBe('1.003583.000.00.53.H48');
    expect(haiChau.spec).toMatchObject({
      timeoutMs: 10_000,
      concurrency: 4,
      retry: { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 300_000, jitter: 0.3 },
      circuit: { failureThreshold: 5, openMs: 30_000 },
      dates: { format: 'iso', zone: 'Asia/Ho_Chi_Minh' },
      callbackAuth: { type: 'hmac-sha256', secret: 'hc-callback-secret-0123456789' },
    });
    expect(haiChau.spec?.rateLimit).toBeUndefined();
  });

  it('names the file and line of a YAML syntax error', async () => {
    const problems = await problemsOf('yaml-syntax.yaml');
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).toMatchObject({ file: join('broken', 'yaml-syntax.yaml'), path: '$' });
      expect(problem.message).toMatch(/^YAML syntax error at line 5, column 11: \S.*[^:]$/);
    }
  });

  it('names malformed agency and procedure codes', async () => {
    const problems = await problemsOf('bad-codes.yaml');
    expect(problems.every((p) => p.file === join('broken', 'bad-codes.yaml'))).toBe(true);
    expect(at(problems, '$.code')[0]).toMatch(/H48-02.*QCVN 102:2016/);
    expect(at(problems, '$.procedures[1].code')[0]).toMatch(/1\.0099.*d\.dddddd/);
    expect(problems).toHaveLength(2);
  });

  it('lists every mistake of an adapter section at once, each at its path', async () => {
    const problems = await problemsOf('bad-adapter.yaml');
    expect(at(problems, '$.adapter.timeout')).toEqual([expect.stringMatching(/not a known field/)]);
    expect(at(problems, '$.adapter.auth.password')).toEqual(['is required']);
    expect(at(problems, '$.adapter.statusCodes["9"]')[0]).toMatch(
      /must be one of: "collected".*"result_ready"/,
    );
    expect(at(problems, '$.adapter.mappings.submitRequest')[0]).toMatch(/not valid JSONata/);
    expect(at(problems, '$.adapter.options.operations.lookup')).toEqual(['is required']);
    expect(at(problems, '$.adapter.mappings.submitResponse')).toEqual([]);
  });

  it('refuses validity dates out of order and impossible numbers', async () => {
    const problems = await problemsOf('bad-dates.yaml');
    expect(at(problems, '$.validTo')).toEqual(['2024-12-31 is before validFrom 2025-07-01']);
    expect(at(problems, '$.procedures[0].processingDays')).toEqual(['must be >= 0']);
  });

  it('names an environment variable that a secret refers to but is not set', async () => {
    const problems = await problemsOf('missing-env.yaml');
    expect(problems).toEqual([
      {
        file: join('broken', 'missing-env.yaml'),
        path: '$.adapter.auth.token',
        message:
          'environment variable BRIDGE_AGENCY_GTVT_TOKEN_THAT_IS_NOT_SET is not set (referenced as ${env:BRIDGE_AGENCY_GTVT_TOKEN_THAT_IS_NOT_SET})',
      },
    ]);
  });

  it('reads only BRIDGE_AGENCY_* and allow-listed variables, and over the API only when allowed', async () => {
    const [doc] = await loadAgencyFiles(join('broken', 'missing-env.yaml'), { cwd: FIXTURES });
    const naming = (name: string) =>
      JSON.parse(
        JSON.stringify(doc).replace(/BRIDGE_AGENCY_GTVT_TOKEN_THAT_IS_NOT_SET/g, name),
      ) as AgencyDocument;
    const env = { ...ENV, BRIDGE_SECRET_KEY: 'the-master-key-000', GTVT_TOKEN: 't', BRIDGE_AGENCY_GTVT: 't' };
    const messages = (name: string, access: AgencyFileAccess) =>
      validate([naming(name)], [], env, access).problems.map((p) => p.message);
    expect(messages('BRIDGE_SECRET_KEY', ACCESS)).toEqual([
      'environment variable BRIDGE_SECRET_KEY may not be read by agency files: only BRIDGE_AGENCY_* names and those listed in BRIDGE_AGENCY_ENV_ALLOW',
    ]);
    expect(messages('GTVT_TOKEN', ACCESS)).toHaveLength(1);
    expect(messages('BRIDGE_AGENCY_GTVT', ACCESS)).toEqual([]);
    const allowList = { ...ACCESS.settings, envAllow: new Set(['GTVT_TOKEN']) };
    expect(messages('GTVT_TOKEN', { ...ACCESS, settings: allowList })).toEqual([]);
    expect(messages('BRIDGE_AGENCY_GTVT', { ...ACCESS, viaApi: true })[0]).toMatch(
      /sent over the HTTP API may not read environment variables/,
    );
    const apiOpen = { settings: { ...ACCESS.settings, apiMayReadEnv: true }, viaApi: true };
    expect(messages('BRIDGE_AGENCY_GTVT', apiOpen)).toEqual([]);
    expect(messages('BRIDGE_SECRET_KEY', apiOpen)).toHaveLength(1);
  });

  it("applies the kind's options schema, and reports an unknown parent of the same file", async () => {
    const problems = await problemsOf('kind-rules.yaml');
    expect(at(problems, '$.adapter.options.operation')).toEqual(['is required']);
    expect(at(problems, '$.adapter.options.soapVersion')[0]).toMatch(/must be one of: "1.1", "1.2"/);
    expect(at(problems, '$.parent')).toEqual([
      '000.00.99.H48 is neither registered nor in the files being applied',
    ]);
    expect(await problemsOf('kind-rules.yaml', ['000.00.99.H48'])).not.toContainEqual(
      expect.objectContaining({ path: '$.parent' }),
    );
  });

  it("runs the kind's own check once the section is otherwise sound", () => {
    const doc = parseAgencyYaml(
      'soap-without-submit.yaml',
      [
        'code: 000.00.07.H48',
        'name: Sở Y tế',
        'level: department',
        'procedures: []',
        'adapter:',
        '  kind: soap',
        '  endpoint: https://syt.example/ws',
        '  statusCodes: { "1": received }',
        '  mappings: { submitResponse: "{ \\"agencyDossierCode\\": Ma }" }',
        '  options: { operation: NopHoSo }',
      ].join('\n'),
    );
    expect(validate([doc]).problems).toEqual([
      {
        file: 'soap-without-submit.yaml',
        path: '$.adapter.mappings.submitRequest',
        message: 'a soap agency needs it to file dossiers',
      },
    ]);
  });

  it('refuses a code defined twice in a batch, naming both files', async () => {
    const valid = await loadAgencyFiles('valid', { cwd: FIXTURES });
    const copy = { ...valid[1], file: 'copy-of-tu-phap.yaml' };
    expect(validate([...valid, copy]).problems).toEqual([
      {
        file: 'copy-of-tu-phap.yaml',
        path: '$.code',
        message: `000.00.01.H48 is also defined in ${valid[1].file}`,
      },
    ]);
  });

  it('accepts a parent already registered, and refuses a parent chain that loops', () => {
    const unit = (code: string, parent: string) =>
      parseAgencyYaml(
        `${code}.yaml`,
        `code: ${code}\nname: Phường\nlevel: commune\nparent: ${parent}\nprocedures: []\n`,
      );
    expect(validate([unit('000.10.53.H48', '000.00.53.H48')], ['000.00.53.H48']).problems).toEqual([]);
    const loop = validate([unit('000.11.53.H48', '000.12.53.H48'), unit('000.12.53.H48', '000.11.53.H48')]);
    expect(loop.problems.map((p) => [p.file, p.path])).toEqual([
      ['000.11.53.H48.yaml', '$.parent'],
      ['000.12.53.H48.yaml', '$.parent'],
    ]);
  });

  it('stores Vietnamese text in NFC whatever form it was typed in', () => {
    const decomposed = 'Ủy ban nhân dân phường Hải Châu'.normalize('NFD');
    const doc: AgencyDocument = {
      file: 'nfd.yaml',
      data: { code: '000.20.53.H48', name: decomposed, level: 'commune', procedures: [] },
      problems: [],
    };
    const [agency] = validate([doc]).agencies;
    expect(agency.name).toBe('Ủy ban nhân dân phường Hải Châu'.normalize('NFC'));
    expect(agency.name).not.toBe(decomposed);
  });

  it('keeps adapter.limits in the spec within their bounds, and the examples out of it', () => {
    const file = (limits: string) =>
      parseAgencyYaml(
        'limits.yaml',
        [
          'code: 000.00.07.H48',
          'name: Sở Y tế',
          'level: department',
          'procedures: []',
          'adapter:',
          '  kind: soap',
          '  endpoint: https://syt.example/ws',
          '  statusCodes: { "1": received }',
          '  mappings: { submitRequest: "{ \\"ref\\": idempotencyKey }" }',
          '  options: { operation: NopHoSo }',
          `  limits: ${limits}`,
          '  examples: { submitRequest: [{ idempotencyKey: "x" }] }',
        ].join('\n'),
      );
    const [agency] = validate([file('{ mappingTimeMs: 50, maxResponseBytes: 65536 }')]).agencies;
    expect(agency.spec?.limits).toEqual({ mappingTimeMs: 50, maxResponseBytes: 65536 });
    expect(agency.spec).not.toHaveProperty('examples');
    expect(agency.examples).toEqual({ submitRequest: [{ idempotencyKey: 'x' }] });
    const problems = validate([file('{ mappingDepth: 5000, maxResponseBytes: 10, stackMb: 1 }')]).problems;
    expect(problems.map((p) => p.path).sort()).toEqual([
      '$.adapter.limits.mappingDepth',
      '$.adapter.limits.maxResponseBytes',
      '$.adapter.limits.stackMb',
    ]);
  });
});
