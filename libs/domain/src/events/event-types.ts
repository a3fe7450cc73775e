import { DOSSIER_STATUSES, DossierStatus } from '../lifecycle/dossier-status';

/** CloudEvent types the postal system publishes to `postal.inbound` (or POSTs over HTTP). */
export const POSTAL_EVENT_TYPES = [
  'postal.dossier.collected',
  'postal.dossier.handed_over',
  'postal.supplement.collected',
  'postal.result.collected',
  'postal.result.delivered',
  'postal.result.delivery_failed',
  'postal.dossier.cancelled',
] as const;
export type PostalEventType = (typeof POSTAL_EVENT_TYPES)[number];

/** `dossier.<status>`: one normalized event type per status of the lifecycle. */
export type DossierEventType = `dossier.${DossierStatus}`;
export const DOSSIER_EVENT_TYPES = DOSSIER_STATUSES.map((s): DossierEventType => `dossier.${s}`);

export const OPERATIONAL_EVENT_TYPES = [
  'delivery.dead_lettered',
  'agency.circuit_opened',
  'agency.circuit_closed',
  'audit.checkpoint',
  'postal.event_refused',
] as const;
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

/** Every type the bridge publishes to `bridge.events` (routing key = type). */
export type BridgeEventType = DossierEventType | OperationalEventType;
export const BRIDGE_EVENT_TYPES: readonly BridgeEventType[] = [
  ...DOSSIER_EVENT_TYPES,
  ...OPERATIONAL_EVENT_TYPES,
];

export function isPostalEventType(value: unknown): value is PostalEventType {
  return typeof value === 'string' && (POSTAL_EVENT_TYPES as readonly string[]).includes(value);
}

export function dossierEventType(status: DossierStatus): DossierEventType {
  return `dossier.${status}`;
}

/** The AMQP exchanges of the public contract. */
export const EXCHANGES = { postalInbound: 'postal.inbound', bridgeEvents: 'bridge.events' } as const;

/** CloudEvents `source` of everything the bridge publishes. */
export const BRIDGE_EVENT_SOURCE = '/postal-one-stop-bridge';
