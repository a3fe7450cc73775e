import {
  LookedUpStatus,
  readLookedUpStatus,
  AdapterSpec,
  AgencyReceipt,
  AgencyStatusChange,
  compileMappings,
  CompiledMapping,
  DeliveryNotice,
  DossierSubmission,
  IntegrationError,
  MappingBudgetError,
  RejectedRecord,
  setAsideRecord,
  SupplementSubmission,
} from '@bridge/adapter-sdk';
import { toReceipt, toStatusChange } from './rest-canonical';

/** The mappings a `rest` agency file may define (JSONata, see libs/adapter-sdk). */
export type RestMappingName =
  | 'submitRequest'
  | 'submitResponse'
  | 'lookupResponse'
  | 'supplementRequest'
  | 'deliveryRequest'
  | 'statusChange'
  | 'pollResponse';

/** Status changes read from a page of the agency's feed, and where to continue. */
export interface RestPollPage {
  changes: AgencyStatusChange[];
  rejected: RejectedRecord[];
  cursor?: string;
}

/**
 * The agency's dialect without the transport: its mappings compiled once, applied to
 * canonical objects going out and to decoded JSON coming in. Pure, so fixtures test it.
 */
export class RestDialect {
  private readonly mappings: Partial<Record<RestMappingName, CompiledMapping>>;

  constructor(
    private readonly spec: Pick<AdapterSpec, 'mappings' | 'statusCodes' | 'dates' | 'limits'>,
    agencyCode?: string,
  ) {
    this.mappings = compileMappings<RestMappingName>(spec.mappings, {
      dates: spec.dates,
      statusCodes: spec.statusCodes,
      agency: agencyCode,
      limits: spec.limits,
    });
  }

  submitBody(submission: DossierSubmission): Promise<unknown> {
    return this.map('submitRequest', {
      dossier: submission.dossier,
      idempotencyKey: submission.idempotencyKey,
    });
  }

  supplementBody(supplement: SupplementSubmission): Promise<unknown> {
    return this.map('supplementRequest', supplement);
  }

  deliveryBody(notice: DeliveryNotice): Promise<unknown> {
    return this.map('deliveryRequest', notice);
  }

  /** The receipt in a submit answer; an answer without a dossier code is PERMANENT. */
  async receipt(answer: unknown): Promise<AgencyReceipt> {
    const receipt = toReceipt(
      await this.map('submitResponse', answer),
      this.spec.statusCodes,
      'submitResponse',
    );
    if (!receipt)
      throw IntegrationError.permanent('the agency accepted the dossier but its answer has no dossier code');
    return receipt;
  }

  /** The receipt in a look-up answer, or null when the agency has no such dossier. */
  async lookupReceipt(answer: unknown): Promise<AgencyReceipt | null> {
    const name = this.mappings.lookupResponse ? 'lookupResponse' : 'submitResponse';
    return toReceipt(await this.map(name, answer), this.spec.statusCodes, name);
  }

  /** The dossier's current status in a look-up answer, or null when the agency has none. */
  async lookedUpStatus(answer: unknown): Promise<LookedUpStatus | null> {
    const name = this.mappings.lookupResponse ? 'lookupResponse' : 'submitResponse';
    return readLookedUpStatus(await this.map(name, answer), this.spec.statusCodes, name);
  }

  /** A page of the change feed: usable changes, records that are not (with why), the next cursor. */
  async pollPage(answer: unknown, source: string): Promise<RestPollPage> {
    const { items, cursor } = await this.pollItems(answer);
    const changes: AgencyStatusChange[] = [];
    const rejected: RejectedRecord[] = [];
    for (const item of items) {
      try {
        changes.push(await this.statusChange(item));
      } catch (error) {
        // Every further record would spend the budget again: the page fails as a whole.
        if (error instanceof MappingBudgetError) throw error;
        rejected.push(setAsideRecord(source, item, error));
      }
    }
    return { changes, rejected, cursor };
  }

  /** The records of a page of the change feed (through `pollResponse` when defined) and the cursor. */
  async pollItems(answer: unknown): Promise<{ items: unknown[]; cursor?: string }> {
    return pageOf(this.mappings.pollResponse ? await this.map('pollResponse', answer) : answer);
  }

  /** One agency status record → canonical change (status through the agency's table). */
  async statusChange(record: unknown): Promise<AgencyStatusChange> {
    return toStatusChange(await this.map('statusChange', record), this.spec.statusCodes);
  }

  private async map(name: RestMappingName, input: unknown): Promise<unknown> {
    const mapping = this.mappings[name];
    if (!mapping) throw IntegrationError.permanent(`the agency file has no "${name}" mapping`);
    return mapping(input);
  }
}

/** A poll answer: an array of records, or `{ items, cursor }` as the pollResponse mapping yields. */
function pageOf(page: unknown): { items: unknown[]; cursor?: string } {
  if (page === undefined || page === null) return { items: [] };
  if (Array.isArray(page)) return { items: page };
  if (typeof page === 'object') {
    const { items, cursor } = page as { items?: unknown; cursor?: unknown };
    const list = items === undefined || items === null ? [] : Array.isArray(items) ? items : [items];
    return {
      items: list,
      cursor:
        typeof cursor === 'string' || typeof cursor === 'number' ? String(cursor) || undefined : undefined,
    };
  }
  throw IntegrationError.permanent(
    `poll answer must be an array or { items, cursor }, got ${JSON.stringify(page)}`,
  );
}
