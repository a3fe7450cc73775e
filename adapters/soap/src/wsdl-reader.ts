import { parseSafeXml, XmlLimits } from './safe-xml-reader';
import { SoapVersion } from './soap-envelope';

const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
const SOAP11_NS = 'http://schemas.xmlsoap.org/wsdl/soap/';
const SOAP12_NS = 'http://schemas.xmlsoap.org/wsdl/soap12/';

type XmlNode = Record<string, unknown>;
type Namespaces = Record<string, string>;

/** One SOAP port of a WSDL service. */
export interface WsdlPort {
  service: string;
  name: string;
  binding: string;
  address: string;
  version: SoapVersion;
}

/** One operation of a binding, with its SOAPAction and request element. */
export interface WsdlBindingOperation {
  name: string;
  soapAction: string;
  /** The element a document/literal request carries in its Body (often the operation name). */
  requestElement: string;
}

/** What the importer needs from a WSDL 1.1 document. */
export interface WsdlSummary {
  targetNamespace: string;
  ports: WsdlPort[];
  bindings: Record<string, { portType: string; version?: SoapVersion; operations: WsdlBindingOperation[] }>;
  /** Port type → operation → the local name of its input message. */
  portTypes: Record<string, Record<string, string>>;
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

function list(value: unknown): XmlNode[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) =>
    typeof v === 'object' && v !== null ? (v as XmlNode) : {},
  );
}

/** Namespace declarations of `node` on top of those inherited. */
function scope(node: XmlNode, inherited: Namespaces): Namespaces {
  let own: Namespaces | undefined;
  for (const key of Object.keys(node)) {
    if (key === '@_xmlns' || key.startsWith('@_xmlns:')) {
      own ??= { ...inherited };
      own[key === '@_xmlns' ? '' : key.slice(8)] = String(node[key]);
    }
  }
  return own ?? inherited;
}

/** Children of `node` named `local` in namespace `ns`, whatever prefix the document chose. */
function children(node: XmlNode, ns: Namespaces, uri: string, local: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (const key of Object.keys(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    const colon = key.indexOf(':');
    const prefix = colon === -1 ? '' : key.slice(0, colon);
    if (key.slice(colon + 1) === local && ns[prefix] === uri) out.push(...list(node[key]));
  }
  return out;
}

const attr = (node: XmlNode, name: string) =>
  node[`@_${name}`] === undefined ? '' : String(node[`@_${name}`]);

/**
 * Reads services, ports, bindings and port types from a WSDL 1.1 document, through the safe
 * XML reader (DOCTYPE refused, limits applied).
 * @throws Error naming what is missing when the document is not a WSDL 1.1 description.
 */
export function readWsdl(wsdlText: string, limits: XmlLimits = {}): WsdlSummary {
  const document = parseSafeXml(wsdlText, limits, { keepNamespacePrefixes: true });
  const rootKey = Object.keys(document).find((k) => !k.startsWith('@_'));
  if (!rootKey) throw new Error('the WSDL has no root element');
  const root = list(document[rootKey])[0];
  const ns = scope(root, {});
  const rootPrefix = rootKey.includes(':') ? rootKey.slice(0, rootKey.indexOf(':')) : '';
  if (localName(rootKey) === 'description')
    throw new Error('WSDL 2.0 documents are not supported; export WSDL 1.1');
  if (localName(rootKey) !== 'definitions' || ns[rootPrefix] !== WSDL_NS) {
    throw new Error(`the document is not a WSDL 1.1 description (root element <${rootKey}>)`);
  }
  const messageElements: Record<string, string> = {};
  for (const message of children(root, ns, WSDL_NS, 'message')) {
    const firstPart = children(message, scope(message, ns), WSDL_NS, 'part')[0];
    if (firstPart && attr(firstPart, 'element'))
      messageElements[attr(message, 'name')] = localName(attr(firstPart, 'element'));
  }
  const portTypes: WsdlSummary['portTypes'] = {};
  for (const portType of children(root, ns, WSDL_NS, 'portType')) {
    const pns = scope(portType, ns);
    const operations: Record<string, string> = {};
    for (const operation of children(portType, pns, WSDL_NS, 'operation')) {
      const input = children(operation, scope(operation, pns), WSDL_NS, 'input')[0];
      operations[attr(operation, 'name')] = input ? localName(attr(input, 'message')) : '';
    }
    portTypes[attr(portType, 'name')] = operations;
  }
  const bindings: WsdlSummary['bindings'] = {};
  for (const binding of children(root, ns, WSDL_NS, 'binding')) {
    const bns = scope(binding, ns);
    const version = children(binding, bns, SOAP12_NS, 'binding').length > 0 ? '1.2' : undefined;
    const soap11 = children(binding, bns, SOAP11_NS, 'binding').length > 0 ? '1.1' : undefined;
    const portType = localName(attr(binding, 'type'));
    const inputs = portTypes[portType] ?? {};
    const operations = children(binding, bns, WSDL_NS, 'operation').map((operation) => {
      const ons = scope(operation, bns);
      const soapOperation = [
        ...children(operation, ons, SOAP11_NS, 'operation'),
        ...children(operation, ons, SOAP12_NS, 'operation'),
      ][0];
      const name = attr(operation, 'name');
      return {
        name,
        soapAction: soapOperation ? attr(soapOperation, 'soapAction') : '',
        requestElement: messageElements[inputs[name]] ?? name,
      };
    });
    bindings[attr(binding, 'name')] = {
      portType,
      version: version ?? soap11,
      operations,
    };
  }
  const ports: WsdlPort[] = [];
  for (const service of children(root, ns, WSDL_NS, 'service')) {
    const sns = scope(service, ns);
    for (const port of children(service, sns, WSDL_NS, 'port')) {
      const pns = scope(port, sns);
      const soap11 = children(port, pns, SOAP11_NS, 'address')[0];
      const soap12 = children(port, pns, SOAP12_NS, 'address')[0];
      const address = soap11 ?? soap12;
      if (!address) continue;
      ports.push({
        service: attr(service, 'name'),
        name: attr(port, 'name'),
        binding: localName(attr(port, 'binding')),
        address: attr(address, 'location'),
        version: soap11 ? '1.1' : '1.2',
      });
    }
  }
  return { targetNamespace: attr(root, 'targetNamespace'), ports, bindings, portTypes };
}
