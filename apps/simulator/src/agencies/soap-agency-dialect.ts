import { DateTime } from 'luxon';
import { DossierStatus, PORTAL_CODE_OF_STATUS } from '@bridge/domain';

/** Target namespace of "one-stop vendor A"'s inter-agency service (dịch vụ liên thông). */
export const VENDOR_A_NAMESPACE = 'http://motcua.vendor-a.vn/lienthong/2019';
/** Path the service answers on, ASP.NET style. */
export const VENDOR_A_PATH = '/LienThong.asmx';
/** Vendor A's date format: yyyyMMddHHmmss, Asia/Ho_Chi_Minh, no zone in the text. */
export const VENDOR_A_DATE_FORMAT = 'yyyyMMddHHmmss';
export const VENDOR_A_ZONE = 'Asia/Ho_Chi_Minh';

/** The operations vendor A offers. */
export const VENDOR_A_OPERATIONS = [
  'NopHoSo',
  'TraCuuHoSo',
  'BoSungHoSo',
  'XacNhanTraKetQua',
  'LayDanhSachThayDoi',
  'KiemTraKetNoi',
] as const;
export type VendorAOperation = (typeof VENDOR_A_OPERATIONS)[number];

/** Vendor A keeps the national portal's numeric codes, as strings ('1' … '10'). */
export type VendorAStatus = string;

/** Vendor A's words for its codes, for notes in the change feed. */
export const VENDOR_A_STATUS_NAMES: Record<string, string> = {
  '1': 'Mới đăng ký',
  '2': 'Đã tiếp nhận',
  '3': 'Không tiếp nhận',
  '4': 'Đang xử lý',
  '5': 'Yêu cầu bổ sung giấy tờ',
  '6': 'Chờ thực hiện nghĩa vụ tài chính',
  '7': 'Công dân rút hồ sơ',
  '8': 'Dừng xử lý',
  '9': 'Đã có kết quả',
  '10': 'Đã trả kết quả',
};

/** The code vendor A uses for a canonical status (how the tests drive it). */
export function vendorAStatusOf(status: DossierStatus): VendorAStatus {
  return String(PORTAL_CODE_OF_STATUS[status]);
}

/** Now (or `at`) in vendor A's date format. */
export function vendorADate(at: Date = new Date()): string {
  return DateTime.fromJSDate(at).setZone(VENDOR_A_ZONE).toFormat(VENDOR_A_DATE_FORMAT);
}

/** The appointment date: `days` working days after `from`, at 16:30 local time. */
export function vendorAAppointment(from: Date, days: number): string {
  let day = DateTime.fromJSDate(from).setZone(VENDOR_A_ZONE);
  let left = days;
  while (left > 0) {
    day = day.plus({ days: 1 });
    if (day.weekday <= 5) left--;
  }
  return day.set({ hour: 16, minute: 30, second: 0, millisecond: 0 }).toFormat(VENDOR_A_DATE_FORMAT);
}

/** Dossier codes the Circular 01/2018 way: `<agency code>-YYMMDD-NNNN`. */
export function vendorADossierCode(agencyCode: string, at: Date, serial: number): string {
  const day = DateTime.fromJSDate(at).setZone(VENDOR_A_ZONE).toFormat('yyMMdd');
  return `${agencyCode}-${day}-${String(serial).padStart(4, '0')}`;
}

/** A parsed XML value as text: structured or absent values give ''. */
export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** One dossier as vendor A stores it. */
export interface HoSoA {
  MaHoSo: string;
  MaHoSoLienThong: string;
  MaTTHC: string;
  ChuHoSo: Record<string, unknown>;
  NgayTiepNhan: string;
  NgayHenTra: string;
  TrangThaiHoSo: VendorAStatus;
  /** Every supplement and delivery notice received, by their transaction id (MaGiaoDich). */
  GiaoDich: string[];
  MaBuuGuiKetQua?: string;
}

/** One entry of vendor A's change feed (LayDanhSachThayDoi). */
export interface ThayDoiA {
  MaThayDoi: string;
  MaHoSo: string;
  MaHoSoLienThong: string;
  TrangThaiHoSo: VendorAStatus;
  NgayCapNhat: string;
  GhiChu: string;
}

/** Why a filing is refused (a Client fault), or undefined when it is acceptable. */
export function invalidFilingA(hoSo: Record<string, unknown> | undefined): string | undefined {
  if (!hoSo) return 'Thiếu phần tử HoSo';
  for (const field of ['MaHoSoLienThong', 'MaTTHC', 'ChuHoSo']) {
    if (!hoSo[field]) return `Thiếu trường bắt buộc ${field}`;
  }
  if (!/^\d\.\d{6}/.test(str(hoSo.MaTTHC))) return `MaTTHC "${str(hoSo.MaTTHC)}" không hợp lệ`;
  const chuHoSo = hoSo.ChuHoSo as Record<string, unknown>;
  const loai = str(hoSo.LoaiDoiTuong) || '1';
  if (loai === '1' && !/^\d{12}$/.test(str(chuHoSo.SoCCCD))) return 'SoCCCD phải gồm 12 chữ số';
  if (loai === '2' && !/^\d{10}(-\d{3})?$/.test(str(chuHoSo.MaSoThue))) return 'MaSoThue không hợp lệ';
  return undefined;
}
