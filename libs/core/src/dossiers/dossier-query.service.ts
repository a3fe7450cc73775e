import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Dossier, maskCitizenId, maskPhone, punctuality } from '@bridge/domain';
import { DossierEntity, TimelineEntryEntity } from '@bridge/persistence';
import { isUuid } from '../common/uuid';

/** Statuses after which a passed appointment date no longer makes a dossier late. */
const FINISHED = ['delivered', 'completed', 'rejected', 'cancelled'];

export interface DossierListFilter {
  agencyCode?: string;
  status?: string;
  overdue?: boolean;
  limit: number;
  offset: number;
}

/** Read side of dossiers: look-up by any reference, timeline, lists for the ops views. */
@Injectable()
export class DossierQueryService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Finds by bridge id, inbound or result S10 id, or agency dossier code. */
  async findEntity(ref: string): Promise<DossierEntity | null> {
    const byId = isUuid(ref);
    return this.dataSource
      .getRepository(DossierEntity)
      .createQueryBuilder('d')
      .where(
        byId
          ? 'd.id = :ref'
          : 'd.inbound_item_id = :ref OR d.result_item_id = :ref OR d.agency_dossier_code = :ref',
        { ref },
      )
      .orderBy('d.created_at', 'ASC')
      .getOne();
  }

  /**
   * One dossier and its timeline, the applicant masked unless `reveal` (an admin's explicit,
   * logged request: see the personal-data interceptor).
   */
  async find(
    ref: string,
    { reveal = false }: { reveal?: boolean } = {},
  ): Promise<{ dossier: Dossier; punctuality: string; timeline: TimelineView[] } | null> {
    const entity =
      (await this.findEntity(ref)) ??
      (/^[a-z]{2}\d{9}[a-z]{2}$/i.test(ref) ? await this.findEntity(ref.toUpperCase()) : null);
    if (!entity) return null;
    const timeline = await this.dataSource
      .getRepository(TimelineEntryEntity)
      .find({ where: { dossierId: entity.id }, order: { id: 'ASC' } });
    return {
      dossier: reveal ? entity.snapshot : maskedForOperators(entity.snapshot),
      punctuality: punctuality(entity.snapshot),
      timeline: timeline.map(timelineView),
    };
  }

  async list(filter: DossierListFilter): Promise<{ total: number; items: DossierSummary[] }> {
    const qb = this.dataSource.getRepository(DossierEntity).createQueryBuilder('d');
    if (filter.agencyCode) qb.andWhere('d.agency_code = :agency', { agency: filter.agencyCode });
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.overdue)
      qb.andWhere('d.appointment_date < now() AND d.status NOT IN (:...finished)', { finished: FINISHED });
    const [rows, total] = await qb
      .orderBy('d.created_at', 'DESC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    return { total, items: rows.map(summary) };
  }
}

export interface TimelineView {
  at: string;
  kind: string;
  event: string;
  origin: string;
  from: string | null;
  to: string | null;
  sequence: number | null;
  detail: string | null;
}

export interface DossierSummary {
  id: string;
  inboundItemId: string | null;
  agencyCode: string;
  agencyDossierCode: string | null;
  procedureCode: string;
  status: string;
  appointmentDate: string | null;
  punctuality: string;
  updatedAt: string;
}

function timelineView(t: TimelineEntryEntity): TimelineView {
  return {
    at: t.occurredAt.toISOString(),
    kind: t.kind,
    event: t.event,
    origin: t.origin,
    from: t.fromStatus,
    to: t.toStatus,
    sequence: t.sequence,
    detail: t.detail,
  };
}

function summary(d: DossierEntity): DossierSummary {
  return {
    id: d.id,
    inboundItemId: d.inboundItemId,
    agencyCode: d.agencyCode,
    agencyDossierCode: d.agencyDossierCode,
    procedureCode: d.procedureCode,
    status: d.status,
    appointmentDate: d.appointmentDate?.toISOString() ?? null,
    punctuality: punctuality(d.snapshot),
    updatedAt: d.updatedAt.toISOString(),
  };
}

/**
 * The dossier as operators see it through the API: the applicant's citizen id, personal tax
 * code and phone number masked (the postal backend gets the full snapshot on `bridge.events`, where it
 * needs it to return the result).
 */
export function maskedForOperators(dossier: Dossier): Dossier {
  const applicant =
    dossier.applicant.kind === 'person'
      ? {
          ...dossier.applicant,
          citizenId: maskCitizenId(dossier.applicant.citizenId),
          phone: maskPhone(dossier.applicant.phone),
        }
      : {
          ...dossier.applicant,
          // A 12-digit tax code is a person's citizen id (household business); others are public.
          taxCode: /^\d{12}$/.test(dossier.applicant.taxCode)
            ? maskCitizenId(dossier.applicant.taxCode)
            : dossier.applicant.taxCode,
          phone: maskPhone(dossier.applicant.phone),
        };
  return { ...dossier, applicant };
}
