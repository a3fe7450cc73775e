import { RestOperations } from '../rest-options';
import { ApiOperation } from './openapi-document';

/** A role of `options.operations`. */
export type RestRole = keyof RestOperations;

/** The roles in the order an agency file lists them. */
export const REST_ROLES: RestRole[] = ['submit', 'lookup', 'supplement', 'delivered', 'poll', 'probe'];

/**
 * Words per role in operation ids, summaries and paths, most specific first: "traketqua" is a
 * delivery notice although it names a dossier, "thaydoi" a change feed although it is a GET.
 * Vietnamese vendors' words without diacritics, as they appear in paths.
 */
const ROLE_PATTERNS: [RestRole, RegExp, (op: ApiOperation) => boolean][] = [
  ['delivered', /traketqua|xacnhantra|datra|deliver/i, (op) => op.method !== 'GET'],
  ['supplement', /bosung|supplement/i, (op) => op.method !== 'GET'],
  ['poll', /thaydoi|changes|events|feed|updates|findbystatus|status/i, (op) => op.method === 'GET'],
  ['probe', /health|ping|trangthaihethong|heartbeat|version/i, (op) => op.method === 'GET'],
  ['submit', /nophoso|tiepnhan|submit|create|add|hoso|dossier/i, (op) => op.method === 'POST'],
  ['lookup', /tracuu|lookup|find|get|search|hoso|dossier/i, (op) => op.method === 'GET'],
];

/** An operation placed in a role, with its path rewritten to the bridge's placeholders. */
export interface PlacedOperation {
  role: RestRole;
  operation: ApiOperation;
  path: string;
}

const words = (op: ApiOperation) =>
  `${op.operationId ?? ''} ${op.path} ${op.summary ?? ''}`.replace(/[-_\s/]/g, '');

/** Places each operation in at most one role and each role at most once; the rest are warned about. */
export function placeOperations(operations: ApiOperation[], warnings: string[]): PlacedOperation[] {
  const placed: PlacedOperation[] = [];
  const left = [...operations];
  for (const [role, pattern, fits] of ROLE_PATTERNS) {
    const matches = left.filter((op) => fits(op) && pattern.test(words(op)) && usable(role, op));
    // A dossier is looked up by a key in its path before a search by query.
    const best =
      role === 'lookup'
        ? (matches.find((op) => op.parameters.some((p) => p.in === 'path')) ?? matches[0])
        : matches[0];
    const index = best ? left.indexOf(best) : -1;
    if (index < 0) continue;
    const [operation] = left.splice(index, 1);
    placed.push({ role, operation, path: bridgePath(role, operation, warnings) });
  }
  for (const op of left)
    warnings.push(`operation ${op.method} ${op.path}: no role guessed; place it by hand if needed`);
  return REST_ROLES.flatMap((role) => placed.filter((p) => p.role === role));
}

/** A look-up must take one parameter to carry the bridge id; a probe must take none. */
function usable(role: RestRole, op: ApiOperation): boolean {
  const params = op.parameters.filter((p) => p.in === 'path' || p.in === 'query');
  if (role === 'lookup') return params.length > 0;
  if (role === 'probe') return params.every((p) => !p.required);
  return true;
}

const PLACEHOLDER: Partial<Record<RestRole, string>> = {
  lookup: 'idempotencyKey',
  supplement: 'agencyDossierCode',
  delivered: 'agencyDossierCode',
  poll: 'cursor',
};

/**
 * The operation's path with the bridge's placeholder in place of the vendor's parameter: the
 * look-up's key becomes {idempotencyKey}, a dossier in the path {agencyDossierCode}, a feed's
 * first query parameter {cursor}. Other required parameters are left for a person, named.
 */
function bridgePath(role: RestRole, op: ApiOperation, warnings: string[]): string {
  const placeholder = PLACEHOLDER[role];
  const inPath = op.parameters.filter((p) => p.in === 'path');
  const query = op.parameters.filter((p) => p.in === 'query');
  let path = op.path;
  let used = false;
  for (const param of inPath) {
    const value = placeholder && !used ? `{${placeholder}}` : `TODO-${param.name}`;
    used ||= Boolean(placeholder);
    if (value.startsWith('TODO'))
      warnings.push(`${role}: path parameter {${param.name}} has no bridge value; fill it in`);
    path = path.replace(`{${param.name}}`, value);
  }
  const first = query.find((p) => p.required) ?? (role === 'poll' ? query[0] : undefined);
  if (placeholder && !used && first) {
    path += `?${first.name}={${placeholder}}`;
  }
  for (const param of query.filter((p) => p.required && p !== first)) {
    warnings.push(`${role}: required query parameter ${param.name} is not set; add it to the path`);
  }
  return path;
}
