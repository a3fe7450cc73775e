import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { DossierStatus } from '@bridge/domain';

/** Start options of the legacy iGate simulator. */
export interface IgateLegacyAgencyOptions {
  port?: number;
  /** App code and signing key the agency issued to the post. */
  appCode: string;
  signingKey: string;
  agencyCode?: string;
  latencyMs?: number;
  errorRate?: number;
  down?: boolean;
  /** Largest accepted clock difference of a request timestamp (default 300 s). */
  maxSkewSeconds?: number;
}

/** iGate's two-digit status codes. */
const IGATE_STATUS: Partial<Record<DossierStatus, string>> = {
  received: '01',
  processing: '02',
  supplement_requested: '03',
  result_ready: '04',
  rejected: '05',
  completed: '06',
  cancelled: '07',
};

interface IgateDossier {
  maHoSo: string;
  maLienThong: string;
  fields: string[];
  trangThai: string;
  ngayNhan: string;
  ngayHenTra: string;
}
interface IgateChange {
  seq: number;
  maHoSo: string;
  maLienThong: string;
  trangThai: string;
  thoiGian: string;
  ghiChu: string;
}

const ZONE = 'Asia/Ho_Chi_Minh';
const stamp = (t: DateTime = DateTime.now()) => t.setZone(ZONE).toFormat('yyyyMMddHHmmss');
const pad = (text: string, width: number) => text.slice(0, width).padEnd(width, ' ');

/**
 * A mock legacy iGate one-stop system: one servlet taking signed, pipe-delimited form posts
 * and answering fixed-width text in UTF-8. De-duplicates filings on the liaison code (the
 * bridge id) and keeps a numbered change feed.
 */
export class IgateLegacyAgencySimulator {
  private readonly byCode = new Map<string, IgateDossier>();
  private readonly filings = new Map<string, number>();
  private readonly changes: IgateChange[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: IgateLegacyAgencyOptions,
  ) {}

