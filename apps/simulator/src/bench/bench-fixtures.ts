import { DataSource } from 'typeorm';
import {
  collectedEvent as collectedCloudEvent,
  nextS10,
  registerAgencies as registerAgencyDocs,
} from '../support';

export { exampleAgency, projectRoot, withOverrides } from '../support';

/** The secret key the bench's bridge processes run with (the bench database is its own). */
export const BENCH_SECRET_KEY = 'bench-secret-key-0123456789abcdef';

/** Registers agencies (agency-file objects), as `bridge agencies apply` would. */
export async function registerAgencies(
  dataSource: DataSource,
  agencies: Record<string, unknown>[],
): Promise<void> {
  await registerAgencyDocs(dataSource, agencies, { secretKey: BENCH_SECRET_KEY, appliedBy: 'bench' });
}

/** A fresh, valid UPU S10 item id of the bench's own series. */
export function nextItemId(): string {
  return nextS10('BB');
}

/** A `postal.dossier.collected` CloudEvent as the postal system sends it, with its id and item. */
export function collectedEvent(agencyCode: string): {
  id: string;
  type: string;
  itemId: string;
  body: object;
} {
  const itemId = nextItemId();
  const body = collectedCloudEvent(agencyCode, { itemId });
  return { id: body.id, type: body.type, itemId, body };
}
