import {
  AdapterDependencies,
  AdapterSpec,
  AgencyAdapter,
  AgencyIdentity,
  AgencyReceipt,
  AgencyStatusChange,
  CallContext,
  DeliveryNotice,
  DossierLookupRef,
  DossierSubmission,
  InboundCallback,
  IntegrationError,
  IntegrationErrorCode,
  LookedUpStatus,
  lookupInput,
  PollResult,
  ProbeResult,
  recordToReadAgain,
  RejectedRecord,
  SupplementSubmission,
} from '@bridge/adapter-sdk';
import { XmlLimits } from './safe-xml-reader';
import { decodeSoapCallback } from './soap-callback';
import { SoapDialect } from './soap-dialect';
import { SoapEnvelopeBuilder } from './soap-envelope';
import { envelopeBuilderFor } from './soap-replay-dialect';
import { SoapAdapterOptions, SoapOperations } from './soap-options';
import { redactEndpoint, SoapTransport } from './soap-transport';
import { buildUsernameTokenHeader } from './ws-security';

/**
 * An agency that speaks SOAP 1.1 or 1.2. Requests are JSON from the agency's JSONata mappings
 * wrapped in an envelope; answers are parsed once by the safe XML reader and handed to the
 * response mappings. Builder, parser and mappings are built once per adapter.
 */
/** XML limits of answers: the cap of `adapter.limits` wins over the older `options.xmlLimits.maxBytes`. */
function answerLimits(spec: AdapterSpec, options: SoapAdapterOptions): XmlLimits | undefined {
  const maxBytes = spec.limits?.maxResponseBytes ?? options.xmlLimits?.maxBytes;
  return maxBytes === undefined ? options.xmlLimits : { ...options.xmlLimits, maxBytes };
}

export class SoapAdapter implements AgencyAdapter {
  private readonly options: SoapAdapterOptions;
  private readonly dialect: SoapDialect;
  private readonly envelopes: SoapEnvelopeBuilder;
  private readonly transport: SoapTransport;

  constructor(
    private readonly agency: AgencyIdentity,
    private readonly spec: AdapterSpec,
    private readonly deps: AdapterDependencies,
  ) {
    this.options = spec.options as unknown as SoapAdapterOptions;
    this.dialect = new SoapDialect(agency.code, spec);
    this.envelopes = envelopeBuilderFor(this.options);
    this.transport = new SoapTransport({
      endpoint: spec.endpoint,
      version: this.options.soapVersion,
      timeoutMs: spec.timeoutMs,
      auth: spec.auth,
      limits: answerLimits(spec, this.options),
      notFoundFaults: this.options.notFoundFaults,
    });
  }

  /** Builds, sends and reads one operation; returns the content of the answer's Body. */
  private async invoke(role: keyof SoapOperations, content: unknown, ctx: CallContext) {
    const operation = this.options.operations[role];
    if (!operation) {
      throw IntegrationError.permanent(`agency ${this.agency.code} has no SOAP operation for "${role}"`);
    }
    // A fresh nonce and timestamp per message: a recorded digest cannot be replayed.
    const header =
      this.spec.auth.type === 'ws-security' ? buildUsernameTokenHeader(this.spec.auth) : undefined;
    const envelope = this.envelopes.build(operation.name, content, header);
    return (await this.transport.call(role, operation, envelope, ctx)).body;
  }

  async submit(submission: DossierSubmission, ctx: CallContext): Promise<AgencyReceipt> {
    if (this.options.lookupBeforeSubmit) {
      const ref = { bridgeId: submission.idempotencyKey, itemId: submission.dossier.inboundItemId };
      const body = await this.lookupAnswer(ref, ctx);
      const existing = body && (await this.dialect.readLookup(body));
      if (existing) return existing;
    }
    const body = await this.invoke('submit', await this.dialect.submitRequest(submission), ctx);
    return this.dialect.readReceipt(body);
  }

  async lookup(idempotencyKey: string, ctx: CallContext): Promise<AgencyReceipt | null> {
    const body = await this.lookupAnswer({ bridgeId: idempotencyKey }, ctx);
    return body && this.dialect.readLookup(body);
  }

