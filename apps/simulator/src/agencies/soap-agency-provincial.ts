import { DateTime } from 'luxon';
import { DossierStatus } from '@bridge/domain';
import { argText as text, ServiceFault, SoapArgs as Args, SoapPackageServer } from './soap-package-server';

/** The provincial system's own status words. */
const STATUS_WORDS: Record<DossierStatus, string> = {
  collected: 'MOI',
  submitted: 'MOI',
  received: 'DA_TIEP_NHAN',
  processing: 'DANG_XU_LY',
  supplement_requested: 'CHO_BO_SUNG',
  rejected: 'TU_CHOI',
  result_ready: 'CO_KET_QUA',
  result_collected: 'CO_KET_QUA',
  delivered: 'DA_TRA_KET_QUA',
  delivery_failed: 'CO_KET_QUA',
  completed: 'DA_TRA_KET_QUA',
  cancelled: 'HUY',
};
const now = () => DateTime.now().setZone('Asia/Ho_Chi_Minh').toFormat('dd/MM/yyyy HH:mm:ss');

interface KetQuaHoSo {
  maHoSo: string;
  maLienThong: string;
  ngayTiepNhan: string;
  ngayHenTra: string;
  trangThai: string;
}
interface ThayDoi {
  stt: number;
  maHoSo: string;
  trangThai: string;
  thoiDiem: string;
  ghiChu?: string;
}

/** Start options: the WSDL the service publishes and the UsernameToken it requires. */
export interface ProvincialSoapServiceOptions {
  wsdl: string;
  credentials: { username: string; password: string };
  path?: string;
}

const fault = (code: 'Sender' | 'Receiver', reason: string) => new ServiceFault(code, reason);

/**
 * A provincial one-stop system built on the unmodified `soap` npm package (`soap.listen`) from
 * a WSDL, SOAP 1.2, with in-memory state. It does not de-duplicate filings (each TiepNhanHoSo
 * files anew), and offers status changes only as a list (LayTrangThaiThayDoi after a number).
 */
export class ProvincialSoapService {
  private readonly byCode = new Map<string, KetQuaHoSo>();
  private readonly filings = new Map<string, number>();
  private readonly changes: ThayDoi[] = [];
  private serial = 0;
  private server?: SoapPackageServer;

  static async start(options: ProvincialSoapServiceOptions): Promise<ProvincialSoapService> {
    const service = new ProvincialSoapService();
    service.server = await SoapPackageServer.start({
      wsdl: options.wsdl,
      path: options.path ?? '/dvc/buuchinh',
      services: { DichVuBuuChinh: { BuuChinhPort: service.operations() } },
      credentials: options.credentials,
      soap12: true,
    });
    return service;
  }

  get url(): string {
    return this.server!.url;
  }

  /** Changes a dossier's status on the province's side. */
  async driveStatus(maHoSo: string, status: DossierStatus): Promise<void> {
    const hoSo = this.byCode.get(maHoSo);
    if (!hoSo) throw new Error(`no dossier ${maHoSo}`);
    this.record(hoSo, STATUS_WORDS[status], 'Cán bộ cập nhật');
  }

  async filedCount(maLienThong: string): Promise<number> {
    return this.filings.get(maLienThong) ?? 0;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private record(hoSo: KetQuaHoSo, trangThai: string, ghiChu?: string): void {
    hoSo.trangThai = trangThai;
    this.changes.push({
      stt: this.changes.length + 1,
      maHoSo: hoSo.maHoSo,
      trangThai,
      thoiDiem: now(),
      ghiChu,
    });
  }

  private operations() {
    return {
      TiepNhanHoSo: (args: Args) => {
        const maLienThong = text(args.maLienThong);
        if (!maLienThong || !args.maThuTuc) throw fault('Sender', 'Thiếu mã liên thông hoặc mã thủ tục');
        this.filings.set(maLienThong, (this.filings.get(maLienThong) ?? 0) + 1);
        const ketQua: KetQuaHoSo = {
          maHoSo: `G22.48-${DateTime.now().toFormat('yyyyMMdd')}-${String(++this.serial).padStart(7, '0')}`,
          maLienThong,
          ngayTiepNhan: now(),
          ngayHenTra: DateTime.now()
            .setZone('Asia/Ho_Chi_Minh')
            .plus({ days: 7 })
            .toFormat('dd/MM/yyyy 17:00:00'),
          trangThai: 'DA_TIEP_NHAN',
        };
        this.byCode.set(ketQua.maHoSo, ketQua);
        return { ketQua };
      },
      TraCuuTheoMaLienThong: (args: Args) => {
        const ketQua = [...this.byCode.values()].find((h) => h.maLienThong === text(args.maLienThong));
        return ketQua ? { timThay: true, ketQua } : { timThay: false };
      },
      CapNhatBoSung: (args: Args) => {
        const hoSo = this.byCode.get(text(args.maHoSo));
        if (!hoSo) throw fault('Sender', `Hồ sơ ${text(args.maHoSo)} không tồn tại`);
        this.record(hoSo, 'DANG_XU_LY', 'Đã nhận bổ sung');
        return { thanhCong: true };
      },
      XacNhanDaTraKetQua: (args: Args) => {
        const hoSo = this.byCode.get(text(args.maHoSo));
        if (!hoSo) throw fault('Sender', `Hồ sơ ${text(args.maHoSo)} không tồn tại`);
        this.record(hoSo, 'DA_TRA_KET_QUA');
        return { thanhCong: true };
      },
      LayTrangThaiThayDoi: (args: Args) => {
        const after = Number(text(args.sauStt) || 0);
        const thayDoi = this.changes.filter((c) => c.stt > after);
        return { thayDoi, sttCuoi: thayDoi.length > 0 ? thayDoi[thayDoi.length - 1].stt : after };
      },
    };
  }
}
