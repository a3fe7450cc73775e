import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import { DossierStatus } from '@bridge/domain';
import {
  VendorCEncoding,
  VendorCStatusRow,
  decodeVendorC,
  encodeVendorC,
  parseVendorCCsv,
  renderVendorCStatus,
  vendorCCodeOf,
  vendorCDate,
  writeVendorCFile,
} from './csv-agency-dialect';
import { CsvAgencyDossier, CsvAgencyState } from './csv-agency-state';

/** Start options of the vendor C (CSV file-drop) simulator. */
export interface CsvAgencyOptions {
  /** Folder holding `inbox/` and `outbox/`; a fresh temporary folder when absent. */
  rootDir?: string;
  /** Agency code that prefixes issued dossier codes. */
  agencyCode?: string;
  /** How it writes its status files (default Windows-1258, like the old software it imitates). */
  encoding?: VendorCEncoding;
  /** Done-file suffix it expects and writes (default `.done`); null for none. */
  doneFileSuffix?: string | null;
  /** How often it looks at its inbox (default 50 ms). */
  pollMs?: number;
  /** How long after a file appears it is filed. */
  latencyMs?: number;
  /** Stopped: files pile up unread and nothing is written. */
  down?: boolean;
  /** De-duplicate submissions on MaHoSoLienThong (default true). */
  dedupe?: boolean;
  /** File prefixes of the bridge's drops (defaults NOP, BOSUNG, TRAKQ). */
  prefixes?: { submit?: string; supplement?: string; delivered?: string };
}

/**
 * A mock of "one-stop vendor C": watches `inbox/` for the bridge's CSV files (polling, done-
 * files), files submissions — once per MaHoSoLienThong — and answers with receipt and status
 * files in `outbox/`, in Windows-1258 or UTF-8 with BOM. Faults: latency, downtime, and a
 * share that disappears (`setFolderMissing`).
 */
export class CsvAgencySimulator {
  readonly inboxDir: string;
  readonly outboxDir: string;
  private readonly state: CsvAgencyState;
  private readonly firstSeen = new Map<string, number>();
  private readonly pending: VendorCStatusRow[][] = [];
  private timer?: NodeJS.Timeout;
  private tick?: Promise<void>;
  private missing = false;
  private sequence = 0;
  /** Files it could not read, with the reason (moved to `inbox/loi/`). */
  readonly unreadable: { file: string; reason: string }[] = [];

  private constructor(
    readonly rootDir: string,
    private readonly options: CsvAgencyOptions,
    private readonly ownsRoot: boolean,
  ) {
    this.inboxDir = path.join(rootDir, 'inbox');
    this.outboxDir = path.join(rootDir, 'outbox');
    this.state = new CsvAgencyState(options.agencyCode ?? '000.00.53.H48', options.dedupe ?? true);
  }

