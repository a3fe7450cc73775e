import { DossierStatus } from '@bridge/domain';
import {
  GiayToB,
  HoSoB,
  HoSoTaiQuayB,
  ThayDoiB,
  VENDOR_B_STATUS,
  VendorBStatus,
  vendorBDateIn,
  vendorBDossierCode,
  vendorBNow,
} from './rest-agency-dialect';

/** Outcome of a filing: the dossier and whether this request created it. */
export interface FilingOutcome {
  hoSo: HoSoB;
  created: boolean;
}

/**
 * Vendor B's records: dossiers, the change feed, and which idempotency keys were already
 * served. Pure in-memory state; the HTTP side lives in rest-agency.ts.
 */
export class RestAgencyState {
  private readonly byCode = new Map<string, HoSoB>();
  private readonly filings = new Map<string, number>();
  /** Per key: the arrival number of every filing request. */
  private readonly filingRequests = new Map<string, number[]>();
  private readonly firstFilingAt = new Map<string, number>();
  /** Per key: how many requests had arrived when a filing's answer first reached the caller. */
  private readonly receiptSeenAt = new Map<string, number>();
  private readonly replies = new Map<string, unknown>();
  readonly changes: ThayDoiB[] = [];
  private serial = 0;

  constructor(
    private readonly agencyCode: string,
    private readonly dedupe: boolean,
    private readonly onChange: (change: ThayDoiB) => void,
  ) {}

  /** Files a dossier; with de-duplication on, a known key returns the first filing. */
  file(key: string, body: Record<string, unknown>): FilingOutcome {
    const existing = this.dedupe ? this.byKey(key)[0] : undefined;
    if (existing) return { hoSo: existing, created: false };
    const hoSo: HoSoB = {
      maHoSo: vendorBDossierCode(this.agencyCode, ++this.serial),
      maHoSoLienThong: String(body.maHoSoLienThong),
      maThuTuc: String(body.maThuTuc),
      chuHoSo: body.chuHoSo as HoSoB['chuHoSo'],
      danhSachGiayTo: (body.danhSachGiayTo as GiayToB[]) ?? [],
      trangThai: 'MOI_TIEP_NHAN',
      ngayTiepNhan: vendorBNow(),
      ngayHenTra: vendorBDateIn(7),
      danhSachBoSung: [],
    };
    this.byCode.set(hoSo.maHoSo, hoSo);
    this.filings.set(key, (this.filings.get(key) ?? 0) + 1);
    return { hoSo, created: true };
  }

  /**
   * Registers a dossier handed in at the desk (no bridge id): it enters the change feed as
   * received, carrying the details the post needs to return the result.
   */
  registerAtDesk(details: HoSoTaiQuayB): HoSoB {
    const hoSo: HoSoB = {
      maHoSo: vendorBDossierCode(this.agencyCode, ++this.serial),
      maHoSoLienThong: '',
      maThuTuc: details.maThuTuc,
      chuHoSo: { ...details.chuHoSo, diaChi: Object.values(details.chuHoSo.diaChi).join(', ') },
      danhSachGiayTo: details.danhSachGiayTo,
      trangThai: 'MOI_TIEP_NHAN',
      ngayTiepNhan: vendorBNow(),
      ngayHenTra: vendorBDateIn(7),
      danhSachBoSung: [],
    };
    this.byCode.set(hoSo.maHoSo, hoSo);
    this.move(hoSo, 'MOI_TIEP_NHAN', 'Tiếp nhận tại quầy, trả kết quả qua bưu điện', details);
    return hoSo;
  }

  /** Notes a filing request for `key`, the `arrival`-th request the agency got. */
  filingRequested(key: string, arrival: number): void {
    this.filingRequests.set(key, [...(this.filingRequests.get(key) ?? []), arrival]);
    if (!this.firstFilingAt.has(key)) this.firstFilingAt.set(key, Date.now());
  }

  /** When the first filing request for `key` arrived (ms since the epoch), for the bench's stage timings. */
  filingArrivedAt(key: string): number | undefined {
    return this.firstFilingAt.get(key);
  }

  /** Notes that a filing's answer for `key` reached the caller when `arrivals` requests had come in. */
  receiptDelivered(key: string, arrivals: number): void {
    if (!this.receiptSeenAt.has(key)) this.receiptSeenAt.set(key, arrivals);
  }

  /**
   * Filing requests for `key` that came in after the caller already held a receipt for it: each
   * one would be a second dossier at an agency without de-duplication.
   */
  filingsAfterReceipt(key: string): number {
    const seenAt = this.receiptSeenAt.get(key);
    if (seenAt === undefined) return 0;
    return (this.filingRequests.get(key) ?? []).filter((arrival) => arrival > seenAt).length;
  }

  byKey(key: string): HoSoB[] {
    return [...this.byCode.values()].filter((h) => h.maHoSoLienThong === key);
  }

  get(code: string): HoSoB | undefined {
    return this.byCode.get(code);
  }

  filedCount(key: string): number {
    return this.filings.get(key) ?? 0;
  }

  /** The reply an idempotency key already got on a non-filing operation, to replay it. */
  replyFor(key: string | undefined): unknown {
    return key ? this.replies.get(key) : undefined;
  }

  remember(key: string | undefined, reply: unknown): void {
    if (key) this.replies.set(key, reply);
  }

  /** Moves a dossier to a vendor status and appends the change to the feed. */
  move(hoSo: HoSoB, status: VendorBStatus, ghiChu?: string, hoSoTaiQuay?: HoSoTaiQuayB): ThayDoiB {
    hoSo.trangThai = status;
    const change: ThayDoiB = {
      id: this.changes.length + 1,
      maHoSo: hoSo.maHoSo,
      maHoSoLienThong: hoSo.maHoSoLienThong,
      trangThai: status,
      thoiGian: vendorBNow(),
      ngayHenTra: hoSo.ngayHenTra,
      ...(ghiChu ? { ghiChu } : {}),
      ...(hoSoTaiQuay ? { hoSoTaiQuay } : {}),
    };
    this.changes.push(change);
    this.onChange(change);
    return change;
  }

  /** A status change decided by the agency's officers (test hook). */
  drive(code: string, status: DossierStatus, note?: string): ThayDoiB {
    const hoSo = this.byCode.get(code);
    if (!hoSo) throw new Error(`vendor B simulator has no dossier ${code}`);
    const vendor = VENDOR_B_STATUS[status];
    if (!vendor) throw new Error(`vendor B has no status code for "${status}"`);
    return this.move(hoSo, vendor, note);
  }

  /** Changes after `cursor` (the id of the last change seen), at most `limit`. */
  since(cursor: string | null, limit: number): ThayDoiB[] {
    const after = cursor && /^\d+$/.test(cursor) ? Number(cursor) : 0;
    return this.changes.filter((c) => c.id > after).slice(0, limit);
  }

  all(): HoSoB[] {
    return [...this.byCode.values()].map((h) => structuredClone(h));
  }
}
