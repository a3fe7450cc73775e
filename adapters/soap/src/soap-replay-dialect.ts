import { AdapterSpec, DossierLookupRef, IntegrationError, lookupInput } from '@bridge/adapter-sdk';
import { SoapDialect } from './soap-dialect';
import { SoapEnvelopeBuilder } from './soap-envelope';
import { SoapAdapterOptions, SoapOperations } from './soap-options';

/** The envelope builder of an agency's options: version, namespace, prefix, element form. */
export function envelopeBuilderFor(options: SoapAdapterOptions): SoapEnvelopeBuilder {
  return new SoapEnvelopeBuilder({
    version: options.soapVersion,
    namespace: options.namespace,
    prefix: options.prefix,
    elementForm: options.elementForm,
  });
}

/**
 * A dialect that also writes its requests as the envelopes the agency receives (without the
 * WS-Security header, which changes with every message): for comparing a rebuilt request with
 * the logged one. No I/O. Its evaluations by JSONata are counted under `countFallbacksAs` only.
 */
export class SoapReplayDialect extends SoapDialect {
  private readonly envelopes: SoapEnvelopeBuilder;
  private readonly operations: SoapOperations;
  private readonly lookupBy: SoapAdapterOptions['lookupBy'];

  constructor(agencyCode: string, spec: AdapterSpec, countFallbacksAs?: string) {
    super(agencyCode, spec, countFallbacksAs ?? null);
    const options = spec.options as unknown as SoapAdapterOptions;
    this.envelopes = envelopeBuilderFor(options);
    this.operations = options.operations;
    this.lookupBy = options.lookupBy;
  }

  /** The input of `lookupRequest` for a dossier, as the adapter builds it. */
  lookupInput(ref: DossierLookupRef): Record<string, string> {
    return lookupInput(ref, this.lookupBy);
  }

  /** The envelope of the request of `role` holding `content` (what a request mapping yielded). */
  requestEnvelope(role: keyof SoapOperations, content: unknown): string {
    const operation = this.operations[role];
    if (!operation) throw IntegrationError.permanent(`the agency file has no SOAP operation for "${role}"`);
    return this.envelopes.build(operation.name, content);
  }
}
