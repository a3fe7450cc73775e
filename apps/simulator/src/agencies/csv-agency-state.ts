import { DateTime } from 'luxon';
import { VENDOR_C_ZONE } from './csv-agency-dialect';

/** A dossier as vendor C keeps it. */
export interface CsvAgencyDossier {
  maHoSo: string;
  /** The bridge id, echoed back in every status row. */
  maHoSoLienThong: string;
  maTTHC: string;
  chuHoSo: string;
  trangThai: string;
  receivedAt: DateTime;
  appointmentAt: DateTime;
  supplements: string[];
  deliveredAt?: string;
  resultItemId?: string;
}

function required(row: Record<string, string>, column: string): string {
  const value = row[column]?.trim();
  if (!value) throw new Error(`column ${column} is missing or empty`);
  return value;
}

/** Vendor C's own records: dossiers by code and by bridge id, and what it was sent. */
export class CsvAgencyState {
  private readonly byCode = new Map<string, CsvAgencyDossier>();
  private readonly codesByBridgeId = new Map<string, string[]>();
  private readonly filesByBridgeId = new Map<string, number>();
  private serial = 0;

  constructor(
    private readonly agencyCode: string,
    private readonly dedupe: boolean,
  ) {}

  /** Files a submission row; a known MaHoSoLienThong gives back the existing dossier. */
  file(row: Record<string, string>): CsvAgencyDossier {
    const bridgeId = required(row, 'MaHoSoLienThong');
    this.filesByBridgeId.set(bridgeId, (this.filesByBridgeId.get(bridgeId) ?? 0) + 1);
    const known = this.codesByBridgeId.get(bridgeId);
    if (known && this.dedupe) return this.byCode.get(known[0])!;
    const now = DateTime.now().setZone(VENDOR_C_ZONE).startOf('minute');
    const dossier: CsvAgencyDossier = {
      maHoSo: `${this.agencyCode}-${now.toFormat('yyMMdd')}-${String(++this.serial).padStart(4, '0')}`,
      maHoSoLienThong: bridgeId,
      maTTHC: required(row, 'MaTTHC'),
      chuHoSo: required(row, 'ChuHoSo'),
      trangThai: 'TN',
      receivedAt: now,
      appointmentAt: now.plus({ days: 7 }).set({ hour: 16, minute: 30 }),
      supplements: [],
    };
    this.byCode.set(dossier.maHoSo, dossier);
    this.codesByBridgeId.set(bridgeId, [...(known ?? []), dossier.maHoSo]);
    return dossier;
  }

  supplement(row: Record<string, string>): void {
    this.get(required(row, 'MaHoSo')).supplements.push(required(row, 'TenGiayTo'));
  }

  delivered(row: Record<string, string>): void {
    const dossier = this.get(required(row, 'MaHoSo'));
    dossier.deliveredAt = required(row, 'NgayTra');
    dossier.resultItemId = row.MaBuuGui?.trim() || undefined;
  }

  setStatus(code: string, vendorStatus: string): CsvAgencyDossier {
    const dossier = this.get(code);
    dossier.trangThai = vendorStatus;
    return dossier;
  }

  filedCount(bridgeId: string): number {
    return this.codesByBridgeId.get(bridgeId)?.length ?? 0;
  }

  submissionFiles(bridgeId: string): number {
    return this.filesByBridgeId.get(bridgeId) ?? 0;
  }

  all(): CsvAgencyDossier[] {
    return [...this.byCode.values()];
  }

  private get(code: string): CsvAgencyDossier {
    const dossier = this.byCode.get(code);
    if (!dossier) throw new Error(`vendor C knows no dossier ${code}`);
    return dossier;
  }
}
