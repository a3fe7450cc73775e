import {
  adapterLimits,
  AdapterSpec,
  answerText,
  AgencyAdapter,
  AgencyReceipt,
  AgencyStatusChange,
  CallContext,
  DateSettings,
  DeliveryNotice,
  DossierSubmission,
  formatVendorDate,
  IntegrationError,
  IntegrationErrorCode,
  PollResult,
  readBoundedAnswer,
  ProbeResult,
  RejectedRecord,
  textRecordToReadAgain,
  SupplementSubmission,
  toIntegrationError,
} from '@bridge/adapter-sdk';
import { IGATE_OK_CODES, mapIgateHttpStatus, mapIgateResult } from './igate-legacy-errors';
import { encodeFields, IgateAnswer, IgateCommand, parseAnswer, signedForm } from './igate-legacy-protocol';
import { changeOfRecord, changesOf, receiptOf } from './igate-legacy-records';
import { igateDates } from './igate-replay-dialect';
import { IgateLegacyOptions } from './igate-legacy-options';

/**
 * A custom adapter for a legacy iGate one-stop system: signed pipe-delimited form posts and
 * fixed-width answers (see igate-legacy-protocol.ts). Credentials come from `auth` of type
 * `basic`: the username is the app code iGate issued, the password the HMAC signing key.
 */
export class IgateLegacyAdapter implements AgencyAdapter {
  private readonly url: string;
  private readonly user: string;
  private readonly secret: string;
  private readonly dates: DateSettings;

  constructor(private readonly spec: AdapterSpec) {
    if (spec.auth.type !== 'basic')
      throw IntegrationError.permanent('igate-legacy needs auth.type basic (app code + signing key)');
    const options = spec.options as IgateLegacyOptions;
    this.url = `${spec.endpoint.replace(/\/+$/, '')}${options.path ?? '/igate/service.do'}`;
    this.user = spec.auth.username;
    this.secret = spec.auth.password;
    this.dates = igateDates(spec);
  }

  async submit({ idempotencyKey, dossier }: DossierSubmission, ctx: CallContext): Promise<AgencyReceipt> {
    const a = dossier.applicant;
    const name = a.kind === 'person' ? a.fullName : a.name;
    const idNumber = a.kind === 'person' ? a.citizenId : a.taxCode;
    const address = [a.address.line, a.address.commune, a.address.district, a.address.province]
      .filter(Boolean)
      .join(', ');
    const documents = dossier.documents.reduce((sum, d) => sum + d.count, 0);
    const collected = formatVendorDate(dossier.timestamps.collected ?? new Date().toISOString(), this.dates);
    const data = encodeFields([
      idempotencyKey,
      dossier.procedureCode,
      name,
      idNumber,
      a.phone,
      address,
      documents,
      collected,
    ]);
    return receiptOf(await this.exchange('NOPHS', data, ctx), this.spec.statusCodes, this.dates);
  }

  async lookup(idempotencyKey: string, ctx: CallContext): Promise<AgencyReceipt | null> {
    try {
      const answer = await this.exchange('TRACUU', encodeFields([idempotencyKey]), ctx);
      return receiptOf(answer, this.spec.statusCodes, this.dates);
    } catch (error) {
      if (error instanceof IntegrationError && error.code === IntegrationErrorCode.NOT_FOUND) return null;
      throw error;
    }
  }

  async submitSupplement(s: SupplementSubmission, ctx: CallContext): Promise<void> {
    const names = s.documents.map(
      (d) => `${d.name} (${d.form === 'original' ? 'bản chính' : 'bản sao'} x${d.count})`,
    );
    await this.exchange(
      'BOSUNG',
      encodeFields([s.agencyDossierCode, s.idempotencyKey, s.documents.length, names.join('; ')]),
      ctx,
    );
  }

  async notifyDelivered(n: DeliveryNotice, ctx: CallContext): Promise<void> {
    await this.exchange(
      'TRAKQ',
      encodeFields([n.agencyDossierCode, n.resultItemId, formatVendorDate(n.deliveredAt, this.dates)]),
      ctx,
    );
  }

  async poll(cursor: string | undefined, ctx: CallContext): Promise<PollResult> {
    const batch = (this.spec.options as IgateLegacyOptions).pollBatch ?? 100;
    const answer = await this.exchange('THAYDOI', encodeFields([cursor ?? '0', batch]), ctx);
    const { changes, rejected, lastSeq } = changesOf(answer, this.spec.statusCodes, this.dates);
    return { changes, rejected, cursor: lastSeq ?? cursor };
  }

  /** A THAYDOI record set aside earlier, read again with the current status table. */
  async readRejected(record: RejectedRecord): Promise<AgencyStatusChange> {
    return changeOfRecord(textRecordToReadAgain(record), this.spec.statusCodes, this.dates);
  }

  async parseCallback(): Promise<AgencyStatusChange[]> {
    throw IntegrationError.permanent('iGate does not call back: its changes are polled');
  }

  async probe(ctx: CallContext): Promise<ProbeResult> {
    const started = Date.now();
    try {
      const answer = await this.exchange('PING', '', ctx);
      return {
        ok: true,
        detail: `iGate ${answer.code} ${answer.message}`.trim(),
        latencyMs: Date.now() - started,
      };
    } catch (error) {
      return { ok: false, detail: (error as Error).message, latencyMs: Date.now() - started };
    }
  }

  async close(): Promise<void> {}

  /** One signed request; the log keeps the payload, never the signature or key. */
  private async exchange(cmd: IgateCommand, data: string, ctx: CallContext): Promise<IgateAnswer> {
    const form = signedForm(cmd, this.user, this.secret, data);
    ctx.record({
      direction: 'outbound',
      operation: cmd,
      endpoint: `POST ${this.url}`,
      body: `cmd=${cmd}&user=${this.user}&ts=${form.get('ts')}&data=${data}`,
    });
    const started = Date.now();
    const timeout = AbortSignal.timeout(this.spec.timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        body: form,
        signal: ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout,
      });
      status = response.status;
      const body = response.body as AsyncIterable<Uint8Array> | null;
      const { maxResponseBytes } = adapterLimits(this.spec);
      const declared = response.headers.get('content-length');
      text = answerText(await readBoundedAnswer(body, maxResponseBytes, `iGate ${cmd}`, declared));
    } catch (error) {
      ctx.record({
        direction: 'inbound',
        operation: cmd,
        endpoint: `POST ${this.url}`,
        status: 'error',
        body: String(error),
      });
      if (error instanceof IntegrationError) throw error;
      if (timeout.aborted)
        throw IntegrationError.temporary(`iGate did not answer within ${this.spec.timeoutMs} ms`, {
          cause: error,
        });
      const mapped = toIntegrationError(error);
      throw error instanceof TypeError
        ? IntegrationError.temporary(`iGate unreachable: ${error.message}`, { cause: error })
        : mapped;
    }
    ctx.record({
      direction: 'inbound',
      operation: cmd,
      endpoint: `POST ${this.url}`,
      status,
      body: text,
      durationMs: Date.now() - started,
    });
    if (status !== 200) throw mapIgateHttpStatus(status, text);
    const answer = parseAnswer(text);
    if (!IGATE_OK_CODES.has(answer.code)) throw mapIgateResult(answer.code, answer.message);
    return answer;
  }
}
