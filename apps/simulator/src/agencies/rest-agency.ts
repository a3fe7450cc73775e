import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DossierStatus } from '@bridge/domain';
import { GiayToB, HoSoB, HoSoTaiQuayB, invalidFiling, ThayDoiB, vendorBNow } from './rest-agency-dialect';
import { jsonOf, readBody, sendHtml, sendJson, sleep } from './rest-agency-http';
import { RestAgencyState } from './rest-agency-state';

/** How the simulated vendor B authenticates callers. */
export type RestAgencyAuth =
  | { mode: 'session'; username: string; password: string; tokenTtlSeconds?: number }
  | { mode: 'api-key'; header?: string; key: string };

/** Start options of the vendor B simulator. */
export interface RestAgencyOptions {
  port?: number;
  auth: RestAgencyAuth;
  /** Agency code that prefixes issued dossier codes. */
  agencyCode?: string;
  latencyMs?: number;
  /** Share of requests answered 500, 0..1. */
  errorRate?: number;
  down?: boolean;
  /** De-duplicate filings on the idempotency key (default true); false files every request. */
  dedupe?: boolean;
  /** Push every status change here, signed with HMAC-SHA256 of `callbackSecret` in X-Chu-Ky. */
  callbackUrl?: string;
  callbackSecret?: string;
}

/** Header vendor B signs its callbacks in: `X-Chu-Ky: sha256=<hex>`. */
export const VENDOR_B_SIGNATURE_HEADER = 'X-Chu-Ky';

/**
 * A mock of "one-stop vendor B": a REST/JSON one-stop system speaking its own dialect over
 * real HTTP, with session login or API-key auth, idempotent filing, a change feed, signed
 * callbacks and switchable faults (latency, 500s, 429 with Retry-After, downtime).
 */
export class RestAgencySimulator {
  private readonly state: RestAgencyState;
  private readonly sessions = new Map<string, number>();
  private readonly pushes = new Set<Promise<void>>();
  private throttleSeconds?: number;
  private filingCheck?: (body: Record<string, unknown>) => string | undefined;
  /** Number of successful logins (session mode), to see a client reuse its token. */
  loginCount = 0;
  /** Number of requests served, whatever the answer. */
  requestCount = 0;
  private detailLookups = 0;
  /** Failed callback deliveries. */
  readonly callbackFailures: string[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: RestAgencyOptions,
  ) {
    this.state = new RestAgencyState(options.agencyCode ?? '000.00.53.H48', options.dedupe ?? true, (c) =>
      this.push(c),
    );
  }

