import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST_AGENCY, restAgencyFile, SeededHistory, seedRestHistory } from '@bridge/simulator';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { ADAPTER_FACTORIES } from '../agencies/adapter-registry';
import { parseAgencyYaml } from '../agencies/agency-file-loader';
import { AgencyRegistryService } from '../agencies/agency-registry.service';
import { SecretCipher } from '../security/secret-cipher';
import { checkGoldenExamples, GoldenExampleRecorder } from './golden-examples';
import { MappingWorkbenchService } from './mapping-workbench.service';

const TABLES = [
  'dossiers',
  'dossier_timeline',
  'message_log',
  'message_log_staging',
  'inbox',
  'outbox',
  'dead_letters',
  'adapter_specs',
];

describe('mapping workbench over a seeded agency history (PostgreSQL)', () => {
  let db: TestDatabase;
  let root: string;
  let agency: Server;
  let agencyCalls = 0;
  let file: string;
  let registry: AgencyRegistryService;
  let workbench: MappingWorkbenchService;
  let history: SeededHistory;

  beforeAll(async () => {
    // The agency the file points at: the workbench must never call it.
    agency = createServer((_req, res) => {
      agencyCalls++;
      res.end('{}');
    });
    await new Promise<void>((done) => agency.listen(0, '127.0.0.1', done));
    const { port } = agency.address() as AddressInfo;
    db = await createTestDatabase('workbench');
    root = await mkdtemp(join(tmpdir(), 'workbench-'));
    file = restAgencyFile(`http://127.0.0.1:${port}`);
    registry = new AgencyRegistryService(
      db.dataSource,
      new SecretCipher('workbench-test-key-0001'),
      ADAPTER_FACTORIES,
      {
        configRoot: root,
      },
    );
    await registry.apply([parseAgencyYaml('agency.yaml', file)], { appliedBy: 'test' });
    const { spec } = await registry.inForce(REST_AGENCY);
    history = await seedRestHistory(db.dataSource, spec, 40);
    workbench = new MappingWorkbenchService(db.dataSource, registry);
  });

  afterAll(async () => {
    await db.drop();
    await rm(root, { recursive: true, force: true });
    await new Promise((done) => agency.close(done));
  });

  const candidate = (text: string) => parseAgencyYaml('candidate.yaml', text);
  const edited = (from: string, to: string) => {
    if (!file.includes(from)) throw new Error(`the agency file has no ${from}`);
    return candidate(file.replace(from, to));
  };

  async function rowCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const [row] = await db.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table}`);
      counts[table] = Number(row.n);
    }
    return counts;
  }

  it('reports everything the same for an unchanged file, changing nothing and calling no agency', async () => {
    const before = await rowCounts();
    const report = await workbench.preview(candidate(file));
    expect(report.failing).toBe(false);
    expect(report.messagesRead).toBe(history.dossierIds.length * 3 + 4);
    const counts = Object.fromEntries(report.mappings.map((m) => [m.mapping, m.counts]));
    const same = (n: number) => ({ same: n, changed: 0, nowFailing: 0, nowPassing: 0, stillFailing: 0 });
    expect(counts).toEqual({
      submitRequest: same(40),
      submitResponse: same(40),
      statusChange: same(44),
      pollResponse: same(4),
    });
    expect(report.dossiersChangedTotal).toBe(0);
    // The citizen id and the phone number went out masked in the log: named, compared masked.
    expect(report.maskedFields).toEqual(
      expect.arrayContaining(['submitRequest: chuHoSo.soDienThoai', 'submitRequest: chuHoSo.soGiayTo']),
    );
    expect(await rowCounts()).toEqual(before);
    expect(agencyCalls).toBe(0);
  });

  it('names exactly the dossiers whose conclusion a changed status table changes', async () => {
    const report = await workbench.preview(
      edited('CHO_BO_SUNG: supplement_requested', 'CHO_BO_SUNG: processing'),
    );
    const expected = history.dossierIds.filter((id) => history.pushedCode.get(id) === 'CHO_BO_SUNG');
    expect(expected.length).toBe(10);
    expect(new Set(report.dossiersChanged)).toEqual(new Set(expected));
    const status = report.mappings.find((m) => m.mapping === 'statusChange')!;
    // Ten pushes, and the one polled page among them (dossier 1 is not polled: every tenth from 0 is).
    expect(status.counts.changed).toBe(
      10 + expected.filter((id) => history.dossierIds.indexOf(id) % 10 === 0).length,
    );
    expect(status.examples.changed?.[0].fields).toEqual([
      { path: 'status', then: 'supplement_requested', now: 'processing' },
    ]);
    expect(report.failing).toBe(false);
  });

  it('shows a renamed vendor field as the failing mapping, with an example', async () => {
    const report = await workbench.preview(
      edited(
        '"agencyDossierCode": maHoSo,\n        "appointmentDate"',
        '"agencyDossierCode": soHoSo,\n        "appointmentDate"',
      ),
    );
    expect(report.failing).toBe(true);
    const receipt = report.mappings.find((m) => m.mapping === 'submitResponse')!;
    expect(receipt.counts).toMatchObject({ nowFailing: 40, same: 0 });
    expect(receipt.examples.nowFailing?.[0]).toMatchObject({
      error: 'the agency accepted the dossier but its answer has no dossier code',
      then: { agencyDossierCode: expect.stringMatching(/^000\.00\.53\.H48-251001-/) },
    });
    expect(report.mappings.find((m) => m.mapping === 'statusChange')!.counts.same).toBe(44);
  });

  it('keeps golden examples that pass the file and fail a file that no longer reads them', async () => {
    const recorder = new GoldenExampleRecorder();
    await workbench.preview(candidate(file), { examples: recorder });
    const examples = recorder.file(REST_AGENCY);
    expect(new Set(examples.examples.map((e) => e.mapping))).toEqual(
      new Set(['submitRequest', 'submitResponse', 'statusChange', 'pollResponse']),
    );
    expect(examples.examples.filter((e) => e.mapping === 'statusChange')).toHaveLength(5);
    // Kept beside the file: no citizen id or phone number in clear.
    expect(JSON.stringify(examples)).not.toMatch(/048190001234|0905123456/);
    const { spec } = await registry.inForce(REST_AGENCY);
    expect(await checkGoldenExamples(spec, examples)).toEqual([]);
    const path = join(root, 'agency.yaml');
    await writeFile(`${path}.examples.json`, JSON.stringify(examples));
    await writeFile(path, file.replaceAll('"statusCode": trangThai', '"statusCode": tinhTrang'));
    const problems = await workbench.checkExamples(await registry.loadFiles('agency.yaml'), root);
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems[0]).toMatchObject({ file: 'agency.yaml', path: '$.adapter.mappings' });
    expect(problems.map((p) => p.message).join('\n')).toMatch(
      /golden example #\d+ \(statusChange, inbound callback\) now fails: status change has no statusCode/,
    );
  });
});
