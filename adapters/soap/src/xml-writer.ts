import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  // The builder's default writes an attribute whose value is "true" as a bare name (HTML's
  // boolean attributes), which is not well-formed XML: an agency's parser rejects the envelope.
  suppressBooleanAttributes: false,
});

/** An element or attribute name the fast writer handles; anything else goes to the builder. */
const PLAIN_NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;
const TEXT = '#text';
/** Deeper trees go to the builder, which has its own nesting limit and error. */
const MAX_FAST_DEPTH = 48;
const SPECIAL = /[&<>'"]/;

/** The builder's escaping (processEntities): `&` first, then `>`, `<`, `'`, `"`. */
function escape(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/>/g, '&gt;')
    .replace(/</g, '&lt;')
    .replace(/'/g, '&apos;')
    .replace(/"/g, '&quot;');
}

/** The builder's String(): `-0` is kept. */
function asText(value: string | number | boolean): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** The builder's text of an element's value: strings escaped, numbers and booleans as written. */
function scalarText(value: string | number | boolean): string {
  return typeof value === 'string' ? escape(value) : asText(value);
}

function isScalar(value: unknown): value is string | number | boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Thrown inside the fast writer at any shape it leaves to the builder. */
class NotPlain extends Error {}

/** One element `name` holding `value` (a scalar, null or a plain object). */
function element(name: string, value: unknown, depth: number): string {
  if (value === null) return `<${name}/>`;
  if (isScalar(value)) {
    const text = scalarText(value);
    return text === '' ? `<${name}/>` : `<${name}>${text}</${name}>`;
  }
  if (!isPlainObject(value) || depth > MAX_FAST_DEPTH) throw new NotPlain();
  let attributes = '';
  let children = '';
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (key === TEXT) {
      if (item === undefined) continue;
      if (!isScalar(item)) throw new NotPlain();
      children += escape(asText(item));
    } else if (key.startsWith('@_')) {
      const attribute = key.slice(2);
      if (!PLAIN_NAME.test(attribute)) throw new NotPlain();
      if (item === undefined || item === null) continue;
      if (!isScalar(item)) throw new NotPlain();
      attributes += ` ${attribute}="${escape(asText(item))}"`;
    } else children += elements(key, item, depth + 1);
  }
  // An element whose only key is its text is written from that value directly.
  if (value[TEXT] !== undefined && Object.keys(value).length === 1) {
    const text = scalarText(value[TEXT] as string | number | boolean);
    return text === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${text}</${name}>`;
  }
  return children === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${children}</${name}>`;
}

/** The elements of one key: one for a value, one per item for an array. */
function elements(name: string, value: unknown, depth: number): string {
  if (value === undefined) return '';
  if (!PLAIN_NAME.test(name)) throw new NotPlain();
  if (!Array.isArray(value)) return element(name, value, depth);
  let out = '';
  for (const item of value) {
    if (item === undefined) continue;
    // The builder writes null items ahead of the others: left to it.
    if (item === null || Array.isArray(item)) throw new NotPlain();
    out += element(name, item, depth);
  }
  return out;
}

/** The fast writer alone, or null where it leaves the tree to the builder (exported for tests). */
export function writeXmlFast(tree: Record<string, unknown>): string | null {
  if (!isPlainObject(tree)) return null;
  try {
    let out = '';
    for (const key of Object.keys(tree)) {
      const item = tree[key];
      if (key === TEXT) throw new NotPlain();
      // The builder drops scalar attributes at the top level (there is no element to hold them).
      if (key.startsWith('@_') && (item === undefined || item === null || isScalar(item))) {
        if (!PLAIN_NAME.test(key.slice(2))) throw new NotPlain();
        continue;
      }
      out += elements(key, item, 1);
    }
    return out;
  } catch (error) {
    if (error instanceof NotPlain) return null;
    throw error;
  }
}

/**
 * Writes a JSON tree as XML exactly as fast-xml-parser's builder does with the options above
 * (`@_` attributes, `#text`, arrays as repeated elements, empty elements self-closed). Trees
 * of plain objects, arrays and scalars with plain names are written directly, about five
 * times faster than the builder, which walks a path matcher per element; any other shape is
 * left to the builder. The unit tests compare both on generated trees.
 */
export function writeXml(tree: Record<string, unknown>): string {
  return writeXmlFast(tree) ?? builder.build(tree);
}

/** The builder itself, for tests comparing it with the fast writer. */
export function writeXmlWithBuilder(tree: Record<string, unknown>): string {
  return builder.build(tree);
}
