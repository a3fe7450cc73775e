import {
  LookedUpStatus,
  readLookedUpStatus,
  AdapterSpec,
  AgencyReceipt,
  AgencyStatusChange,
  CompiledMapping,
  compileMappings,
  DeliveryNotice,
  DossierSubmission,
  IntegrationError,
  MappingBudgetError,
  MappingContext,
  RejectedRecord,
  setAsideRecord,
  SupplementSubmission,
} from '@bridge/adapter-sdk';
import { asList, optionalString, toReceipt, toStatusChange } from './soap-results';

/** The mappings a SOAP agency file may define (see SoapAdapterOptions). */
export type SoapMappingName =
  | 'submitRequest'
  | 'submitResponse'
  | 'lookupRequest'
  | 'lookupResponse'
  | 'supplementRequest'
  | 'deliveryRequest'
  | 'pollRequest'
  | 'pollResponse'
  | 'statusChange'
  | 'probeRequest'
  | 'callbackRecords';

/** A page of status changes read from a poll answer. */
export interface SoapPollPage {
  changes: AgencyStatusChange[];
  rejected: RejectedRecord[];
  cursor?: string;
}

/**
 * One agency's dialect: its compiled mappings, turning canonical requests into the JSON that
 * goes inside the operation element, and answer Bodies back into receipts and status changes.
 * No I/O, so recorded answers can be replayed through it (the golden tests do).
 */
export class SoapDialect {
  readonly context: MappingContext;
  private readonly mappings: Partial<Record<SoapMappingName, CompiledMapping>>;

  /**
   * `countFallbacksAs`: the key its evaluations by JSONata are counted under (default the
   * agency's code; null: not counted).
   */
  constructor(
    private readonly agencyCode: string,
    spec: Pick<AdapterSpec, 'mappings' | 'dates' | 'statusCodes' | 'limits'>,
    countFallbacksAs: string | null = agencyCode,
  ) {
    this.context = {
      dates: spec.dates,
      statusCodes: spec.statusCodes,
      agency: countFallbacksAs ?? undefined,
      limits: spec.limits,
    };
    this.mappings = compileMappings<SoapMappingName>(spec.mappings, this.context);
  }

  has(name: SoapMappingName): boolean {
    return this.mappings[name] !== undefined;
  }

  // Not async: the mapping's own promise is handed on, without one more promise around it.
  private run(name: SoapMappingName, input: unknown): Promise<unknown> {
    const mapping = this.mappings[name];
    if (!mapping) {
      return Promise.reject(IntegrationError.permanent(`agency ${this.agencyCode} has no mapping "${name}"`));
    }
    return mapping(input);
  }

  submitRequest(submission: DossierSubmission): Promise<unknown> {
    return this.run('submitRequest', submission);
  }
  async readReceipt(body: Record<string, unknown>): Promise<AgencyReceipt> {
    return toReceipt(await this.run('submitResponse', body), 'submitResponse', this.context, false)!;
  }
  /** Input: `{ idempotencyKey, bridgeId, itemId?, agencyDossierCode?, dossierRef? }` (see lookupInput). */
  lookupRequest(input: Record<string, string>): Promise<unknown> {
    return this.run('lookupRequest', input);
  }
  /** The dossier's current status in a look-up answer, or null when the agency has none. */
  async readLookedUpStatus(body: Record<string, unknown>): Promise<LookedUpStatus | null> {
    return readLookedUpStatus(
      await this.run('lookupResponse', body),
      this.context.statusCodes,
      'lookupResponse',
    );
  }
  /** A look-up answer as a receipt, or null when the agency has no such dossier. */
  async readLookup(body: Record<string, unknown>): Promise<AgencyReceipt | null> {
    return toReceipt(await this.run('lookupResponse', body), 'lookupResponse', this.context, true);
  }
  supplementRequest(supplement: SupplementSubmission): Promise<unknown> {
    return this.run('supplementRequest', supplement);
  }
  deliveryRequest(notice: DeliveryNotice): Promise<unknown> {
    return this.run('deliveryRequest', notice);
  }
  pollRequest(cursor: string | undefined): Promise<unknown> {
    return this.run('pollRequest', { cursor });
  }
  probeRequest(): Promise<unknown> {
    return this.has('probeRequest') ? this.run('probeRequest', {}) : Promise.resolve({});
  }

  /** The records of a poll answer (through `pollResponse`) and the cursor. */
  async pollRecords(body: Record<string, unknown>): Promise<{ records: unknown[]; cursor?: string }> {
    const page = ((await this.run('pollResponse', body)) ?? {}) as { records?: unknown; cursor?: unknown };
    return { records: asList(page.records), cursor: optionalString(page.cursor) };
  }

  /** A poll answer: each record through statusChange; unusable records are set aside with why. */
  async readPollPage(body: Record<string, unknown>, source: string): Promise<SoapPollPage> {
    const page = await this.pollRecords(body);
    const changes: AgencyStatusChange[] = [];
    const rejected: RejectedRecord[] = [];
    for (const record of page.records) {
      try {
        changes.push(await this.readStatusRecord(record));
      } catch (error) {
        // Over the mapping budget, every further record would spend it again: the page fails.
        if (!(error instanceof IntegrationError) || error.transient) throw error;
        if (error instanceof MappingBudgetError) throw error;
        rejected.push(setAsideRecord(source, record, error));
      }
    }
    return { changes, rejected, cursor: page.cursor };
  }

  /** One agency status record (from a poll or a push) as a status change. */
  async readStatusRecord(record: unknown): Promise<AgencyStatusChange> {
    return toStatusChange(await this.run('statusChange', record), this.context);
  }

  /** The records of a push: `callbackRecords` when defined, else the Body's first element. */
  async callbackRecords(body: Record<string, unknown>): Promise<unknown[]> {
    if (this.has('callbackRecords')) return asList(await this.run('callbackRecords', body));
    return asList(Object.entries(body).find(([key]) => !key.startsWith('@_'))?.[1]);
  }
}
