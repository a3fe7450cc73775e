import {
  AdapterDependencies,
  AdapterSpec,
  AgencyAdapter,
  AgencyIdentity,
  AgencyReceipt,
  AgencyStatusChange,
  adapterLimits,
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
import { RestAuthenticator } from './rest-auth';
import { decodeCallbackBody, verifyCallback } from './rest-callback';
import { RestDialect } from './rest-dialect';
import { RestHttpClient, RestResponse } from './rest-http-client';
import { mapHttpError, parseJsonBody } from './rest-errors';
import { fillPath, joinUrl, RestAdapterOptions, RestOperation } from './rest-options';

type Placeholders = Record<string, string | undefined>;

/** The id a probe looks up: no dossier has it. */
const PROBE_REF = 'bridge-probe-00000000';

/**
 * Speaks JSON over HTTP to one agency: every operation is a method + path from the agency
 * file, every body a JSONata mapping, every answer classified by {@link mapHttpError}.
 */
export class RestAdapter implements AgencyAdapter {
  private readonly options: RestAdapterOptions;
  private readonly dialect: RestDialect;
  private readonly http: RestHttpClient;
  private readonly auth: RestAuthenticator;

  constructor(
    readonly agency: AgencyIdentity,
    private readonly spec: AdapterSpec,
    deps: AdapterDependencies,
  ) {
    this.options = spec.options as unknown as RestAdapterOptions;
    this.dialect = new RestDialect(spec, agency.code);
    this.http = new RestHttpClient(
      spec.timeoutMs,
      this.options.headers,
      adapterLimits(spec).maxResponseBytes,
    );
    this.auth = new RestAuthenticator(spec, this.http, this.options, agency.code, deps.store);
  }

  async submit(submission: DossierSubmission, ctx: CallContext): Promise<AgencyReceipt> {
    const ref = { bridgeId: submission.idempotencyKey, itemId: submission.dossier.inboundItemId };
    if (this.options.lookupBeforeSubmit) {
      const existing = await this.find(ref, ctx);
      if (existing) return existing;
    }
    const body = await this.dialect.submitBody(submission);
    const key = submission.idempotencyKey;
    let response: RestResponse;
    try {
      response = await this.call(
        'submit',
        this.options.operations.submit,
        { idempotencyKey: key },
        ctx,
        body,
        key,
      );
    } catch (error) {
      // Some agencies answer a repeated filing with 409 Conflict: the dossier is there, fetch its receipt.
      if (error instanceof IntegrationError && error.vendorCode === '409') {
        const existing = await this.find(ref, ctx);
        if (existing) return existing;
      }
      throw error;
    }
    return this.dialect.receipt(parseJsonBody(response.status, response.headers, response.bodyText));
  }

  lookup(idempotencyKey: string, ctx: CallContext): Promise<AgencyReceipt | null> {
    return this.find({ bridgeId: idempotencyKey }, ctx);
  }

  async lookupStatus(ref: DossierLookupRef, ctx: CallContext): Promise<LookedUpStatus | null> {
    const answer = await this.lookupAnswer(ref, ctx);
    return answer === null ? null : this.dialect.lookedUpStatus(answer);
  }

  /** Whether the vendor's API takes supplementary documents at all. */
  get takesSupplements(): boolean {
    return this.options.operations.supplement !== undefined;
  }

  private async find(ref: DossierLookupRef, ctx: CallContext): Promise<AgencyReceipt | null> {
    const answer = await this.lookupAnswer(ref, ctx);
    return answer === null ? null : this.dialect.lookupReceipt(answer);
  }

  /** The parsed look-up answer, or null on 404 (the agency has no such dossier). */
  private async lookupAnswer(ref: DossierLookupRef, ctx: CallContext): Promise<unknown> {
    const values = lookupInput(ref, this.options.lookupBy);
    let response: RestResponse;
    try {
      response = await this.call('lookup', this.options.operations.lookup, values, ctx);
    } catch (error) {
      if (error instanceof IntegrationError && error.code === IntegrationErrorCode.NOT_FOUND) return null;
      throw error;
    }
    return parseJsonBody(response.status, response.headers, response.bodyText);
  }

  async submitSupplement(supplement: SupplementSubmission, ctx: CallContext): Promise<void> {
    const body = await this.dialect.supplementBody(supplement);
    const { agencyDossierCode, idempotencyKey } = supplement;
    const op = this.options.operations.supplement;
    if (!op)
      throw IntegrationError.permanent(
        `agency ${this.agency.code} takes no supplementary documents (no supplement operation)`,
      );
    await this.call('supplement', op, { agencyDossierCode, idempotencyKey }, ctx, body, idempotencyKey);
  }

  async notifyDelivered(notice: DeliveryNotice, ctx: CallContext): Promise<void> {
    const body = await this.dialect.deliveryBody(notice);
    const { agencyDossierCode, idempotencyKey } = notice;
    const op = this.options.operations.delivered;
    await this.call('delivered', op, { agencyDossierCode, idempotencyKey }, ctx, body, idempotencyKey);
  }

  async poll(cursor: string | undefined, ctx: CallContext): Promise<PollResult> {
    const op = this.options.operations.poll;
    if (!op) return { changes: [], cursor };
    const response = await this.call('poll', op, { cursor: cursor ?? '' }, ctx);
    const json = parseJsonBody(response.status, response.headers, response.bodyText);
    const page = await this.dialect.pollPage(json, `poll ${op.path}`);
    return { ...page, cursor: page.cursor ?? cursor };
  }

  /** A polled record set aside earlier, read again with the current mappings and status table. */
  async readRejected(record: RejectedRecord): Promise<AgencyStatusChange> {
    return this.dialect.statusChange(recordToReadAgain(record));
  }

  async parseCallback(callback: InboundCallback, ctx: CallContext): Promise<AgencyStatusChange[]> {
    ctx.record({ direction: 'inbound', operation: 'callback', body: callback.rawBody.toString('utf8') });
    verifyCallback(callback, this.spec.callbackAuth);
    const items = decodeCallbackBody(callback);
    const changes: AgencyStatusChange[] = [];
    for (const [index, item] of items.entries()) {
      try {
        changes.push(await this.dialect.statusChange(item));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw IntegrationError.permanent(`callback change #${index + 1} cannot be used: ${reason}`, {
          cause: error,
        });
      }
    }
    return changes;
  }

  async probe(ctx: CallContext): Promise<ProbeResult> {
    const started = Date.now();
    const probe = this.options.operations.probe;
    try {
      if (!probe) return await this.probeByLookup(ctx, started);
      const response = await this.call('probe', probe, {}, ctx);
      const latencyMs = Date.now() - started;
      return { ok: true, detail: `HTTP ${response.status} in ${latencyMs} ms`, latencyMs };
    } catch (error) {
      const detail = error instanceof IntegrationError ? `${error.code}: ${error.message}` : String(error);
      return { ok: false, detail, latencyMs: Date.now() - started };
    }
  }

  /**
   * Without a probe operation the agency is asked for a dossier that cannot exist: a "not found"
   * answer proves it is up and accepts our credentials, and files nothing.
   */
  private async probeByLookup(ctx: CallContext, started: number): Promise<ProbeResult> {
    const found = await this.lookupAnswer({ bridgeId: PROBE_REF, itemId: PROBE_REF }, ctx);
    const latencyMs = Date.now() - started;
    const answer = found === null ? 'not found' : 'an answer';
    return {
      ok: true,
      detail: `no probe operation; a look-up answered ${answer} in ${latencyMs} ms`,
      latencyMs,
    };
  }

  async close(): Promise<void> {
    // fetch pools connections globally; nothing of ours stays open.
  }

  /** One authenticated call; a 401 on a token credential refreshes the token and retries once. */
  private async call(
    operation: string,
    op: RestOperation,
    placeholders: Placeholders,
    ctx: CallContext,
    json?: unknown,
    idempotencyKey?: string,
  ): Promise<RestResponse> {
    const url = joinUrl(this.spec.endpoint, fillPath(op.path, placeholders));
    const extra: Record<string, string> = {};
    if (idempotencyKey && this.options.idempotencyHeader)
      extra[this.options.idempotencyHeader] = idempotencyKey;
    for (let attempt = 1; ; attempt++) {
      const authHeaders = await this.auth.headers(ctx);
      const headers = { ...extra, ...authHeaders };
      const response = await this.http.send({ operation, method: op.method, url, headers, json }, ctx);
      if (response.status === 401 && this.auth.refreshable && attempt === 1) {
        await this.auth.invalidate(authHeaders);
        continue;
      }
      if (response.status >= 300) throw mapHttpError(response.status, response.headers, response.bodyText);
      return response;
    }
  }
}
