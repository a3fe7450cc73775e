import { UnsafeXmlError } from './unsafe-xml-error';
import { writeXml } from './xml-writer';

/** The two SOAP versions an agency may speak. */
export type SoapVersion = '1.1' | '1.2';

/** Envelope namespace of each version. */
export const SOAP_ENVELOPE_NS: Record<SoapVersion, string> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};

/** How the operation element and its children are namespaced. */
export interface EnvelopeSettings {
  version: SoapVersion;
  /** The service's target namespace. */
  namespace: string;
  /** Prefix of the operation element (default `tns`). */
  prefix?: string;
  /**
   * `qualified` (default, the usual `elementFormDefault="qualified"`): children of the operation
   * are in the target namespace too; `unqualified`: only the operation element is.
   */
  elementForm?: 'qualified' | 'unqualified';
}

/** A SOAP fault, with the version differences flattened away. */
export interface SoapFault {
  /** The fault code without its prefix: Client/Server (1.1), Sender/Receiver (1.2), or a vendor code. */
  code: string;
  /** The 1.2 subcode, or the part after the dot of a 1.1 code such as `Client.Authentication`. */
  subcode?: string;
  /** faultstring (1.1) or Reason/Text (1.2). */
  message: string;
  detail?: unknown;
}

/** A SOAP message after parsing: what is inside Header and Body, and the fault when there is one. */
export interface ParsedEnvelope {
  header?: Record<string, unknown>;
  body: Record<string, unknown>;
  fault?: SoapFault;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** Builds envelopes for one agency; the namespace attributes are computed once. */
export class SoapEnvelopeBuilder {
  private readonly envelopeAttributes: Record<string, string>;
  private readonly prefix: string;
  private readonly qualified: boolean;

  constructor(private readonly settings: EnvelopeSettings) {
    this.prefix = settings.prefix ?? 'tns';
    this.qualified = (settings.elementForm ?? 'qualified') === 'qualified';
    this.envelopeAttributes = {
      '@_xmlns:soap': SOAP_ENVELOPE_NS[settings.version],
      [`@_xmlns:${this.prefix}`]: settings.namespace,
    };
  }

  /**
   * Wraps `content` (the JSON a request mapping produced: keys become elements, `@_x` keys
   * attributes, arrays repeated elements) in the operation element, Body and Envelope.
   */
  build(operation: string, content: unknown, header?: Record<string, unknown>): string {
    const inner =
      content !== null && typeof content === 'object' && !Array.isArray(content)
        ? content
        : content === undefined || content === null
          ? {}
          : { '#text': content };
    const operationElement = this.qualified ? { '@_xmlns': this.settings.namespace, ...inner } : inner;
    const envelope: Record<string, unknown> = { ...this.envelopeAttributes };
    if (header) envelope['soap:Header'] = header;
    envelope['soap:Body'] = { [`${this.prefix}:${operation}`]: operationElement };
    return XML_DECLARATION + writeXml({ 'soap:Envelope': envelope });
  }
}

/** Builds any envelope from already-prefixed content; for faults and replies to agency pushes. */
export function buildRawEnvelope(
  version: SoapVersion,
  body: Record<string, unknown>,
  extraAttributes = {},
): string {
  const envelope = { '@_xmlns:soap': SOAP_ENVELOPE_NS[version], ...extraAttributes, 'soap:Body': body };
  return XML_DECLARATION + writeXml({ 'soap:Envelope': envelope });
}

/** Plain text of a parsed node: a string, `#text` of an element with attributes, or the first of a list. */
export function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === 'object') return textOf((node as Record<string, unknown>)['#text']);
  return typeof node === 'number' || typeof node === 'boolean' ? String(node) : undefined;
}

function withoutPrefix(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

function readFault(node: Record<string, unknown>): SoapFault {
  if ('faultcode' in node || 'faultstring' in node) {
    const [code, ...rest] = withoutPrefix(textOf(node.faultcode) ?? 'Server').split('.');
    return {
      code,
      subcode: rest.length > 0 ? rest.join('.') : undefined,
      message: textOf(node.faultstring) ?? '',
      detail: node.detail,
    };
  }
  const codeNode = (node.Code ?? {}) as Record<string, unknown>;
  const subcodeNode = codeNode.Subcode as Record<string, unknown> | undefined;
  const reason = (node.Reason ?? {}) as Record<string, unknown>;
  const subcode = textOf(subcodeNode?.Value);
  return {
    code: withoutPrefix(textOf(codeNode.Value) ?? 'Receiver'),
    subcode: subcode ? withoutPrefix(subcode) : undefined,
    message: textOf(reason.Text) ?? '',
    detail: node.Detail,
  };
}

function asObject(node: unknown): Record<string, unknown> {
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : {};
}

/**
 * Finds Header, Body and Fault in a document parsed by the safe reader (prefixes removed).
 * @throws UnsafeXmlError when it is not a SOAP envelope or has no Body.
 */
export function readEnvelope(document: Record<string, unknown>): ParsedEnvelope {
  const envelope = document.Envelope;
  if (envelope === undefined) {
    const root = Object.keys(document).find((k) => !k.startsWith('@_')) ?? '(none)';
    throw new UnsafeXmlError(
      'malformed',
      `the document is not a SOAP envelope (its root element is <${root}>)`,
    );
  }
  const parts = asObject(envelope);
  if (!('Body' in parts)) throw new UnsafeXmlError('malformed', 'the SOAP envelope has no Body');
  const body = asObject(parts.Body);
  const header = 'Header' in parts ? asObject(parts.Header) : undefined;
  const fault = 'Fault' in body ? readFault(asObject(body.Fault)) : undefined;
  return { header, body, fault };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/**
 * Why the root of a well-formed document is not an Envelope in a SOAP namespace, or null when
 * it is (or when the root is not called Envelope at all, which {@link readEnvelope} reports).
 * The safe reader drops namespace prefixes, so without this check `<x:Envelope
 * xmlns:x="urn:anything">` would pass for SOAP. The Envelope is the root element, so its
 * namespace can only be declared on its own start tag.
 */
export function envelopeNamespaceProblem(xml: string): string | null {
  const root = /<(?![?!])(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>/.exec(xml);
  if (!root || root[2] !== 'Envelope') return null;
  const prefix = root[1];
  const declaration = new RegExp(
    `\\sxmlns${prefix ? `:${escapeRegExp(prefix)}` : ''}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`,
  ).exec(root[3]);
  const expected = `${SOAP_ENVELOPE_NS['1.1']} (SOAP 1.1) or ${SOAP_ENVELOPE_NS['1.2']} (SOAP 1.2)`;
  if (!declaration) {
    return `the Envelope element is in no namespace${prefix ? ` (prefix "${prefix}" is not declared)` : ''}; expected ${expected}`;
  }
  const namespace = declaration[1] ?? declaration[2];
  if (namespace === SOAP_ENVELOPE_NS['1.1'] || namespace === SOAP_ENVELOPE_NS['1.2']) return null;
  return `the Envelope element is in namespace "${namespace}"; expected ${expected}`;
}
