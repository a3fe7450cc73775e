import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { DossierStatus } from '@bridge/domain';
import { HoSoA, invalidFilingA, str as s, VENDOR_A_PATH, vendorAStatusOf } from './soap-agency-dialect';
import {
  readRequestBody,
  readVendorARequest,
  sendFault,
  sendHtml,
  sendResult,
  sleep,
  usernameTokenMatches,
  VendorARequest,
} from './soap-agency-protocol';
import { SoapAgencyState } from './soap-agency-state';
import { vendorAWsdl } from './soap-agency-wsdl';

/** Start options of the vendor A simulator. */
export interface SoapAgencyOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Agency code that prefixes issued dossier codes. */
  agencyCode?: string;
  latencyMs?: number;
  /** Share of requests answered with a soap:Server fault, 0..1. */
  errorRate?: number;
  down?: boolean;
  /** How downtime looks: an HTML 503 page (default) or refused connections. */
  downMode?: '503' | 'refuse';
  /** When set, every request must carry a matching WS-Security UsernameToken. */
  credentials?: { username: string; password: string };
  /** De-duplicate filings on MaHoSoLienThong (default true). */
  dedupe?: boolean;
  /** Largest page LayDanhSachThayDoi returns (default 100). */
  pageSize?: number;
}

/**
 * A mock of "one-stop vendor A": an ASP.NET-style SOAP 1.1 service (LienThong.asmx) speaking
 * its own dialect — NopHoSo, TraCuuHoSo, BoSungHoSo, XacNhanTraKetQua, LayDanhSachThayDoi,
 * KiemTraKetNoi; fields MaHoSo, MaHoSoLienThong, NgayHenTra (yyyyMMddHHmmss, Vietnam time);
 * portal status codes '1'…'10' — over real HTTP, with switchable latency, faults and downtime.
 */
