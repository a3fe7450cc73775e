import { DateTime } from 'luxon';
import { DossierStatus } from '@bridge/domain';
import { argText, ServiceFault, SoapArgs, SoapPackageServer } from './soap-package-server';

/** The national portal's status codes (1–10), which this vendor uses as they are. */
const PORTAL_CODES: Partial<Record<DossierStatus, string>> = {
  submitted: '1',
  received: '2',
  rejected: '3',
  processing: '4',
  supplement_requested: '5',
  cancelled: '8',
  result_ready: '9',
  completed: '10',
};
const vnNow = () => DateTime.now().setZone('Asia/Ho_Chi_Minh');
const stamp = () => vnNow().toFormat('dd/MM/yyyy HH:mm:ss');

interface HoSo {
  maHoSo: string;
  maBuuGui: string;
  trangThai: string;
  ngayTiepNhan: string;
  ngayHenTra: string;
  ngayCapNhat: string;
  ghiChu?: string;
}

/** Start options: the WSDL the service publishes and the UsernameToken it requires. */
export interface LookupOnlySoapServiceOptions {
  wsdl: string;
  credentials: { username: string; password: string };
}

/**
 * A commune's one-stop software on the unmodified `soap` package, SOAP 1.1, offering only
 * NopHoSo (file), TraCuuHoSo (look up by its own code, or by the postal item id it was filed
 * under) and XacNhanDaTra (result delivered). It does not de-duplicate filings and never tells
 * anyone a status changed: officers move dossiers on with {@link driveStatus}.
 */
export class LookupOnlySoapService {
  private readonly byCode = new Map<string, HoSo>();
  private readonly filings = new Map<string, number>();
  private serial = 0;
  private server?: SoapPackageServer;
  /** Look-ups answered, per dossier code asked for. */
  readonly lookups = new Map<string, number>();

  static async start(options: LookupOnlySoapServiceOptions): Promise<LookupOnlySoapService> {
    const service = new LookupOnlySoapService();
    service.server = await SoapPackageServer.start({
      wsdl: options.wsdl,
      path: '/motcua/tracuu',
      services: { MotCuaTraCuu: { MotCuaPort: service.operations() } },
      credentials: options.credentials,
    });
    return service;
  }

  get url(): string {
    return this.server!.url;
  }

  /** An officer moves a dossier on in the agency's software. */
  async driveStatus(maHoSo: string, status: DossierStatus, note?: string): Promise<void> {
    const hoSo = this.byCode.get(maHoSo);
    const code = PORTAL_CODES[status];
    if (!hoSo || !code) throw new Error(`cannot set ${maHoSo} to ${status}`);
    Object.assign(hoSo, { trangThai: code, ngayCapNhat: stamp(), ghiChu: note });
  }

  /**
   * A filing whose answer never reached the bridge (the connection dropped after the vendor
   * saved it): the dossier is there, the bridge does not know its code. Returns the code.
   */
  fileWithLostAnswer(maBuuGui: string, maThuTuc = '1.001612'): string {
    const { hoSo } = this.operations().NopHoSo({ maBuuGui, maThuTuc });
    return hoSo.maHoSo;
  }

  /** Dossiers filed for this postal item (the vendor does not de-duplicate). */
  async filedCount(maBuuGui: string): Promise<number> {
    return this.filings.get(maBuuGui) ?? 0;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private find(ma: string): HoSo | undefined {
    return this.byCode.get(ma) ?? [...this.byCode.values()].find((h) => h.maBuuGui === ma);
  }

  private operations() {
    const fault = (reason: string) => new ServiceFault('Sender', reason, false);
    return {
      NopHoSo: (args: SoapArgs) => {
        const maBuuGui = argText(args.maBuuGui);
        if (!maBuuGui || !args.maThuTuc) throw fault('Thiếu mã bưu gửi hoặc mã thủ tục');
        this.filings.set(maBuuGui, (this.filings.get(maBuuGui) ?? 0) + 1);
        const hoSo: HoSo = {
          maHoSo: `H51.23-${vnNow().toFormat('yyyyMMdd')}-${String(++this.serial).padStart(5, '0')}`,
          maBuuGui,
          trangThai: '2',
          ngayTiepNhan: stamp(),
          ngayHenTra: vnNow().plus({ days: 5 }).toFormat('dd/MM/yyyy 17:00:00'),
          ngayCapNhat: stamp(),
        };
        this.byCode.set(hoSo.maHoSo, hoSo);
        return { hoSo };
      },
      TraCuuHoSo: (args: SoapArgs) => {
        const ma = argText(args.maHoSo);
        this.lookups.set(ma, (this.lookups.get(ma) ?? 0) + 1);
        const hoSo = this.find(ma);
        return hoSo ? { timThay: true, hoSo } : { timThay: false };
      },
      XacNhanDaTra: (args: SoapArgs) => {
        const hoSo = this.byCode.get(argText(args.maHoSo));
        if (!hoSo) throw fault(`Hồ sơ ${argText(args.maHoSo)} không tồn tại`);
        Object.assign(hoSo, { trangThai: '10', ngayCapNhat: stamp() });
        return { thanhCong: true };
      },
    };
  }
}
