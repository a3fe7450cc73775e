import { DeliveryNotice } from '@bridge/adapter-sdk';
import { LoggedMessage, StoredDossier } from './replay-source';

/** Why a logged supplement is not replayed, whatever the kind. */
export const SUPPLEMENT_NOT_KEPT = 'the documents of a supplement are not kept outside the message log';

/** The stored dossier a logged request was built from; a reason when it is gone. */
export function requestDossier(
  message: LoggedMessage,
  dossiers: ReadonlyMap<string, StoredDossier>,
): StoredDossier | string {
  const stored = message.dossierId ? dossiers.get(message.dossierId) : undefined;
  return stored ?? 'the dossier is no longer in the database';
}

/**
 * The delivery notice the bridge sends for a stored dossier, as the delivery processor builds
 * it (bridge id as the idempotency key); a reason when the dossier no longer holds it.
 */
export function deliveryNotice(
  message: LoggedMessage,
  dossiers: ReadonlyMap<string, StoredDossier>,
): { stored: StoredDossier; notice: DeliveryNotice } | string {
  const stored = message.dossierId ? dossiers.get(message.dossierId) : undefined;
  const deliveredAt = stored?.snapshot.timestamps?.delivered;
  if (!stored?.agencyDossierCode || !deliveredAt) return 'the dossier no longer holds its delivery';
  const notice: DeliveryNotice = {
    idempotencyKey: stored.id,
    agencyDossierCode: stored.agencyDossierCode,
    resultItemId: stored.resultItemId ?? undefined,
    deliveredAt,
  };
  return { stored, notice };
}
