/**
 * A JSON Schema (draft-07) as a plain object. The schemas are data so the validator compiles
 * them and the AsyncAPI document embeds the very same objects.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** The dialect every schema of the bridge is written in. */
export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/**
 * A string that must match `pattern` in full. `description` states the rule in plain words:
 * the validator quotes it when the value does not match.
 */
export function patternString(pattern: string, description: string): JsonSchema {
  return { type: 'string', pattern: `^(?:${pattern})$`, description };
}

/** An object with exactly these properties, the `required` ones mandatory. */
export function strictObject(
  properties: Record<string, JsonSchema>,
  required: readonly string[],
  extra: Record<string, unknown> = {},
): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}
