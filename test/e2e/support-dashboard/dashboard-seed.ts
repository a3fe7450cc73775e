import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AgencyChangesService,
  DeadLetterService,
  DossierLedger,
  inTransaction,
  MessageLogService,
  PostalIngressService,
} from '@bridge/core';
import { collectedEvent, nextS10, postalEvent } from '@bridge/testing';

/** A dossier the dashboard must show: late, with a timeline on both sides and a dead letter. */
export interface SeededDossier {
  dossierId: string;
  itemId: string;
  agencyDossierCode: string;
  deadLetterId: string;
  supplementReason: string;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Takes a dossier through the same services the worker uses: collected and handed over by the
 * post, filed at the agency (receipt with an appointment date three days ago, so it is late),
 * processing reported by the agency's poll, then a supplement the agency refused for good.
 */
export async function seedLateDossier(app: INestApplication, agencyCode: string): Promise<SeededDossier> {
  const dataSource = app.get(DataSource);
  const itemId = nextS10();
  const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
  const collected = collectedEvent(agencyCode, { itemId });
  (collected.data as { at: string }).at = daysAgo(12);
  const created = await app.get(PostalIngressService).accept(collected);
  const dossierId =
    created.kind === 'accepted' && 'dossierId' in created.result ? created.result.dossierId : undefined;
  if (!dossierId) throw new Error(`the seed dossier was not created: ${JSON.stringify(created)}`);
  await app
    .get(PostalIngressService)
    .accept(
      postalEvent('postal.dossier.handed_over', itemId, { handoverRecord: 'BB-2025-0117', at: daysAgo(11) }),
    );

  const agencyDossierCode = `${agencyCode}-250301-0042`;
  const appointmentDate = daysAgo(3);
  const correlationId = randomUUID();
  await inTransaction(dataSource, async (manager) => {
    await app.get(MessageLogService).append(
      [
        {
          channel: 'agency',
          direction: 'outbound',
          agencyCode,
          dossierId,
          operation: 'submit',
          correlationId,
          body: JSON.stringify({ maHoSoLienThong: dossierId, maThuTuc: '1.001612', maBuuGui: itemId }),
        },
        {
          channel: 'agency',
          direction: 'inbound',
          agencyCode,
          dossierId,
          operation: 'submit',
          correlationId,
          status: '201',
          body: JSON.stringify({ maHoSo: agencyDossierCode, trangThai: 'MOI_TIEP_NHAN' }),
        },
      ],
      manager,
    );
    const ledger = new DossierLedger(manager);
    const base = { origin: 'agency' as const, correlationId, ref: dossierId };
    const at = daysAgo(10);
    await ledger.apply({ ...base, event: 'agency.submission.accepted', occurredAt: at });
    await ledger.apply({
      ...base,
      event: 'agency.dossier.received',
      occurredAt: at,
      patch: { agencyDossierCode, appointmentDate },
      detail: `receipt ${agencyDossierCode}, appointment ${appointmentDate}`,
    });
  });
  await app.get(AgencyChangesService).apply(
    agencyCode,
    [
      {
        changeId: `thaydoi-${randomUUID()}`,
        // Named by the agency's own code, as most one-stop software reports its changes.
        agencyDossierCode,
        status: 'processing',
        agencyStatusCode: '4',
        at: daysAgo(8),
        note: 'Chuyên viên Phòng Tư pháp đang thẩm định',
      },
    ],
    { via: 'poll' },
  );

  const supplementReason = 'agency refused the supplement: "Tờ khai bổ sung không đúng mẫu" (HTTP 422)';
  const deadLetterId = await app.get(DeadLetterService).recordNow({
    origin: 'delivery',
    agencyCode,
    dossierId,
    operation: 'submit-supplement',
    payload: {
      jobId: `submit-supplement.${dossierId}.1`,
      payload: {
        agencyCode,
        dossierId,
        correlationId,
        data: { documents: [{ name: 'Tờ khai bổ sung', form: 'original', count: 1 }] },
      },
    },
    errorCode: 'PERMANENT',
    reason: supplementReason,
    attempts: [{ at: new Date().toISOString(), code: 'PERMANENT', message: supplementReason }],
    correlationId,
  });
  return { dossierId, itemId, agencyDossierCode, deadLetterId, supplementReason };
}