  async lookupStatus(ref: DossierLookupRef, ctx: CallContext): Promise<LookedUpStatus | null> {
    const body = await this.lookupAnswer(ref, ctx);
    return body && this.dialect.readLookedUpStatus(body);
  }

  /** Whether the service has an operation for supplementary documents. */
  get takesSupplements(): boolean {
    return this.options.operations.supplement !== undefined;
  }

  /** The look-up answer's Body, or null on a "no such dossier" fault. */
  private async lookupAnswer(
    ref: DossierLookupRef,
    ctx: CallContext,
  ): Promise<Record<string, unknown> | null> {
    const request = await this.dialect.lookupRequest(lookupInput(ref, this.options.lookupBy));
    try {
      return await this.invoke('lookup', request, ctx);
    } catch (error) {
      // A "no such dossier" fault means null; an HTTP 404 means a wrong endpoint, and calling
      // that "not filed" would make the bridge file the dossier twice once the URL is fixed.
      const notFoundFault =
        error instanceof IntegrationError &&
        error.code === IntegrationErrorCode.NOT_FOUND &&
        error.vendorCode !== 'HTTP 404';
      if (notFoundFault) return null;
      throw error;
    }
  }

  async submitSupplement(supplement: SupplementSubmission, ctx: CallContext): Promise<void> {
    await this.invoke('supplement', await this.dialect.supplementRequest(supplement), ctx);
  }

  async notifyDelivered(notice: DeliveryNotice, ctx: CallContext): Promise<void> {
    await this.invoke('delivered', await this.dialect.deliveryRequest(notice), ctx);
  }

  async poll(cursor: string | undefined, ctx: CallContext): Promise<PollResult> {
    const operation = this.options.operations.status;
    if (!operation) return { changes: [], cursor };
    const body = await this.invoke('status', await this.dialect.pollRequest(cursor), ctx);
    const page = await this.dialect.readPollPage(body, operation.name);
    return {
      changes: page.changes,
      rejected: page.rejected.length > 0 ? page.rejected : undefined,
      cursor: page.cursor ?? cursor,
    };
  }

  /** A polled record set aside earlier, read again with the current mappings and status table. */
  async readRejected(record: RejectedRecord): Promise<AgencyStatusChange> {
    return this.dialect.readStatusRecord(recordToReadAgain(record));
  }

  async parseCallback(callback: InboundCallback, ctx: CallContext): Promise<AgencyStatusChange[]> {
    const settings = {
      agencyCode: this.agency.code,
      spec: this.spec,
      options: this.options,
      store: this.deps.store,
    };
    return decodeSoapCallback(callback, settings, this.dialect, ctx);
  }

  async probe(ctx: CallContext): Promise<ProbeResult> {
    const started = Date.now();
    try {
      if (this.options.operations.probe) {
        await this.invoke('probe', await this.dialect.probeRequest(), ctx);
        return {
          ok: true,
          detail: `${this.options.operations.probe.name} answered`,
          latencyMs: Date.now() - started,
        };
      }
      return await this.probeWsdl(ctx, started);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn('SOAP probe failed', { agency: this.agency.code, error: message });
      return { ok: false, detail: message, latencyMs: Date.now() - started };
    }
  }

  /** Without a probe operation, a service is healthy when it serves its WSDL. */
  private async probeWsdl(ctx: CallContext, started: number): Promise<ProbeResult> {
    const url = new URL(this.spec.endpoint);
    url.search = '?wsdl';
    const endpoint = redactEndpoint(url.toString());
    ctx.record({ direction: 'outbound', operation: 'probe', endpoint, body: 'GET ?wsdl' });
    const response = await fetch(url, { signal: AbortSignal.timeout(this.spec.timeoutMs) });
    const text = await response.text();
    ctx.record({
      direction: 'inbound',
      operation: 'probe',
      endpoint,
      status: response.status,
      body: text.slice(0, 4096),
    });
    const ok = response.ok && /definitions/.test(text);
    return {
      ok,
      detail: ok ? 'WSDL served' : `?wsdl answered HTTP ${response.status}`,
      latencyMs: Date.now() - started,
    };
  }

  async close(): Promise<void> {
    // fetch keeps no per-adapter connections; nothing to release.
  }
}
