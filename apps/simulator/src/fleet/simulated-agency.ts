import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AdapterKind } from '@bridge/adapter-sdk';
import { AgencyFile } from '@bridge/core';
import { DossierStatus } from '@bridge/domain';
import { CsvAgencySimulator } from '../agencies/csv-agency';
import { VENDOR_C_STATUS_CODES } from '../agencies/csv-agency-dialect';
import { IgateLegacyAgencySimulator } from '../agencies/igate-legacy-agency';
import { RestAgencySimulator } from '../agencies/rest-agency';
import { HoSoTaiQuayB, VENDOR_B_STATUS } from '../agencies/rest-agency-dialect';
import { SoapAgencySimulator } from '../agencies/soap-agency';

/** One dossier as an agency's officers see it, whatever the vendor. */
export interface AgencyDossierView {
  /** The agency's own dossier code. */
  code: string;
  /** The bridge id it was filed under ('' for a dossier handed in at the desk). */
  bridgeId: string;
  status: DossierStatus | 'unknown';
  /** Supplements received (vendor C files them without changing the status). */
  supplements: number;
}

/**
 * A running agency simulator behind one shape, so the fleet can drive every vendor alike.
 * `registerAtDesk` and `setFilingCheck` exist only where the vendor's simulator offers them.
 */
export interface SimulatedAgency {
  readonly file: AgencyFile;
  readonly kind: string;
  dossiers(): AgencyDossierView[];
  drive(code: string, status: DossierStatus, note?: string): Promise<void>;
  setDown(down: boolean): Promise<void>;
  filedCount(bridgeId: string): Promise<number>;
  close(): Promise<void>;
  registerAtDesk?(details: HoSoTaiQuayB): string;
  setFilingCheck?(check: ((body: Record<string, unknown>) => string | undefined) | undefined): void;
}

const invert = <K extends string>(table: Partial<Record<DossierStatus, K>>): Map<string, DossierStatus> =>
  new Map(Object.entries(table).map(([status, code]) => [code as string, status as DossierStatus]));
const VENDOR_A = new Map<string, DossierStatus>([
  ['2', 'received'],
  ['3', 'rejected'],
  ['4', 'processing'],
  ['5', 'supplement_requested'],
  ['7', 'cancelled'],
  ['9', 'result_ready'],
  ['10', 'completed'],
]);
const VENDOR_B = invert(VENDOR_B_STATUS);
const IGATE = new Map<string, DossierStatus>([
  ['01', 'received'],
  ['02', 'processing'],
  ['03', 'supplement_requested'],
  ['04', 'result_ready'],
  ['05', 'rejected'],
  ['06', 'completed'],
  ['07', 'cancelled'],
]);

function portOf(endpoint: string, code: string): number {
  const port = Number(new URL(endpoint).port);
  if (!port) throw new Error(`agency ${code}: endpoint ${endpoint} names no port for its simulator`);
  return port;
}

function credentials(file: AgencyFile): { username: string; password: string } {
  const auth = file.adapter?.auth as { username?: string; password?: string } | undefined;
  if (!auth?.username || !auth.password)
    throw new Error(`agency ${file.code}: its auth needs a username and password`);
  return { username: auth.username, password: auth.password };
}

async function startSoap(file: AgencyFile): Promise<SimulatedAgency> {
  const adapter = file.adapter!;
  const code = file.code;
  const sim = await SoapAgencySimulator.start({
    port: portOf(adapter.endpoint, code),
    agencyCode: code,
    credentials: credentials(file),
  });
  return {
    file,
    kind: 'soap',
    dossiers: () =>
      sim.dossiers().map((d) => ({
        code: d.MaHoSo,
        bridgeId: d.MaHoSoLienThong,
        status: VENDOR_A.get(d.TrangThaiHoSo) ?? 'unknown',
        supplements: 0,
      })),
    drive: (c, s, n) => sim.driveStatus(c, s, n),
    setDown: (down) => sim.setDown(down),
    filedCount: (key) => sim.filedCount(key),
    close: () => sim.close(),
  };
}

