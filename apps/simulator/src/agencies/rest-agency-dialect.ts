import { DateTime } from 'luxon';
import { DossierStatus } from '@bridge/domain';

/**
 * The dialect of "one-stop vendor B": camelCase Vietnamese field names without diacritics,
 * dates as dd/MM/yyyy (times as dd/MM/yyyy HH:mm:ss) in Vietnam time, its own status codes.
 */
export type VendorBStatus =
  'MOI_TIEP_NHAN' | 'DANG_XU_LY' | 'CHO_BO_SUNG' | 'DA_CO_KET_QUA' | 'TU_CHOI' | 'DA_TRA' | 'DA_HUY';

/** Canonical status → vendor B's code, for `driveStatus`. */
export const VENDOR_B_STATUS: Partial<Record<DossierStatus, VendorBStatus>> = {
  received: 'MOI_TIEP_NHAN',
  processing: 'DANG_XU_LY',
  supplement_requested: 'CHO_BO_SUNG',
  result_ready: 'DA_CO_KET_QUA',
  rejected: 'TU_CHOI',
  completed: 'DA_TRA',
  cancelled: 'DA_HUY',
};

/** A document as vendor B lists it. */
export interface GiayToB {
  tenGiayTo: string;
  loaiBan: 'BAN_CHINH' | 'BAN_SAO';
  soLuong: number;
}

/** A dossier as vendor B stores and returns it. */
export interface HoSoB {
  maHoSo: string;
  maHoSoLienThong: string;
  maThuTuc: string;
  chuHoSo: { hoTen: string; soGiayTo?: string; soDienThoai?: string; diaChi?: string };
  danhSachGiayTo: GiayToB[];
  trangThai: VendorBStatus;
  ngayTiepNhan: string;
  ngayHenTra: string;
  danhSachBoSung: { ngayNop: string; danhSachGiayTo: GiayToB[] }[];
  maBuuGuiKetQua?: string;
  ngayTra?: string;
}

/** One entry of vendor B's change feed (GET /api/thaydoi) and of its callbacks. */
export interface ThayDoiB {
  id: number;
  maHoSo: string;
  maHoSoLienThong: string;
  trangThai: VendorBStatus;
  thoiGian: string;
  ngayHenTra: string;
  ghiChu?: string;
  /** Only on the change that registers a dossier handed in at the desk: the whole dossier. */
  hoSoTaiQuay?: HoSoTaiQuayB;
}

/** An address as vendor B writes it. */
export interface DiaChiB {
  soNha: string;
  phuongXa?: string;
  quanHuyen?: string;
  tinhThanh: string;
}

/**
 * A dossier an applicant handed in at the agency's desk, asking the post to return the result
 * ("return the result only"): vendor B announces it in its change feed with these details.
 */
export interface HoSoTaiQuayB {
  maThuTuc: string;
  chuHoSo: { hoTen: string; soGiayTo: string; soDienThoai: string; diaChi: DiaChiB };
  diaChiNhanKetQua: DiaChiB;
  danhSachGiayTo: GiayToB[];
}

const ZONE = 'Asia/Ho_Chi_Minh';

/** Now in vendor B's date-time format. */
export function vendorBNow(now = DateTime.now()): string {
  return now.setZone(ZONE).toFormat('dd/MM/yyyy HH:mm:ss');
}

/** A date `days` from now in vendor B's date format (the appointment date). */
export function vendorBDateIn(days: number, now = DateTime.now()): string {
  return now.setZone(ZONE).plus({ days }).toFormat('dd/MM/yyyy');
}

/** Issues a dossier code in the Circular 01/2018 shape `<agency>-YYMMDD-NNNN`. */
export function vendorBDossierCode(agencyCode: string, serial: number, now = DateTime.now()): string {
  return `${agencyCode}-${now.setZone(ZONE).toFormat('yyMMdd')}-${String(serial).padStart(4, '0')}`;
}

/** What vendor B refuses in a filing, in its own words; null when the body is acceptable. */
export function invalidFiling(body: unknown): string | null {
  if (!body || typeof body !== 'object') return 'Nội dung yêu cầu phải là JSON';
  const b = body as Record<string, unknown>;
  if (typeof b.maHoSoLienThong !== 'string' || !b.maHoSoLienThong) return 'Thiếu trường maHoSoLienThong';
  if (typeof b.maThuTuc !== 'string' || !/^\d\.\d{6}/.test(b.maThuTuc)) return 'Trường maThuTuc không hợp lệ';
  const chu = b.chuHoSo as Record<string, unknown> | undefined;
  if (!chu || typeof chu.hoTen !== 'string' || !chu.hoTen.trim()) return 'Thiếu trường chuHoSo.hoTen';
  if (!Array.isArray(b.danhSachGiayTo)) return 'Trường danhSachGiayTo phải là danh sách';
  return null;
}
