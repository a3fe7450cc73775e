import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseTaxCode } from '../identifiers/tax-code';
import { parseItemId } from '../identifiers/s10';
import { CloudEvent } from './cloud-event';
import { BRIDGE_EVENT_TYPES, BridgeEventType, POSTAL_EVENT_TYPES, PostalEventType } from './event-types';
import { RAW_POSTAL_TRACKING_SCHEMA, RawTrackingEvent } from './raw-tracking';
import { CLOUD_EVENT_ENVELOPE_SCHEMA, EVENT_SCHEMAS, EventType } from './schemas/cloud-event-schema';
import { JsonSchema } from './schemas/json-schema';

/** One problem found in a document: the JSON Pointer of the field and the rule, in plain words. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** The result of validating a document. */
export type Validation<T> =
  { readonly ok: true; readonly event: T } | { readonly ok: false; readonly errors: ValidationIssue[] };

export interface EventValidatorOptions {
  /**
   * Accept item ids that are not UPU S10 (some domestic codes). S10-shaped ids must still
   * carry a correct check digit. Default: false.
   */
  readonly allowNonS10ItemIds?: boolean;
}

/**
 * Validates CloudEvents against the bridge's JSON Schemas, then checks what a schema cannot:
 * check digits of item ids and tax codes. Each schema is compiled once, on first use.
 */
export class EventValidator {
  private readonly ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
  });
  private readonly compiled = new Map<JsonSchema, ValidateFunction>();

  constructor(private readonly options: EventValidatorOptions = {}) {
    addFormats(this.ajv);
  }

  /** Validates a message from `postal.inbound` (or the HTTP ingress). */
  validatePostalEvent(doc: unknown): Validation<CloudEvent<unknown, PostalEventType>> {
    return this.validateEvent(doc, POSTAL_EVENT_TYPES) as Validation<CloudEvent<unknown, PostalEventType>>;
  }

  /** Validates a message bound for `bridge.events`. */
  validateBridgeEvent(doc: unknown): Validation<CloudEvent<unknown, BridgeEventType>> {
    return this.validateEvent(doc, BRIDGE_EVENT_TYPES) as Validation<CloudEvent<unknown, BridgeEventType>>;
  }

  /** Validates a raw tracking event of the postal system. */
  validateRawTrackingEvent(doc: unknown): Validation<RawTrackingEvent> {
    const errors = this.schemaErrors(RAW_POSTAL_TRACKING_SCHEMA, doc);
    if (errors.length === 0) this.checkItemId(doc, ['itemId'], errors);
    return errors.length === 0 ? { ok: true, event: doc as RawTrackingEvent } : { ok: false, errors };
  }

  private validateEvent(doc: unknown, known: readonly EventType[]): Validation<CloudEvent> {
    if (!isObject(doc))
      return { ok: false, errors: [{ path: '/', message: 'must be a JSON object (a CloudEvent)' }] };
    const type = doc.type;
    if (typeof type !== 'string' || !known.includes(type as EventType)) {
      const what = typeof type === 'string' ? `unknown event type "${type}"` : 'is required';
      const errors = this.schemaErrors(CLOUD_EVENT_ENVELOPE_SCHEMA, doc).filter(
        (e) => !e.path.startsWith('/type'),
      );
      return {
        ok: false,
        errors: [{ path: '/type', message: `${what}; known types: ${known.join(', ')}` }, ...errors],
      };
    }
    const errors = this.schemaErrors(EVENT_SCHEMAS[type as EventType], doc);
    this.checkSemantics(doc, errors);
    return errors.length === 0 ? { ok: true, event: doc as unknown as CloudEvent } : { ok: false, errors };
  }

  /** Identifier rules beyond shape, checked only where the schema found the field well-formed. */
  private checkSemantics(doc: Record<string, unknown>, errors: ValidationIssue[]): void {
    for (const path of [
      ['data', 'itemId'],
      ['data', 'resultItemId'],
      ['data', 'dossier', 'inboundItemId'],
      ['data', 'dossier', 'resultItemId'],
    ]) {
      this.checkItemId(doc, path, errors);
    }
    for (const path of [
      ['data', 'applicant', 'taxCode'],
      ['data', 'dossier', 'applicant', 'taxCode'],
    ]) {
      const value = valueAt(doc, path);
      const pointer = `/${path.join('/')}`;
      if (typeof value !== 'string' || errors.some((e) => e.path === pointer)) continue;
      const result = parseTaxCode(value);
      if (!result.ok) errors.push({ path: pointer, message: result.error });
    }
  }

  private checkItemId(doc: unknown, path: string[], errors: ValidationIssue[]): void {
    const value = valueAt(doc, path);
    const pointer = `/${path.join('/')}`;
    if (typeof value !== 'string' || errors.some((e) => e.path === pointer)) return;
    const result = parseItemId(value, { allowNonS10: this.options.allowNonS10ItemIds ?? false });
    if (!result.ok) errors.push({ path: pointer, message: result.error });
  }

  private schemaErrors(schema: JsonSchema, doc: unknown): ValidationIssue[] {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    if (validate(doc)) return [];
    return describeErrors(validate.errors ?? []);
  }
}

/** Turns ajv's errors into one plain-words issue per field, dropping the noise of branches. */
export function describeErrors(errors: readonly ErrorObject[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    // Branch errors of anyOf/oneOf and key errors inside propertyNames restate the parent's.
    if (error.keyword === 'if' || /\/(anyOf|oneOf)\/\d+\/|\/propertyNames\//.test(error.schemaPath)) continue;
    const issue = describeError(error);
    if (!issues.some((i) => i.path === issue.path && i.message === issue.message)) issues.push(issue);
  }
  return issues;
}

function describeError(error: ErrorObject): ValidationIssue {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  switch (error.keyword) {
    case 'required':
      return { path: `${error.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return {
        path: `${error.instancePath}/${String(params.additionalProperty)}`,
        message: 'is not a known field',
      };
    case 'type':
      return { path, message: `must be of type ${String(params.type)}` };
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'maxLength':
      return { path, message: `is longer than ${String(params.limit)} characters` };
    case 'propertyNames': {
      const keyRule = (error.schema as { description?: string }).description ?? 'valid';
      return {
        path: `${error.instancePath}/${String(params.propertyName)}`,
        message: `is not allowed as a key: keys must be ${keyRule}`,
      };
    }
    default:
      return { path, message: description ? `must be ${description}` : (error.message ?? 'is invalid') };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(doc: unknown, path: readonly string[]): unknown {
  let current = doc;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}
