import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AdapterSpec, mappingFallbackCounts } from '@bridge/adapter-sdk';
import {
  AdapterHistory,
  CsvAgencySimulator,
  IgateLegacyAgencySimulator,
  projectRoot,
  seedCsvHistory,
  seedIgateHistory,
  seedSoapHistory,
  SoapAgencySimulator,
} from '@bridge/simulator';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { ADAPTER_FACTORIES } from '../agencies/adapter-registry';
import { parseAgencyYaml } from '../agencies/agency-file-loader';
import { AgencyRegistryService } from '../agencies/agency-registry.service';
import { SecretCipher } from '../security/secret-cipher';
import { MappingWorkbenchService } from './mapping-workbench.service';
import { MappingSummary, WorkbenchReport } from './workbench-report';

const fixture = (kind: string, file = 'agency.example.yaml') =>
  readFileSync(join(projectRoot(), 'adapters', kind, 'fixtures', file), 'utf8').replace(/^parent: .*\n/m, '');

const same = (n: number) => ({ same: n, changed: 0, nowFailing: 0, nowPassing: 0, stillFailing: 0 });
const countsOf = (report: WorkbenchReport) =>
  Object.fromEntries(report.mappings.map((m) => [m.mapping, m.counts]));
const mapping = (report: WorkbenchReport, name: string): MappingSummary => {
  const found = report.mappings.find((m) => m.mapping === name);
  if (!found)
    throw new Error(`the report has no ${name} (has ${report.mappings.map((m) => m.mapping).join(', ')})`);
  return found;
};

/** One database for the three agencies: their histories are apart by agency code. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('workbench_kinds');
});
afterAll(async () => {
  await db?.drop();
});

/** A registry holding one applied agency file (folders below `root`), and the workbench over it. */
async function workbenchFor(name: string, file: string, root: string) {
  const registry = new AgencyRegistryService(
    db.dataSource,
    new SecretCipher(`${name}-test-key-0001`),
    ADAPTER_FACTORIES,
    {
      configRoot: root,
      files: { envAllow: new Set(), apiMayReadEnv: false, filesRoot: root },
    },
  );
  await registry.apply([parseAgencyYaml('agency.yaml', file)], { appliedBy: 'test' });
  const edited = (from: string, to: string) => {
    if (!file.includes(from)) throw new Error(`the agency file has no ${from}`);
    return parseAgencyYaml('candidate.yaml', file.split(from).join(to));
  };
  return { registry, workbench: new MappingWorkbenchService(db.dataSource, registry), edited };
}

/** What a describe's tests get: the simulator, the workbench over the applied file, the seeded history. */
interface SeededAgency<S> {
  simulator: S;
  context: Awaited<ReturnType<typeof workbenchFor>>;
  history: AdapterHistory;
}

type Seed<S> = (
  dataSource: DataSource,
  agency: { code: string; name: string },
  spec: AdapterSpec,
  simulator: S,
  dossiers: number,
) => Promise<AdapterHistory>;

/**
 * Before the tests of a describe: starts the agency's simulator (with a folder of its own),
 * applies its agency file and seeds its history through the real adapter; after them, stops
 * the simulator.
 */
function seededAgency<S extends { close(): Promise<void> }>(
  name: string,
  code: string,
  start: (root: string) => Promise<{ simulator: S; file: string }>,
  seed: Seed<S>,
  dossiers: number,
): SeededAgency<S> {
  const seeded = {} as SeededAgency<S>;
  let root: string | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `${name}-`));
    const { simulator, file } = await start(root);
    seeded.simulator = simulator;
    seeded.context = await workbenchFor(name, file, root);
    const { spec } = await seeded.context.registry.inForce(code);
    seeded.history = await seed(db.dataSource, { code, name }, spec, simulator, dossiers);
  });
  afterAll(async () => {
    await seeded.simulator?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });
  return seeded;
}

/**
 * The diff of a status table that reads the agency's "supplement requested" code as
 * processing, and the dossiers the agency moved to that code.
 */
async function supplementAsProcessing<S>(agency: SeededAgency<S>, from: string, to: string) {
  const report = await agency.context.workbench.preview(agency.context.edited(from, to));
  const { dossierIds, drivenTo } = agency.history;
  const expected = dossierIds.filter((id) => drivenTo.get(id) === 'supplement_requested');
  return { report, expected };
}

