import { X2jOptions, XMLParser } from 'fast-xml-parser';
import { UnsafeXmlError } from './unsafe-xml-error';
import { decodeXmlEntities, scanXmlStructure } from './xml-structure-scan';

/** Limits of the safe XML reader; every agency response and push is read under them. */
export interface XmlLimits {
  /** Largest document accepted, in bytes (default 2 MB). */
  maxBytes?: number;
  /** Deepest element nesting accepted (default 64). */
  maxDepth?: number;
}

/** How the parsed tree names things. */
export interface XmlReadOptions {
  /**
   * Keep `prefix:` on element and attribute names and the `xmlns` attributes (the WSDL reader
   * needs them to tell `soap:address` from `soap12:address`). Default false: prefixes are
   * dropped, so mappings see plain names such as `MaHoSo`.
   */
  keepNamespacePrefixes?: boolean;
}

export const DEFAULT_XML_LIMITS: Required<XmlLimits> = { maxBytes: 2 * 1024 * 1024, maxDepth: 64 };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const parsers = new Map<string, XMLParser>();

/** The reader's parser options (exported for the test that compares them with the defaults). */
export function safeParserOptions(maxDepth: number, keepPrefixes: boolean): X2jOptions {
  return {
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: !keepPrefixes,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    // Entities are never expanded by the parser: DOCTYPE is refused up front, and the five
    // predefined entities and character references are decoded here instead.
    processEntities: false,
    htmlEntities: false,
    tagValueProcessor: (_name, value) => decodeXmlEntities(value),
    attributeValueProcessor: (_name, value) => decodeXmlEntities(value),
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth,
    // No callback here reads the element path, so the parser need not write it out as text
    // for every element (a fifth of its time on a small answer).
    jPath: false,
  };
}

/** One parser per (depth, prefix mode): XMLParser instances are reusable and costly to build. */
function parserFor(maxDepth: number, keepPrefixes: boolean): XMLParser {
  const key = `${maxDepth}:${keepPrefixes}`;
  let parser = parsers.get(key);
  if (!parser) {
    parser = new XMLParser(safeParserOptions(maxDepth, keepPrefixes));
    parsers.set(key, parser);
  }
  return parser;
}

/**
 * Decodes bytes as strict UTF-8 (a BOM is dropped).
 * @throws UnsafeXmlError `invalid-utf8` for anything else.
 */
export function decodeUtf8Strict(input: Buffer | Uint8Array): string {
  try {
    return utf8.decode(input);
  } catch {
    throw new UnsafeXmlError('invalid-utf8', 'the document is not valid UTF-8');
  }
}

/**
 * Parses an XML document from an agency safely: size limit, strict UTF-8, no DOCTYPE or entity
 * declarations (refused before the parser sees them, so nothing can expand), depth limit, and
 * a well-formedness check (truncated documents and mismatched tags are refused). Text stays
 * text: "0099" and "20250101080000" are not turned into numbers. Attributes appear as `@_name`.
 *
 * @throws UnsafeXmlError naming the rule the document broke.
 */
export function parseSafeXml(
  input: Buffer | Uint8Array | string,
  limits: XmlLimits = {},
  options: XmlReadOptions = {},
): Record<string, unknown> {
  const maxBytes = limits.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes;
  const maxDepth = limits.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) {
    throw new UnsafeXmlError('too-big', `the document is ${size} bytes, more than the limit of ${maxBytes}`);
  }
  let text = typeof input === 'string' ? input : decodeUtf8Strict(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/\S/.test(text)) throw new UnsafeXmlError('empty', 'the document is empty');
  scanXmlStructure(text, maxDepth);
  try {
    return parserFor(maxDepth, options.keepNamespacePrefixes === true).parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UnsafeXmlError('malformed', `the document is not well-formed XML: ${(error as Error).message}`);
  }
}
