/**
 * What moves a dossier: the post's events, the agency's answers and the bridge's own steps.
 * Postal names equal the postal CloudEvent types; agency names are what an adapter reports.
 */
export const LIFECYCLE_EVENTS = [
  // from the post
  'postal.dossier.collected',
  'postal.dossier.handed_over',
  'postal.supplement.collected',
  'postal.result.collected',
  'postal.result.delivered',
  'postal.result.delivery_failed',
  'postal.dossier.cancelled',
  // from the agency (through its adapter)
  'agency.dossier.registered',
  'agency.submission.accepted',
  'agency.dossier.received',
  'agency.dossier.processing',
  'agency.supplement.requested',
  'agency.dossier.rejected',
  'agency.result.ready',
  'agency.result.returned',
  'agency.dossier.withdrawn',
  'agency.delivery.acknowledged',
] as const;

export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

export function isLifecycleEvent(value: unknown): value is LifecycleEvent {
  return typeof value === 'string' && (LIFECYCLE_EVENTS as readonly string[]).includes(value);
}
