import { Schema } from './openapi-document';

/**
 * The marker left where a value must be filled in: `TODO!` is not valid JSONata, so a file
 * still holding one is refused by `agencies apply` with the mapping and the position.
 */
export const TODO_VALUE = 'TODO!';

const MAX_DEPTH = 4;

/** `string, pattern ^[0-9]{12}$, one of A | B` — what a person needs to fill a field in. */
export function describeSchema(schema: Schema | undefined): string {
  if (!schema) return 'any';
  const merged = mergeAllOf(schema);
  const type = Array.isArray(merged.type)
    ? merged.type.join(' | ')
    : (merged.type ?? (merged.properties ? 'object' : 'any'));
  const parts = [type === 'array' ? `array of ${describeSchema(merged.items)}` : type];
  if (merged.format) parts.push(`format ${merged.format}`);
  if (merged.pattern) parts.push(`pattern ${merged.pattern}`);
  if (merged.maxLength !== undefined) parts.push(`at most ${merged.maxLength} characters`);
  if (merged.enum) parts.push(`one of ${merged.enum.map((v) => JSON.stringify(v)).join(' | ')}`);
  return parts.join(', ').replace(/\*\//g, '* /');
}

function mergeAllOf(schema: Schema): Schema {
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map(mergeAllOf);
  return {
    ...schema,
    type: schema.type ?? parts.find((p) => p.type)?.type,
    properties: Object.assign(
      {},
      ...parts.map((p) => p.properties),
      schema.properties,
    ) as Schema['properties'],
    required: [...(schema.required ?? []), ...parts.flatMap((p) => p.required ?? [])],
  };
}

/**
 * A JSONata object naming every required field of the request body, with its type, pattern
 * or enum as a comment and {@link TODO_VALUE} where the value goes; optional fields are
 * listed in a comment. Nested required objects are written the same way.
 */
export function requestSkeleton(schema: Schema | undefined, indent = '  ', depth = 0): string {
  const merged = schema ? mergeAllOf(schema) : undefined;
  if (!merged?.properties || depth >= MAX_DEPTH) return `${TODO_VALUE} /* ${describeSchema(schema)} */`;
  const required = new Set(merged.required ?? []);
  const inner = `${indent}  `;
  const lines = Object.entries(merged.properties)
    .filter(([name]) => required.has(name))
    .map(([name, field]) => {
      const nested = mergeAllOf(field);
      const value =
        nested.properties && (nested.required ?? []).length > 0
          ? requestSkeleton(nested, inner, depth + 1)
          : `${TODO_VALUE}`;
      return `${inner}/* ${name}: ${describeSchema(field)}, required */\n${inner}${JSON.stringify(name)}: ${value}`;
    });
  const optional = Object.keys(merged.properties).filter((name) => !required.has(name));
  const note = optional.length
    ? `\n${inner}/* optional: ${optional.join(', ').replace(/\*\//g, '* /')} */`
    : '';
  return `{\n${lines.join(',\n')}${note}\n${indent}}`;
}