  /** Starts listening on 127.0.0.1 (`port: 0` picks a free port). */
  static async start(options: RestAgencyOptions): Promise<RestAgencySimulator> {
    const server = createServer();
    const agency = new RestAgencySimulator(server, { ...options });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      agency.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { thongBao: `Lỗi hệ thống: ${(error as Error).message}` });
      });
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
  /** Answers every request 429 with `Retry-After: seconds` until called with undefined. */
  setThrottle(seconds: number | undefined): void {
    this.throttleSeconds = seconds;
  }
  setCallback(url: string | undefined, secret?: string): void {
    this.options.callbackUrl = url;
    this.options.callbackSecret = secret;
  }
  /** Ends every session, as when the vendor restarts: clients must log in again. */
  expireSessions(): void {
    this.sessions.clear();
  }

  /**
   * Adds a rule of the agency's own (its procedure catalogue, say): a filing for which `check`
   * returns a message is refused with 400 and that message. Undefined removes the rule.
   */
  setFilingCheck(check: ((body: Record<string, unknown>) => string | undefined) | undefined): void {
    this.filingCheck = check;
  }

  /** An officer registers a dossier handed in at the desk whose result the post returns. */
  registerAtDesk(details: HoSoTaiQuayB): HoSoB {
    return structuredClone(this.state.registerAtDesk(details));
  }

  /** Requests to GET /api/hoso/{code} answered so far. */
  get lookupCount(): number {
    return this.detailLookups;
  }

  async driveStatus(agencyDossierCode: string, status: DossierStatus, note?: string): Promise<void> {
    this.state.drive(agencyDossierCode, status, note);
  }
  /** Dossiers filed under this key (with de-duplication on, never more than 1). */
  async filedCount(idempotencyKey: string): Promise<number> {
    return this.state.filedCount(idempotencyKey);
  }
  /**
   * Filing requests under this key that came in after an earlier filing's answer reached the
   * caller; with de-duplication on they are merged, without it each would be a second dossier.
   */
  filingsAfterReceipt(idempotencyKey: string): number {
    return this.state.filingsAfterReceipt(idempotencyKey);
  }

  /** When the first filing for `idempotencyKey` (the bridge id) arrived, in ms since the epoch. */
  filingArrivedAt(idempotencyKey: string): number | undefined {
    return this.state.filingArrivedAt(idempotencyKey);
  }
  dossiers(): HoSoB[] {
    return this.state.all();
  }
  changes(): ThayDoiB[] {
    return [...this.state.changes];
  }

  /** Stops listening after pending callbacks went out. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pushes]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrival = ++this.requestCount;
    const raw = await readBody(req);
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    if (this.options.down)
      return sendHtml(res, 503, '<html><body><h1>Hệ thống đang bảo trì</h1></body></html>');
    if (this.throttleSeconds !== undefined) {
      return sendJson(
        res,
        429,
        { thongBao: 'Quá nhiều yêu cầu' },
        { 'retry-after': String(this.throttleSeconds) },
      );
    }
    if (this.options.errorRate && Math.random() < this.options.errorRate) {
      return sendJson(res, 500, { thongBao: 'Lỗi hệ thống, vui lòng thử lại' });
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /api/dangnhap') return this.login(res, jsonOf(raw));
    if (!this.authorized(req))
      return sendJson(res, 401, { thongBao: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn' });
    const key = header(req, 'idempotency-key');
    const body = jsonOf(raw) as Record<string, unknown> | undefined;
    if (route === 'GET /api/trangthaihethong')
      return sendJson(res, 200, { trangThai: 'HOAT_DONG', phienBan: '2.4.1' });
    if (route === 'POST /api/hoso') return this.fileDossier(res, key, body, arrival);
    if (route === 'GET /api/hoso') {
      const found = this.state.byKey(url.searchParams.get('maHoSoLienThong') ?? '');
      return sendJson(res, 200, { tongSo: found.length, duLieu: found });
    }
    if (route === 'GET /api/thaydoi') {
      const page = this.state.since(
        url.searchParams.get('sau'),
        Number(url.searchParams.get('soLuong') ?? 100),
      );
      const conTro = page.length ? String(page[page.length - 1].id) : (url.searchParams.get('sau') ?? '');
      return sendJson(res, 200, { duLieu: page, conTro });
    }
    const action = /^POST \/api\/hoso\/([^/]+)\/(bosung|traketqua)$/.exec(route);
    if (action) return this.dossierAction(res, decodeURIComponent(action[1]), action[2], key, body);
    const detail = /^GET \/api\/hoso\/([^/]+)$/.exec(route);
    if (detail) {
      // Vendor B finds a dossier by its own code or by the bridge id it was filed under.
      const ma = decodeURIComponent(detail[1]);
      this.detailLookups++;
      const hoSo = this.state.get(ma) ?? this.state.byKey(ma)[0];
      return hoSo ? sendJson(res, 200, hoSo) : sendJson(res, 404, { thongBao: 'Không tìm thấy hồ sơ' });
    }
    sendJson(res, 404, { thongBao: `Không có chức năng ${route}` });
  }

  private login(res: ServerResponse, body: unknown): void {
    const auth = this.options.auth;
    const b = (body ?? {}) as { tenDangNhap?: string; matKhau?: string };
    if (auth.mode !== 'session') return sendJson(res, 404, { thongBao: 'Hệ thống dùng khóa API' });
    if (b.tenDangNhap !== auth.username || b.matKhau !== auth.password) {
      return sendJson(res, 401, { thongBao: 'Sai tên đăng nhập hoặc mật khẩu' });
    }
    const token = randomBytes(24).toString('hex');
    const ttl = auth.tokenTtlSeconds ?? 1800;
    this.sessions.set(token, Date.now() + ttl * 1000);
    this.loginCount++;
    sendJson(res, 200, { token, hetHanSau: ttl });
  }

  private authorized(req: IncomingMessage): boolean {
    const auth = this.options.auth;
    if (auth.mode === 'api-key') return header(req, auth.header ?? 'x-api-key') === auth.key;
    const token = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
    const expires = token ? this.sessions.get(token) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  private fileDossier(
    res: ServerResponse,
    key: string | undefined,
    body: Record<string, unknown> | undefined,
    arrival: number,
  ): void {
    const problem = invalidFiling(body) ?? (body && this.filingCheck?.(body));
    if (problem) return sendJson(res, 400, { thongBao: problem, maLoi: 'DU_LIEU_KHONG_HOP_LE' });
    const filingKey = key ?? String(body!.maHoSoLienThong);
    this.state.filingRequested(filingKey, arrival);
    const { hoSo, created } = this.state.file(filingKey, body!);
    const { maHoSo, ngayTiepNhan, ngayHenTra, trangThai } = hoSo;
    // 'finish' only when the answer went out on a live connection, not to a caller that gave up.
    const arrivals = this.requestCount;
    res.once('finish', () => this.state.receiptDelivered(filingKey, arrivals));
    sendJson(res, created ? 201 : 200, { maHoSo, ngayTiepNhan, ngayHenTra, trangThai });
  }

  private dossierAction(
    res: ServerResponse,
    code: string,
    action: string,
    key: string | undefined,
    body: Record<string, unknown> | undefined,
  ): void {
    const replay = this.state.replyFor(key);
    if (replay) return sendJson(res, 200, replay);
    const hoSo = this.state.get(code);
    if (!hoSo) return sendJson(res, 404, { thongBao: `Không tìm thấy hồ sơ ${code}` });
    if (!body) return sendJson(res, 400, { thongBao: 'Nội dung yêu cầu phải là JSON' });
    if (action === 'bosung') {
      if (!Array.isArray(body.danhSachGiayTo))
        return sendJson(res, 400, { thongBao: 'Thiếu trường danhSachGiayTo' });
      hoSo.danhSachBoSung.push({
        ngayNop: typeof body.ngayNop === 'string' ? body.ngayNop : vendorBNow(),
        danhSachGiayTo: body.danhSachGiayTo as GiayToB[],
      });
      if (hoSo.trangThai === 'CHO_BO_SUNG') this.state.move(hoSo, 'DANG_XU_LY', 'Đã nhận hồ sơ bổ sung');
    } else {
      hoSo.maBuuGuiKetQua = typeof body.maBuuGui === 'string' ? body.maBuuGui : undefined;
      hoSo.ngayTra = typeof body.ngayTra === 'string' ? body.ngayTra : vendorBNow();
      this.state.move(hoSo, 'DA_TRA', 'Bưu điện đã phát kết quả cho công dân');
    }
    const reply = { ketQua: 'THANH_CONG', maHoSo: code };
    this.state.remember(key, reply);
    sendJson(res, 200, reply);
  }

  private push(change: ThayDoiB): void {
    const { callbackUrl, callbackSecret } = this.options;
    if (!callbackUrl) return;
    const body = JSON.stringify(change);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (callbackSecret) {
      headers[VENDOR_B_SIGNATURE_HEADER] =
        `sha256=${createHmac('sha256', callbackSecret).update(body).digest('hex')}`;
    }
    const sent = fetch(callbackUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) })
      .then((r) => {
        if (!r.ok) this.callbackFailures.push(`${change.id}: HTTP ${r.status}`);
      })
      .catch((error: unknown) => {
        this.callbackFailures.push(`${change.id}: ${(error as Error).message}`);
      })
      .finally(() => this.pushes.delete(sent));
    this.pushes.add(sent);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
