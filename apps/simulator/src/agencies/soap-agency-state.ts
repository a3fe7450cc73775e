import {
  HoSoA,
  ThayDoiA,
  VENDOR_A_STATUS_NAMES,
  VendorAStatus,
  vendorAAppointment,
  vendorADate,
  vendorADossierCode,
} from './soap-agency-dialect';

/**
 * Vendor A's records: dossiers by code, filings per bridge id (MaHoSoLienThong), the change
 * feed read by LayDanhSachThayDoi, and transactions already applied (MaGiaoDich).
 */
export class SoapAgencyState {
  private readonly byCode = new Map<string, HoSoA>();
  private readonly byBridgeId = new Map<string, string>();
  private readonly filings = new Map<string, number>();
  readonly changes: ThayDoiA[] = [];
  private serial = 0;

  constructor(
    private readonly agencyCode: string,
    private readonly dedupe: boolean,
  ) {}

  /** Files a dossier; a bridge id seen before returns the first filing (when de-duplicating). */
  file(hoSo: Record<string, unknown>, now = new Date()): HoSoA {
    const bridgeId = String(hoSo.MaHoSoLienThong);
    const known = this.byBridgeId.get(bridgeId);
    if (this.dedupe && known) return this.byCode.get(known)!;
    this.filings.set(bridgeId, (this.filings.get(bridgeId) ?? 0) + 1);
    const record: HoSoA = {
      MaHoSo: vendorADossierCode(this.agencyCode, now, ++this.serial),
      MaHoSoLienThong: bridgeId,
      MaTTHC: String(hoSo.MaTTHC),
      ChuHoSo: hoSo.ChuHoSo as Record<string, unknown>,
      NgayTiepNhan: vendorADate(now),
      NgayHenTra: vendorAAppointment(now, 5),
      TrangThaiHoSo: '2',
      GiaoDich: [],
    };
    this.byCode.set(record.MaHoSo, record);
    this.byBridgeId.set(bridgeId, record.MaHoSo);
    return record;
  }

  byBridge(bridgeId: string): HoSoA | undefined {
    const code = this.byBridgeId.get(bridgeId);
    return code ? this.byCode.get(code) : undefined;
  }

  get(code: string): HoSoA | undefined {
    return this.byCode.get(code);
  }

  filedCount(bridgeId: string): number {
    return this.filings.get(bridgeId) ?? 0;
  }

  all(): HoSoA[] {
    return [...this.byCode.values()];
  }

  /** Applies a transaction once: false when its MaGiaoDich was already applied. */
  applyOnce(hoSo: HoSoA, transactionId: string): boolean {
    if (transactionId && hoSo.GiaoDich.includes(transactionId)) return false;
    if (transactionId) hoSo.GiaoDich.push(transactionId);
    return true;
  }

  /** Moves a dossier to `status` and appends the change to the feed. */
  setStatus(hoSo: HoSoA, status: VendorAStatus, note = VENDOR_A_STATUS_NAMES[status] ?? ''): ThayDoiA {
    hoSo.TrangThaiHoSo = status;
    const change: ThayDoiA = {
      MaThayDoi: String(this.changes.length + 1),
      MaHoSo: hoSo.MaHoSo,
      MaHoSoLienThong: hoSo.MaHoSoLienThong,
      TrangThaiHoSo: status,
      NgayCapNhat: vendorADate(),
      GhiChu: note,
    };
    this.changes.push(change);
    return change;
  }

  /** Changes after cursor `since` (the last MaThayDoi seen), at most `limit`. */
  changesSince(since: number, limit: number): { changes: ThayDoiA[]; next: number } {
    const changes = this.changes.slice(since, since + limit);
    return { changes, next: since + changes.length };
  }
}
