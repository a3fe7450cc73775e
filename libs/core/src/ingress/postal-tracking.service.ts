import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CloudEvent,
  EventValidator,
  mapRawTrackingEvent,
  normalizeDeep,
  RawTrackingEvent,
  TrackingLeg,
  TrackingTable,
  ValidationIssue,
} from '@bridge/domain';
import { DossierEntity } from '@bridge/persistence';
import { deterministicUuid } from '../outbox/outbox-writer';
import { AcceptOptions, IngressOutcome, PostalIngressService } from './postal-ingress.service';
import { loadTrackingTable } from './tracking-table';

/** CloudEvents `source` of events the bridge derived from raw tracking events. */
export const RAW_TRACKING_SOURCE = '/postal/tracking-raw';

/** What became of one raw tracking event. */
export type TrackingOutcome =
  | { kind: 'invalid'; errors: ValidationIssue[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'unmapped'; reason: string }
  | { kind: 'mapped'; type: string; outcome: IngressOutcome };

/**
 * The postal side as an adapter: raw tracking events (item id, UPU EMSEVT or operator code,
 * office, time) are mapped to postal event types through the operator's table
 * (config/postal/tracking-codes.yaml) and then take the same path as every postal event. The
 * leg (inbound or result shipment) comes from the event, or from which of a dossier's item ids
 * it names.
 */
@Injectable()
export class PostalTrackingService {
  private readonly validator = new EventValidator();
  private readonly table: TrackingTable = loadTrackingTable();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PostalIngressService) private readonly ingress: PostalIngressService,
  ) {}

  /** Whether a message looks like a raw tracking event rather than a CloudEvent. */
  static isRaw(doc: unknown): boolean {
    return (
      !!doc && typeof doc === 'object' && !('specversion' in doc) && 'eventCode' in doc && 'itemId' in doc
    );
  }

  async accept(doc: unknown, correlationId?: string, options: AcceptOptions = {}): Promise<TrackingOutcome> {
    const validation = this.validator.validateRawTrackingEvent(normalizeDeep(doc));
    if (!validation.ok) return { kind: 'invalid', errors: validation.errors };
    const raw = validation.event as RawTrackingEvent & { dossierRef?: string };
    const leg = raw.leg ?? (await this.legOf(raw.itemId, raw.dossierRef));
    const mapping = mapRawTrackingEvent(raw, this.table, leg);
    if (mapping.kind !== 'mapped') return mapping;
    const event: CloudEvent = {
      specversion: '1.0',
      id: deterministicUuid(`tracking:${raw.itemId}:${raw.eventCode}:${raw.time}`),
      source: RAW_TRACKING_SOURCE,
      type: mapping.type,
      time: raw.time,
      datacontenttype: 'application/json',
      data: raw.dossierRef ? { ...mapping.data, dossierRef: raw.dossierRef } : mapping.data,
    };
    return {
      kind: 'mapped',
      type: mapping.type,
      outcome: await this.ingress.accept(event, correlationId, options),
    };
  }

  /** inbound when the item is a dossier's inbound shipment; result when it is (or will be) its result shipment. */
  private async legOf(itemId: string, dossierRef?: string): Promise<TrackingLeg | undefined> {
    const dossier = await this.dataSource
      .getRepository(DossierEntity)
      .createQueryBuilder('d')
      .where('d.inbound_item_id = :itemId OR d.result_item_id = :itemId', { itemId })
      .getOne();
    if (dossier) return dossier.inboundItemId === itemId ? 'inbound' : 'result';
    return dossierRef ? 'result' : undefined;
  }
}
