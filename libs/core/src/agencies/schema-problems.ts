import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { jsonPath } from './agency-problem';

/** A problem inside one document, before the file name is attached. */
export interface PathProblem {
  path: string;
  message: string;
}

/**
 * Ajv set up for the bridge's schemas: every error reported (not just the first), tagged unions
 * checked through their discriminator so errors name the chosen branch only, formats (uri, date)
 * enforced. `strict` stays on for our own schemas; adapter kinds' option schemas are compiled
 * leniently so an unknown annotation keyword in them is not taken for a mistake in the file.
 */
export function createSchemaValidator(strict: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, discriminator: true, strict, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

/**
 * Runs `validate` on `data` and turns every error into a problem whose path is a JSONPath from
 * the file's root: `prefix` is where `data` sits in the file (e.g. `['adapter', 'options']`).
 */
export function schemaProblems(
  validate: ValidateFunction,
  data: unknown,
  prefix: readonly (string | number)[] = [],
): PathProblem[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error) => describeError(error, data, prefix));
}

function describeError(error: ErrorObject, data: unknown, prefix: readonly (string | number)[]): PathProblem {
  const segments = [...prefix, ...pointerSegments(error.instancePath, data)];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: jsonPath([...segments, String(params.missingProperty)]), message: 'is required' };
    case 'additionalProperties':
      return {
        path: jsonPath([...segments, String(params.additionalProperty)]),
        message: 'is not a known field here (misspelt, or in the wrong section?)',
      };
    case 'enum':
      return {
        path: jsonPath(segments),
        message: `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'discriminator':
      return {
        path: jsonPath([...segments, String(params.tag)]),
        message:
          params.tagValue === undefined
            ? 'is required'
            : `${JSON.stringify(params.tagValue)} is not one of the known types`,
      };
    default:
      return { path: jsonPath(segments), message: error.message ?? `fails ${error.keyword}` };
  }
}

/** JSON Pointer → path segments, numbers where the data holds an array (so `[0]`, not `.0`). */
function pointerSegments(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(key));
      node = node[Number(key)];
    } else {
      out.push(key);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}
