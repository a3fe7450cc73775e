import { AdapterSpec } from '@bridge/adapter-sdk';

/** The `adapter.options` of an `igate-legacy` agency. */
export interface IgateLegacyOptions {
  /** Servlet path of the service, relative to the endpoint (default `/igate/service.do`). */
  path?: string;
  /** Most changes asked for per poll (default 100). */
  pollBatch?: number;
}

/** JSON Schema of {@link IgateLegacyOptions}. */
export const igateLegacyOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', pattern: '^/' },
    pollBatch: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;

/** Problems of an igate-legacy adapter section that its JSON Schema cannot see. */
export function checkIgateLegacySpec(spec: AdapterSpec): string[] {
  const problems: string[] = [];
  if (spec.auth.type !== 'basic')
    problems.push(
      'adapter.auth.type: igate-legacy needs basic (username = app code, password = signing key)',
    );
  return problems;
}