export class SoapAgencySimulator {
  private readonly state: SoapAgencyState;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  /** Requests served, whatever the answer. */
  requestCount = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: SoapAgencyOptions,
  ) {
    this.state = new SoapAgencyState(options.agencyCode ?? '000.00.53.H48', options.dedupe ?? true);
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendFault(res, 'soap:Server', `Lỗi hệ thống: ${(error as Error).message}`);
      });
    });
  }

  /** Starts listening on 127.0.0.1. */
  static async start(options: SoapAgencyOptions = {}): Promise<SoapAgencySimulator> {
    const agency = new SoapAgencySimulator(createServer(), { ...options });
    await agency.listen(options.port ?? 0);
    if (options.down && options.downMode === 'refuse') await agency.stopListening();
    return agency;
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async stopListening(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** The service endpoint (what an agency file's `endpoint` holds). */
  get url(): string {
    return `http://127.0.0.1:${this.port}${VENDOR_A_PATH}`;
  }

  /** Takes the service down or back up; in `refuse` mode the port stops accepting connections. */
  async setDown(down: boolean): Promise<void> {
    this.options.down = down;
    if (this.options.downMode !== 'refuse') return;
    if (down) await this.stopListening();
    else if (!this.server.listening) await this.listen(this.port);
  }
  setLatency(ms: number): void {
    this.options.latencyMs = ms;
  }
  setErrorRate(rate: number): void {
    this.options.errorRate = rate;
  }

  /** Changes a dossier's status on the agency's side; LayDanhSachThayDoi then reports it. */
  async driveStatus(agencyDossierCode: string, status: DossierStatus, note?: string): Promise<void> {
    const hoSo = this.state.get(agencyDossierCode);
    if (!hoSo) throw new Error(`vendor A has no dossier ${agencyDossierCode}`);
    this.state.setStatus(hoSo, vendorAStatusOf(status), note);
  }

  /** How many times a bridge id was filed (1 when de-duplication works). */
  async filedCount(idempotencyKey: string): Promise<number> {
    return this.state.filedCount(idempotencyKey);
  }

  /** Every dossier vendor A holds. */
  dossiers(): HoSoA[] {
    return this.state.all();
  }

  async close(): Promise<void> {
    await this.stopListening();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requestCount++;
    const body = await readRequestBody(req);
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    if (this.options.down) return sendHtml(res, 503, 'Service Unavailable');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== VENDOR_A_PATH) return sendHtml(res, 404, 'Không tìm thấy trang');
    if (req.method === 'GET' && url.search.toLowerCase() === '?wsdl') {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(vendorAWsdl(this.url));
      return;
    }
    if (req.method !== 'POST') return sendHtml(res, 405, 'Method Not Allowed');
    if (!/text\/xml/i.test(req.headers['content-type'] ?? '')) {
      return sendHtml(res, 415, 'Unsupported Media Type');
    }
    let request: VendorARequest;
    try {
      request = readVendorARequest(body);
    } catch (error) {
      return sendFault(res, 'soap:Client', (error as Error).message);
    }
    if (this.options.credentials && !usernameTokenMatches(request.security, this.options.credentials)) {
      return sendFault(res, 'wsse:FailedAuthentication', 'Tên đăng nhập hoặc mật khẩu không đúng');
    }
    if (Math.random() < (this.options.errorRate ?? 0)) {
      return sendFault(res, 'soap:Server', 'Hệ thống đang bận, vui lòng thử lại sau');
    }
    this.dispatch(request, res);
  }

  private dispatch({ operation, args }: VendorARequest, res: ServerResponse): void {
    switch (operation) {
      case 'NopHoSo': {
        const hoSo = args.HoSo as Record<string, unknown> | undefined;
        const problem = invalidFilingA(hoSo);
        if (problem) return sendFault(res, 'soap:Client', problem);
        const filed = this.state.file(hoSo!);
        const { MaHoSo, NgayTiepNhan, NgayHenTra, TrangThaiHoSo } = filed;
        return sendResult(res, operation, { MaLoi: '0', MaHoSo, NgayTiepNhan, NgayHenTra, TrangThaiHoSo });
      }
      case 'TraCuuHoSo': {
        const found = this.state.byBridge(s(args.MaHoSoLienThong));
        if (!found) return sendResult(res, operation, { TimThay: '0' });
        const { MaHoSo, MaHoSoLienThong, NgayTiepNhan, NgayHenTra, TrangThaiHoSo } = found;
        const hoSo = { MaHoSo, MaHoSoLienThong, NgayTiepNhan, NgayHenTra, TrangThaiHoSo };
        return sendResult(res, operation, { TimThay: '1', HoSo: hoSo });
      }
      case 'BoSungHoSo':
      case 'XacNhanTraKetQua': {
        const hoSo = this.state.get(s(args.MaHoSo));
        if (!hoSo) return sendFault(res, 'soap:Client', `Không tìm thấy hồ sơ ${s(args.MaHoSo)}`);
        if (this.state.applyOnce(hoSo, s(args.MaGiaoDich))) {
          if (operation === 'BoSungHoSo') this.state.setStatus(hoSo, '4', 'Đã nhận hồ sơ bổ sung');
          else {
            hoSo.MaBuuGuiKetQua = s(args.MaBuuGui);
            this.state.setStatus(hoSo, '10');
          }
        }
        return sendResult(res, operation, { MaLoi: '0', MoTa: 'Thành công' });
      }
      case 'LayDanhSachThayDoi': {
        const since = Number(s(args.TuMoc) || '0');
        if (!Number.isInteger(since) || since < 0) return sendFault(res, 'soap:Client', 'TuMoc không hợp lệ');
        const page = this.state.changesSince(since, this.options.pageSize ?? 100);
        return sendResult(res, operation, {
          MocTiepTheo: String(page.next),
          DanhSachThayDoi: { ThayDoi: page.changes },
        });
      }
      case 'KiemTraKetNoi':
        return sendResult(res, operation, { TrangThai: 'OK', PhienBan: '3.2.1' });
      default:
        return sendFault(res, 'soap:Client', `Không hỗ trợ thao tác ${operation}`);
    }
  }
}