  static async start(options: IgateLegacyAgencyOptions): Promise<IgateLegacyAgencySimulator> {
    const server = createServer();
    const agency = new IgateLegacyAgencySimulator(server, { ...options });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      agency
        .handle(req, res)
        .catch((e: unknown) => agency.answer(res, '9999', `Loi he thong: ${(e as Error).message}`));
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    return agency;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  setDown(down: boolean): void {
    this.options.down = down;
  }
  setLatency(ms: number): void {
    this.options.latencyMs = ms;
  }
  setErrorRate(rate: number): void {
    this.options.errorRate = rate;
  }
  async filedCount(key: string): Promise<number> {
    return this.filings.get(key) ?? 0;
  }
  dossiers(): IgateDossier[] {
    return [...this.byCode.values()].map((d) => structuredClone(d));
  }

  async driveStatus(code: string, status: DossierStatus, note = ''): Promise<void> {
    const dossier = this.byCode.get(code);
    const vendor = IGATE_STATUS[status];
    if (!dossier || !vendor) throw new Error(`iGate simulator cannot move ${code} to ${status}`);
    this.move(dossier, vendor, note);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    if (this.options.down)
      return void res.writeHead(503, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>');
    if (req.method !== 'POST' || req.url !== '/igate/service.do') return void res.writeHead(404).end();
    if (this.options.errorRate && Math.random() < this.options.errorRate)
      return this.answer(res, '9999', 'Loi ket noi CSDL');
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const [cmd, user, ts, data, sig] = ['cmd', 'user', 'ts', 'data', 'sig'].map((k) => form.get(k) ?? '');
    const expected = createHmac('sha256', this.options.signingKey)
      .update(`${cmd}|${user}|${ts}|${data}`, 'utf8')
      .digest();
    const given = Buffer.from(sig, 'hex');
    if (
      user !== this.options.appCode ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      return this.answer(res, '2001', 'Chu ky khong hop le');
    }
    const sent = DateTime.fromFormat(ts, 'yyyyMMddHHmmss', { zone: ZONE });
    if (!sent.isValid || Math.abs(sent.diffNow('seconds').seconds) > (this.options.maxSkewSeconds ?? 300)) {
      return this.answer(res, '2002', 'Thoi gian yeu cau lech qua muc cho phep');
    }
    this.command(res, cmd, data.split('|'));
  }

  private command(res: ServerResponse, cmd: string, f: string[]): void {
    if (cmd === 'PING') return this.answer(res, '0000', 'iGate 3.1 san sang');
    if (cmd === 'NOPHS') {
      if (f.length < 8 || !/^\d\.\d{6}/.test(f[1]) || !f[2])
        return this.answer(res, '3001', 'Du lieu ho so khong hop le');
      const existing = [...this.byCode.values()].find((d) => d.maLienThong === f[0]);
      if (existing) return this.answer(res, '0001', 'Ho so da tiep nhan truoc do', [this.hs(existing)]);
      const now = DateTime.now().setZone(ZONE);
      const maHoSo = `${this.options.agencyCode ?? '000.00.61.H48'}-${now.toFormat('yyMMdd')}-${String(this.byCode.size + 1).padStart(4, '0')}`;
      const dossier: IgateDossier = {
        maHoSo,
        maLienThong: f[0],
        fields: f,
        trangThai: '01',
        ngayNhan: stamp(now),
        ngayHenTra: now.plus({ days: 5 }).toFormat('yyyyMMdd'),
      };
      this.byCode.set(maHoSo, dossier);
      this.filings.set(f[0], (this.filings.get(f[0]) ?? 0) + 1);
      return this.answer(res, '0000', 'Tiep nhan thanh cong', [this.hs(dossier)]);
    }
    if (cmd === 'TRACUU') {
      const found = [...this.byCode.values()].find((d) => d.maLienThong === f[0]);
      return found
        ? this.answer(res, '0000', 'OK', [this.hs(found)])
        : this.answer(res, '1001', 'Khong tim thay ho so');
    }
    if (cmd === 'BOSUNG' || cmd === 'TRAKQ') {
      const dossier = this.byCode.get(f[0]);
      if (!dossier) return this.answer(res, '1001', `Khong tim thay ho so ${f[0]}`);
      if (cmd === 'TRAKQ') this.move(dossier, '06', `Buu dien da phat ${f[1]}`);
      else if (dossier.trangThai === '03') this.move(dossier, '02', 'Da nhan bo sung');
      return this.answer(res, '0000', 'OK');
    }
    if (cmd === 'THAYDOI') {
      const after = Number(f[0]) || 0;
      const page = this.changes.filter((c) => c.seq > after).slice(0, Number(f[1]) || 100);
      const lines = page.map(
        (c) =>
          `TD${String(c.seq).padStart(10, '0')}${pad(c.maHoSo, 30)}${c.trangThai}${c.thoiGian}${pad(c.maLienThong, 36)}${c.ghiChu}`,
      );
      return this.answer(res, '0000', `${page.length} thay doi`, lines);
    }
    this.answer(res, '3002', `Lenh ${cmd} khong ho tro`);
  }

  private move(dossier: IgateDossier, trangThai: string, ghiChu: string): void {
    dossier.trangThai = trangThai;
    this.changes.push({
      seq: this.changes.length + 1,
      maHoSo: dossier.maHoSo,
      maLienThong: dossier.maLienThong,
      trangThai,
      thoiGian: stamp(),
      ghiChu,
    });
  }

  private hs(d: IgateDossier): string {
    return `HS${pad(d.maHoSo, 30)}${d.ngayHenTra}${d.trangThai}${pad(d.maLienThong, 36)}${d.ngayNhan}`;
  }

  private answer(res: ServerResponse, code: string, message: string, lines: string[] = []): void {
    const text = [`${code}${message}`, ...lines].join('\r\n') + '\r\n';
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
  }
}