describe('agencies diff over a SOAP agency history seeded through the SOAP adapter and vendor A (PostgreSQL)', () => {
  const agency = seededAgency(
    'workbench_soap',
    '000.00.53.H48',
    async () => {
      const simulator = await SoapAgencySimulator.start({
        credentials: { username: 'buudien.haichau', password: 'Doi-Mat-Khau-Nay' },
        pageSize: 5,
      });
      const file = fixture('soap').replace(/^(\s+endpoint:\s*).*$/m, `$1"${simulator.url}"`);
      return { simulator, file };
    },
    seedSoapHistory,
    12,
  );

  it('reports every request, answer, page and push the same for the unchanged file, calling nobody', async () => {
    const calls = agency.simulator.requestCount;
    const report = await agency.context.workbench.preview(agency.context.edited('', ''));
    expect(report.failing).toBe(false);
    expect(report.messagesRead).toBe(agency.history.messages);
    const pushes = Math.ceil(agency.history.dossierIds.length / 2);
    // Every dossier's change, plus the three delivered ones moving on to "returned" ('10').
    const records = agency.history.dossierIds.length + agency.history.delivered.length;
    expect(countsOf(report)).toEqual({
      submitRequest: same(12),
      submitResponse: same(12),
      lookupRequest: same(4),
      lookupResponse: same(4),
      deliveryRequest: same(agency.history.delivered.length),
      pollResponse: same(Math.ceil(records / 5) + 1),
      statusChange: same(records + pushes),
    });
    expect(agency.history.delivered.length).toBe(3);
    expect(report.dossiersChangedTotal).toBe(0);
    // The envelopes went out with the citizen id and phone number masked in the log.
    expect(report.maskedFields).toEqual([
      'submitRequest: NopHoSo.HoSo.ChuHoSo.SoCCCD',
      'submitRequest: NopHoSo.HoSo.ChuHoSo.SoDienThoai',
    ]);
    expect(report.notReplayed).toEqual({});
    expect(agency.simulator.requestCount).toBe(calls);
  });

  it('names exactly the dossiers whose conclusion a changed status table changes', async () => {
    const { report, expected } = await supplementAsProcessing(
      agency,
      '"5": supplement_requested',
      '"5": processing',
    );
    expect(expected).toHaveLength(3);
    expect(new Set(report.dossiersChanged)).toEqual(new Set(expected));
    const status = mapping(report, 'statusChange');
    // Each was read once in a polled page, and pushed when its position is even (1, 5, 9: never).
    expect(status.counts.changed).toBe(3);
    expect(status.examples.changed?.[0].fields).toEqual([
      { path: 'status', then: 'supplement_requested', now: 'processing' },
    ]);
    expect(mapping(report, 'submitResponse').counts).toEqual(same(12));
    expect(report.failing).toBe(false);
  });

  it('shows a renamed vendor field in a response mapping as the failing mapping, with an example', async () => {
    const report = await agency.context.workbench.preview(
      agency.context.edited(
        'NopHoSoResult.{\n        "agencyDossierCode": MaHoSo',
        'NopHoSoResult.{\n        "agencyDossierCode": SoHoSo',
      ),
    );
    expect(report.failing).toBe(true);
    const receipts = mapping(report, 'submitResponse');
    expect(receipts.counts).toMatchObject({ nowFailing: 12, same: 0 });
    expect(receipts.examples.nowFailing?.[0]).toMatchObject({
      error: expect.stringMatching(/submitResponse/),
      then: { agencyDossierCode: expect.stringMatching(/^000\.00\.53\.H48-/) },
    });
    // Only submitResponse was edited: look-up answers still read the same.
    expect(mapping(report, 'lookupResponse').counts).toEqual(same(4));
    expect(report.dossiersChangedTotal).toBe(12);
  });

  it('shows a renamed field in a request mapping field by field, personal data masked', async () => {
    const report = await agency.context.workbench.preview(
      agency.context.edited('"MaBuuGui": dossier.inboundItemId', '"SoBuuGui": dossier.inboundItemId'),
    );
    const requests = mapping(report, 'submitRequest');
    expect(requests.counts).toMatchObject({ changed: 12, same: 0 });
    const example = requests.examples.changed![0];
    expect(example.fields).toEqual([
      { path: 'NopHoSo.HoSo.MaBuuGui', then: expect.stringMatching(/^EC\d+VN$/), now: undefined },
      { path: 'NopHoSo.HoSo.SoBuuGui', then: undefined, now: expect.stringMatching(/^EC\d+VN$/) },
    ]);
    expect(JSON.stringify(report)).not.toContain('048185000123');
    expect(report.failing).toBe(false);
  });

  it("counts the candidate's evaluations the fast evaluator hands to JSONata, apart from the live counts", async () => {
    const before = mappingFallbackCounts();
    const report = await agency.context.workbench.preview(
      agency.context.edited('"note": GhiChu,', '"note": GhiChu,\n        "loud": $uppercase(GhiChu),'),
    );
    const status = mapping(report, 'statusChange');
    expect(status.counts.same).toBe(status.replayed);
    expect(status.fallbacks).toBe(status.replayed);
    expect(mapping(report, 'submitRequest').fallbacks).toBe(0);
    // Neither /metrics (the process's counts) nor the next diff sees them.
    expect(mappingFallbackCounts()).toEqual(before);
    const again = await agency.context.workbench.preview(agency.context.edited('', ''));
    expect(mapping(again, 'statusChange').fallbacks).toBe(0);
  });
});

