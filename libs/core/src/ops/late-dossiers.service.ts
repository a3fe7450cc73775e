import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FINISHED_STATUSES } from './ops-overview.service';

/** A dossier past its appointment date (ngày hẹn trả) and not finished. */
export interface LateDossier {
  id: string;
  inboundItemId: string | null;
  agencyDossierCode: string | null;
  procedureCode: string;
  status: string;
  appointmentDate: string;
  /** Whole days since the appointment date. */
  daysLate: number;
}

export interface LateDossiersByAgency {
  generatedAt: string;
  agencies: Array<{ code: string; name: string | null; late: number; dossiers: LateDossier[] }>;
}

/** Most dossiers listed per agency (the count is always complete). */
export const LATE_DOSSIERS_PER_AGENCY = 200;
const DAY_MS = 24 * 3600 * 1000;

/** Late dossiers per agency, most overdue first: what operations chase with the agency. */
@Injectable()
export class LateDossiersService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async byAgency(agencyCode?: string, now: Date = new Date()): Promise<LateDossiersByAgency> {
    const params: unknown[] = [now, FINISHED_STATUSES, LATE_DOSSIERS_PER_AGENCY];
    if (agencyCode) params.push(agencyCode);
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT * FROM (
         SELECT d.id, d.agency_code, a.name AS agency_name, d.inbound_item_id, d.agency_dossier_code,
                d.procedure_code, d.status, d.appointment_date,
                count(*) OVER (PARTITION BY d.agency_code)::int AS late,
                row_number() OVER (PARTITION BY d.agency_code ORDER BY d.appointment_date, d.id) AS rank
           FROM dossiers d LEFT JOIN agencies a ON a.code = d.agency_code
          WHERE d.appointment_date < $1 AND d.status <> ALL($2) ${agencyCode ? 'AND d.agency_code = $4' : ''}
       ) ranked WHERE rank <= $3 ORDER BY agency_code, rank`,
      params,
    );
    const agencies = new Map<string, LateDossiersByAgency['agencies'][number]>();
    for (const row of rows) {
      const code = String(row.agency_code);
      let entry = agencies.get(code);
      if (!entry) {
        entry = {
          code,
          name: (row.agency_name as string | null) ?? null,
          late: Number(row.late),
          dossiers: [],
        };
        agencies.set(code, entry);
      }
      const appointment = new Date(row.appointment_date as string);
      entry.dossiers.push({
        id: String(row.id),
        inboundItemId: (row.inbound_item_id as string | null) ?? null,
        agencyDossierCode: (row.agency_dossier_code as string | null) ?? null,
        procedureCode: String(row.procedure_code),
        status: String(row.status),
        appointmentDate: appointment.toISOString(),
        daysLate: Math.floor((now.getTime() - appointment.getTime()) / DAY_MS),
      });
    }
    return { generatedAt: now.toISOString(), agencies: [...agencies.values()] };
  }
}
