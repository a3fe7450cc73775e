import jsonata from 'jsonata';
import { AdapterFactory, AdapterSpec, compileMappings } from '@bridge/adapter-sdk';
import { RestAdapter } from './rest-adapter';
import { RestAdapterOptions, RestOperation, restOptionsSchema } from './rest-options';

const REQUIRED_MAPPINGS = ['submitRequest', 'submitResponse', 'deliveryRequest'] as const;
const PLACEHOLDERS = new Set([
  'idempotencyKey',
  'bridgeId',
  'itemId',
  'agencyDossierCode',
  'dossierRef',
  'cursor',
]);
/** What can name a dossier in a look-up path before the agency gave its own code. */
const LOOKUP_KEYS = /\{(idempotencyKey|bridgeId|itemId|dossierRef)\}/;

/** Problems a JSON Schema cannot see in a `rest` agency's adapter section, as `path: message`. */
export function checkRestSpec(spec: AdapterSpec): string[] {
  const problems: string[] = [];
  const options = spec.options as unknown as RestAdapterOptions;
  if (spec.auth.type === 'ws-security')
    problems.push('adapter.auth.type: ws-security is for SOAP agencies, not rest');
  for (const name of REQUIRED_MAPPINGS) {
    if (!spec.mappings[name]) problems.push(`adapter.mappings.${name}: required by the rest adapter`);
  }
  if (options.operations?.supplement && !spec.mappings.supplementRequest)
    problems.push('adapter.mappings.supplementRequest: required by operations.supplement');
  if ((options.operations?.poll || spec.callbackAuth) && !spec.mappings.statusChange) {
    problems.push('adapter.mappings.statusChange: required when the agency is polled or calls back');
  }
  const operations = Object.entries(options.operations ?? {}) as [string, RestOperation | undefined][];
  for (const [name, op] of operations) {
    for (const [, placeholder] of (op?.path ?? '').matchAll(/\{(\w+)\}/g)) {
      if (!PLACEHOLDERS.has(placeholder)) {
        problems.push(`adapter.options.operations.${name}.path: unknown placeholder {${placeholder}}`);
      }
    }
  }
  const lookupPath = options.operations?.lookup?.path ?? '';
  if (options.operations?.lookup && !LOOKUP_KEYS.test(lookupPath)) {
    problems.push(
      'adapter.options.operations.lookup.path: must contain {dossierRef}, {idempotencyKey} or {itemId} to find a dossier',
    );
  }
  try {
    compileMappings(spec.mappings, { dates: spec.dates, statusCodes: spec.statusCodes });
  } catch (error) {
    problems.push(`adapter.mappings: ${(error as Error).message}`);
  }
  if (spec.auth.type === 'session-login' && spec.auth.tokenPath) {
    try {
      jsonata(spec.auth.tokenPath);
    } catch (error) {
      problems.push(`adapter.auth.tokenPath: not valid JSONata: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** The `rest` adapter kind: JSON over HTTP with configurable operations, auth and mappings. */
export const restAdapterFactory: AdapterFactory = {
  optionsSchema: restOptionsSchema,
  check: checkRestSpec,
  looksUpStatus: true,
  // Without a probe operation the adapter looks up a dossier that cannot exist (RestAdapter.probe).
  probeOf: (options) => {
    const probe = (options as unknown as RestAdapterOptions).operations?.probe;
    return probe
      ? { operation: `${probe.method} ${probe.path}`, fallback: null }
      : { operation: null, fallback: 'lookup' };
  },
  create: (agency, spec, deps) => new RestAdapter(agency, spec, deps),
};
