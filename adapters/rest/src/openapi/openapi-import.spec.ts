import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ADAPTER_FACTORIES, parseAgencyYaml, validateAgencyDocuments } from '@bridge/core';
import { importOpenApi } from './openapi-import';

const REPO = join(__dirname, '..', '..', '..', '..');
/** Documents nobody here wrote: the Swagger Petstore, from the npm package @readme/oas-examples. */
const petstore = (file: string) =>
  readFileSync(join(dirname(require.resolve('@readme/oas-examples/package.json')), file), 'utf8');
const vendorB = readFileSync(
  join(REPO, 'adapters', 'rest', 'fixtures', 'openapi', 'vendor-b.openapi.yaml'),
  'utf8',
);

/** What the IT department would type in place of each TODO, so the file can be validated. */
function fillTodos(yaml: string): string {
  return yaml
    .replace(/TODO!/g, '"filled"')
    .replace(/path: "TODO: path of the lookup operation"/g, 'path: "/filled/{idempotencyKey}"')
    .replace(/path: "TODO: [^"]*"/g, 'path: "/filled"')
    .replace(/"TODO: bridge status"/g, 'received')
    .replace(/"TODO: [^"]*"/g, '"filled-by-the-it-department"');
}

function validate(yaml: string) {
  return validateAgencyDocuments([parseAgencyYaml('imported.yaml', yaml)], {
    factories: ADAPTER_FACTORIES,
    knownCodes: new Set(),
    env: {},
    access: { settings: { envAllow: new Set(), apiMayReadEnv: false, filesRoot: tmpdir() }, viaApi: false },
  }).problems;
}

describe('importOpenApi', () => {
  it("reads our vendor's document into the operations the example agency file uses", async () => {
    const result = await importOpenApi(vendorB, {
      agencyCode: '000.00.53.H48',
      agencyName: 'UBND phường Hải Châu',
    });
    const file = parse(result.yaml) as { adapter: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const example = parse(
      readFileSync(join(REPO, 'adapters', 'rest', 'fixtures', 'agency.example.yaml'), 'utf8'),
    ) as typeof file;
    expect(file.adapter.endpoint).toBe('https://motcua.haichau.danang.gov.vn');
    expect(file.adapter.options.operations).toEqual(example.adapter.options.operations);
    expect(file.adapter.auth).toEqual({
      type: 'api-key',
      header: 'X-Api-Key',
      key: 'TODO: the API key the agency issued',
    });
    expect(Object.keys(file.adapter.statusCodes)).toEqual(Object.keys(example.adapter.statusCodes));
    // Every required field of the submit body is named with its type, pattern or enum.
    const submit = file.adapter.mappings.submitRequest as string;
    expect(submit).toContain('/* maThuTuc: string, pattern ^\\d\\.\\d{6}$, required */\n  "maThuTuc": TODO!');
    expect(submit).toContain(
      '/* hinhThucNhanKetQua: string, one of "TAI_CO_QUAN" | "BUU_CHINH", required */',
    );
    expect(submit).toContain('/* hoTen: string, required */');
    expect(submit).toContain('/* danhSachGiayTo: array of object, required */');
    expect(submit).toContain('/* optional: loaiDoiTuong, maBuuGui */');
    expect(result.warnings).toEqual([]);
  });

  it('is refused by validation until the TODOs are filled in, then passes', async () => {
    const { yaml } = await importOpenApi(vendorB, { agencyCode: '000.00.53.H48' });
    const problems = validate(yaml);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/Unknown operator: "!"/);
    expect(validate(fillTodos(yaml))).toEqual([]);
  });

  it('reads the Swagger Petstore (OpenAPI 3) and says what it could not place', async () => {
    const result = await importOpenApi(petstore('3.0/yaml/petstore.yaml'), { agencyCode: '000.00.53.H48' });
    const roles = Object.fromEntries(result.operations.map((o) => [o.role, `${o.method} ${o.path}`]));
    expect(roles).toMatchObject({
      submit: 'POST /pet',
      lookup: 'GET /pet/{idempotencyKey}',
      poll: 'GET /pet/findByStatus?status={cursor}',
    });
    expect(result.yaml).toContain('endpoint: "http://petstore.swagger.io/v2"');
    // addPet accepts OAuth2 implicit (not for a server) or the api_key header: the header it is.
    expect(result.yaml).toMatch(/type: api-key\n {4}header: "api_key"/);
    expect(result.warnings).toEqual(
      expect.arrayContaining(['no operation looks like "supplement"; fill in options.operations.supplement']),
    );
    const submit = (parse(result.yaml) as { adapter: { mappings: { submitRequest: string } } }).adapter
      .mappings.submitRequest;
    expect(submit).toContain('/* name: string, required */\n  "name": TODO!');
    expect(submit).toContain('/* photoUrls: array of string, required */');
    expect(validate(fillTodos(result.yaml))).toEqual([]);
  });

  it('reads the Swagger 2 Petstore in JSON too', async () => {
    const result = await importOpenApi(petstore('2.0/json/petstore.json'), { agencyCode: '000.00.53.H48' });
    expect(result.yaml).toMatch(/endpoint: "https?:\/\/petstore\.swagger\.io\/v2"/);
    expect(result.operations.find((o) => o.role === 'submit')).toMatchObject({
      method: 'POST',
      path: '/pet',
    });
    expect(validate(fillTodos(result.yaml))).toEqual([]);
  });

  it('refuses a document that is not OpenAPI, and one that points at other files', async () => {
    await expect(importOpenApi('<definitions/>', { agencyCode: 'x' })).rejects.toThrow(
      /not an OpenAPI 3 or Swagger 2 document/,
    );
    const external = vendorB.replace(
      "$ref: '#/components/schemas/BienNhan'",
      "$ref: 'https://127.0.0.1:1/bien-nhan.yaml'",
    );
    await expect(importOpenApi(external, { agencyCode: 'x' })).rejects.toThrow();
  });
});
