import jsonata from 'jsonata';
import { AdapterFactory, AdapterSpec, compileMappings } from '@bridge/adapter-sdk';
import { RestAdapter } from './rest-adapter';
import { RestAdapterOptions, RestOperation, restOptionsSchema } from './rest-options';

const REQUIRED_MAPPINGS = [
  'submitRequest',
  'submitResponse',
  'supplementRequest',
  'deliveryRequest',
] as const;
const PLACEHOLDERS = new Set(['idempotencyKey', 'agencyDossierCode', 'cursor']);

/** Problems a JSON Schema cannot see in a `rest` agency's adapter section, as `path: message`. */
export function checkRestSpec(spec: AdapterSpec): string[] {
  const problems: string[] = [];
  const options = spec.options as unknown as RestAdapterOptions;
  if (spec.auth.type === 'ws-security')
    problems.push('adapter.auth.type: ws-security is for SOAP agencies, not rest');
  for (const name of REQUIRED_MAPPINGS) {
    if (!spec.mappings[name]) problems.push(`adapter.mappings.${name}: required by the rest adapter`);
  }
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
  if (options.operations?.lookup && !/\{idempotencyKey\}/.test(options.operations.lookup.path)) {
    problems.push(
      'adapter.options.operations.lookup.path: must contain {idempotencyKey} to find a dossier by bridge id',
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
  create: (agency, spec, deps) => new RestAdapter(agency, spec, deps),
};