async function startRest(file: AgencyFile): Promise<SimulatedAgency> {
  const adapter = file.adapter!;
  const code = file.code;
  const { username, password } = credentials(file);
  const sim = await RestAgencySimulator.start({
    port: portOf(adapter.endpoint, code),
    agencyCode: code,
    auth: { mode: 'session', username, password },
  });
  return {
    file,
    kind: 'rest',
    dossiers: () =>
      sim.dossiers().map((d) => ({
        code: d.maHoSo,
        bridgeId: d.maHoSoLienThong,
        status: VENDOR_B.get(d.trangThai) ?? 'unknown',
        supplements: d.danhSachBoSung.length,
      })),
    drive: (c, s, n) => sim.driveStatus(c, s, n),
    setDown: async (down) => sim.setDown(down),
    filedCount: (key) => sim.filedCount(key),
    close: () => sim.close(),
    registerAtDesk: (details) => sim.registerAtDesk(details).maHoSo,
    setFilingCheck: (check) => sim.setFilingCheck(check),
  };
}

async function startCsvDrop(file: AgencyFile, root: string): Promise<SimulatedAgency> {
  const adapter = file.adapter!;
  const code = file.code;
  const options = adapter.options as { inboxDir: string; outboxDir: string };
  const rootDir = resolve(root, dirname(options.inboxDir));
  if (
    resolve(root, options.inboxDir) !== resolve(rootDir, 'inbox') ||
    resolve(root, options.outboxDir) !== resolve(rootDir, 'outbox')
  ) {
    throw new Error(
      `agency ${code}: the simulator needs inboxDir and outboxDir as <folder>/inbox and <folder>/outbox`,
    );
  }
  await rm(rootDir, { recursive: true, force: true });
  const sim = await CsvAgencySimulator.start({ rootDir, agencyCode: code, pollMs: 100 });
  return {
    file,
    kind: 'csv-drop',
    dossiers: () =>
      sim.dossiers().map((d) => ({
        code: d.maHoSo,
        bridgeId: d.maHoSoLienThong,
        status: VENDOR_C_STATUS_CODES[d.trangThai] ?? 'unknown',
        supplements: d.supplements.length,
      })),
    drive: (c, s, n) => sim.driveStatus(c, s, n),
    setDown: async (down) => sim.setDown(down),
    filedCount: (key) => sim.filedCount(key),
    close: () => sim.close(),
  };
}

async function startIgateLegacy(file: AgencyFile): Promise<SimulatedAgency> {
  const adapter = file.adapter!;
  const code = file.code;
  const { username, password } = credentials(file);
  const sim = await IgateLegacyAgencySimulator.start({
    port: portOf(adapter.endpoint, code),
    appCode: username,
    signingKey: password,
    agencyCode: code,
  });
  return {
    file,
    kind: 'igate-legacy',
    dossiers: () =>
      sim.dossiers().map((d) => ({
        code: d.maHoSo,
        bridgeId: d.maLienThong,
        status: IGATE.get(d.trangThai) ?? 'unknown',
        supplements: 0,
      })),
    drive: (c, s, n) => sim.driveStatus(c, s, n),
    setDown: async (down) => sim.setDown(down),
    filedCount: (key) => sim.filedCount(key),
    close: () => sim.close(),
  };
}

/** One simulator per adapter kind: a kind without one does not compile. */
const STARTERS = {
  [AdapterKind.Soap]: startSoap,
  [AdapterKind.Rest]: startRest,
  [AdapterKind.CsvDrop]: startCsvDrop,
  [AdapterKind.IgateLegacy]: startIgateLegacy,
} satisfies Record<AdapterKind, (file: AgencyFile, root: string) => Promise<SimulatedAgency>>;

/**
 * Starts the simulator an agency file describes: its vendor (adapter kind), on the port or in
 * the folders the file names, accepting the credentials it carries (secrets already resolved).
 * `root` resolves relative folders, as the bridge does from its working directory.
 */
export async function startSimulatedAgency(file: AgencyFile, root: string): Promise<SimulatedAgency> {
  const start: ((file: AgencyFile, root: string) => Promise<SimulatedAgency>) | undefined =
    STARTERS[file.adapter!.kind];
  if (!start)
    throw new Error(`agency ${file.code}: no simulator for adapter kind ${String(file.adapter!.kind)}`);
  return start(file, root);
}