  /** Creates the folders and starts watching the inbox. */
  static async start(options: CsvAgencyOptions = {}): Promise<CsvAgencySimulator> {
    const root = options.rootDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'vendor-c-')));
    const agency = new CsvAgencySimulator(root, { ...options }, !options.rootDir);
    await fs.mkdir(agency.inboxDir, { recursive: true });
    await fs.mkdir(agency.outboxDir, { recursive: true });
    agency.schedule();
    return agency;
  }

  private get doneSuffix(): string | undefined {
    return this.options.doneFileSuffix === null ? undefined : (this.options.doneFileSuffix ?? '.done');
  }

  setDown(down: boolean): void {
    this.options.down = down;
  }
  setLatency(ms: number): void {
    this.options.latencyMs = ms;
  }

  /** Takes the shared folders away (an unmounted share) or brings them back. */
  async setFolderMissing(missing: boolean): Promise<void> {
    if (missing === this.missing) return;
    await this.tick;
    for (const dir of [this.inboxDir, this.outboxDir]) {
      if (missing) await fs.rename(dir, `${dir}.offline`);
      else await fs.rename(`${dir}.offline`, dir);
    }
    this.missing = missing;
  }

  /** An officer changes a dossier's status; the change is exported as a status file. */
  async driveStatus(agencyDossierCode: string, status: DossierStatus, note?: string): Promise<void> {
    const code = vendorCCodeOf(status);
    if (!code) throw new Error(`vendor C has no status code for "${status}"`);
    const dossier = this.state.setStatus(agencyDossierCode, code);
    this.pending.push([
      {
        MaHoSo: dossier.maHoSo,
        MaHoSoLienThong: dossier.maHoSoLienThong,
        TrangThai: code,
        NgayCapNhat: vendorCDate(),
        GhiChu: note,
      },
    ]);
    await this.flush();
  }

  /** How many dossiers it filed under this bridge id (1 when de-duplicating works). */
  async filedCount(idempotencyKey: string): Promise<number> {
    return this.state.filedCount(idempotencyKey);
  }

  /** How many submission files it received for this bridge id. */
  submissionFileCount(idempotencyKey: string): number {
    return this.state.submissionFiles(idempotencyKey);
  }

  dossiers(): CsvAgencyDossier[] {
    return this.state.all();
  }

  /** Writes an arbitrary status file into its outbox (for tests of the bridge's reader). */
  async writeStatusFile(name: string, rows: VendorCStatusRow[], encoding = this.encoding): Promise<string> {
    await writeVendorCFile(
      this.outboxDir,
      name,
      encodeVendorC(renderVendorCStatus(rows), encoding),
      this.doneSuffix,
    );
    return path.join(this.outboxDir, name);
  }

  private get encoding(): VendorCEncoding {
    return this.options.encoding ?? 'windows-1258';
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tick;
    if (this.ownsRoot) await fs.rm(this.rootDir, { recursive: true, force: true });
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.tick = this.processInbox()
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) this.schedule();
        });
    }, this.options.pollMs ?? 50);
  }

  private async flush(): Promise<void> {
    if (this.options.down || this.missing) return;
    while (this.pending.length) {
      const rows = this.pending[0];
      const stamp = DateTime.now().toFormat('yyyyMMddHHmmssSSS');
      const kind = rows[0].TrangThai === 'TN' ? 'TIEPNHAN' : 'TRANGTHAI';
      await this.writeStatusFile(`${kind}_${stamp}_${++this.sequence}.csv`, rows);
      this.pending.shift();
    }
  }

  private async processInbox(): Promise<void> {
    if (this.options.down || this.missing) return;
    await this.flush();
    const names = await fs.readdir(this.inboxDir);
    const done = this.doneSuffix;
    for (const name of names.sort()) {
      if (name.startsWith('.') || !name.endsWith('.csv')) continue;
      if (done && !names.includes(`${name}${done}`)) continue;
      const seen = this.firstSeen.get(name) ?? Date.now();
      this.firstSeen.set(name, seen);
      if (Date.now() - seen < (this.options.latencyMs ?? 0)) continue;
      await this.fileOne(name);
      this.firstSeen.delete(name);
    }
    await this.flush();
  }

  private async fileOne(name: string): Promise<void> {
    const file = path.join(this.inboxDir, name);
    const prefixes = { submit: 'NOP', supplement: 'BOSUNG', delivered: 'TRAKQ', ...this.options.prefixes };
    let target = 'da-xu-ly';
    try {
      const rows = parseVendorCCsv(decodeVendorC(await fs.readFile(file)));
      if (name.startsWith(`${prefixes.submit}_`)) {
        for (const row of rows) this.pending.push([this.receiptRow(this.state.file(row))]);
      } else if (name.startsWith(`${prefixes.supplement}_`)) {
        for (const row of rows) this.state.supplement(row);
      } else if (name.startsWith(`${prefixes.delivered}_`)) {
        for (const row of rows) this.state.delivered(row);
      } else {
        throw new Error('unknown file prefix');
      }
    } catch (error) {
      target = 'loi';
      this.unreadable.push({ file: name, reason: (error as Error).message });
    }
    await fs.mkdir(path.join(this.inboxDir, target), { recursive: true });
    await fs.rename(file, path.join(this.inboxDir, target, name));
    if (this.doneSuffix) await fs.rm(`${file}${this.doneSuffix}`, { force: true });
  }

  private receiptRow(dossier: CsvAgencyDossier): VendorCStatusRow {
    return {
      MaHoSo: dossier.maHoSo,
      MaHoSoLienThong: dossier.maHoSoLienThong,
      TrangThai: 'TN',
      NgayCapNhat: vendorCDate(dossier.receivedAt),
      NgayHenTra: vendorCDate(dossier.appointmentAt),
      GhiChu: `Tiếp nhận hồ sơ qua bưu điện: ${dossier.chuHoSo}`,
    };
  }
}