describe('agencies diff over a CSV-drop agency history seeded through the csv-drop adapter and vendor C (PostgreSQL)', () => {
  const agency = seededAgency(
    'workbench_csv',
    '000.00.21.H48',
    async (root) => {
      const simulator = await CsvAgencySimulator.start({
        rootDir: join(root, 'sontra'),
        agencyCode: '000.00.21.H48',
        pollMs: 10,
      });
      const file = fixture('csv-drop')
        .replace(/^(\s+endpoint:\s*).*$/m, `$1file://${simulator.rootDir}`)
        .replaceAll('/srv/bridge-files/sontra/vao', simulator.inboxDir)
        .replaceAll('/srv/bridge-files/sontra/ra', simulator.outboxDir)
        .replaceAll('/srv/bridge-files/sontra/bridge', join(simulator.rootDir, 'bridge'))
        .replace('receiptPollMs: 1000', 'receiptPollMs: 20\n    stableMs: 0');
      return { simulator, file };
    },
    seedCsvHistory,
    8,
  );

  it('reports every dropped file and status row the same for the unchanged file', async () => {
    const report = await agency.context.workbench.preview(agency.context.edited('', ''));
    expect(report.failing).toBe(false);
    expect(report.messagesRead).toBe(agency.history.messages);
    const counts = countsOf(report);
    expect(counts.submitRequest).toEqual(same(8));
    expect(counts.deliveryRequest).toEqual(same(agency.history.delivered.length));
    // Each dossier's receipt row (TN) and the row of its status change.
    expect(counts.statusChange).toEqual(same(16));
    const files = mapping(report, 'statusFile');
    expect(files.counts.same).toBe(files.replayed);
    expect(files.replayed).toBeGreaterThan(0);
    expect(report.dossiersChangedTotal).toBe(0);
    expect(report.maskedFields).toEqual(
      expect.arrayContaining(['submitRequest: [].SoDienThoai', 'submitRequest: [].SoGiayTo']),
    );
    expect(report.notReplayed).toEqual({});
  });

  it('names exactly the dossiers whose conclusion a changed status table changes', async () => {
    const { report, expected } = await supplementAsProcessing(
      agency,
      'BS: supplement_requested',
      'BS: processing',
    );
    expect(expected).toHaveLength(2);
    expect(new Set(report.dossiersChanged)).toEqual(new Set(expected));
    expect(mapping(report, 'statusChange').counts).toMatchObject({ changed: 2, same: 14 });
    expect(mapping(report, 'statusChange').examples.changed?.[0].fields).toEqual([
      { path: 'status', then: 'supplement_requested', now: 'processing' },
    ]);
    expect(report.failing).toBe(false);
  });

  it('shows a renamed vendor column as the failing status files, with an example', async () => {
    const report = await agency.context.workbench.preview(
      agency.context.edited('statusCode: TrangThai', 'statusCode: TinhTrang'),
    );
    expect(report.failing).toBe(true);
    const files = mapping(report, 'statusFile');
    expect(files.counts.nowFailing).toBe(files.replayed);
    expect(files.examples.nowFailing?.[0].error).toMatch(/missing column\(s\) TinhTrang/);
  });

  it('shows a renamed field of the dropped file field by field', async () => {
    const report = await agency.context.workbench.preview(
      agency.context.edited('"MaBuuGui": dossier.inboundItemId', '"SoBuuGui": dossier.inboundItemId'),
    );
    const requests = mapping(report, 'submitRequest');
    expect(requests.counts).toMatchObject({ changed: 8, same: 0 });
    expect(requests.examples.changed?.[0].fields?.map((f) => f.path)).toEqual([
      '[0].MaBuuGui',
      '[0].SoBuuGui',
    ]);
  });
});

describe('agencies diff over an iGate agency history seeded through the igate-legacy adapter and its simulator (PostgreSQL)', () => {
  const agency = seededAgency(
    'workbench_igate',
    '000.00.61.H48',
    async () => {
      const simulator = await IgateLegacyAgencySimulator.start({
        appCode: 'BUUDIEN_HV',
        signingKey: 'khoa-ky-hoa-vang',
      });
      const file = fixture('igate-legacy')
        .replace(/^(\s+endpoint:\s*).*$/m, `$1${simulator.url}`)
        .replace('${secret:hoavang-igate-signing-key}', 'khoa-ky-hoa-vang');
      return { simulator, file };
    },
    seedIgateHistory,
    8,
  );

  it('says plainly that the file has no mappings, and compares its status table over the answers', async () => {
    const report = await agency.context.workbench.preview(agency.context.edited('', ''));
    expect(report.notes).toEqual([
      expect.stringMatching(/has no mappings: .* only the status table and time zone/),
    ]);
    expect(countsOf(report)).toEqual({
      submitResponse: same(8),
      lookupResponse: same(3),
      statusChange: same(8 + agency.history.delivered.length),
    });
    expect(report.failing).toBe(false);
  });

  it('names exactly the dossiers whose conclusion a changed status table changes', async () => {
    const { report, expected } = await supplementAsProcessing(
      agency,
      "'03': supplement_requested",
      "'03': processing",
    );
    expect(expected).toHaveLength(2);
    expect(new Set(report.dossiersChanged)).toEqual(new Set(expected));
    expect(mapping(report, 'statusChange').counts).toMatchObject({ changed: 2 });
  });
});
