import { SoapOperations } from './soap-options';
import { readWsdl, WsdlBindingOperation, WsdlPort } from './wsdl-reader';

/** An operation of the imported WSDL and the bridge role guessed for it. */
export interface WsdlOperationGuess {
  name: string;
  soapAction: string;
  /** What goes in `options.operations.<role>.name`: the request element of the Body. */
  requestElement: string;
  /** The role guessed from the name; absent when nothing matched or the role was taken. */
  role?: keyof SoapOperations;
}

/** What `importWsdl` produces: a starting agency file and what a person should look at. */
export interface WsdlImportResult {
  yaml: string;
  operations: WsdlOperationGuess[];
  warnings: string[];
}

/**
 * Name patterns per role, most specific first: "XacNhanTraKetQua" is a delivery notice, not a
 * look-up, and "LayDanhSachThayDoi" polls changes although it starts with "Lay" (get).
 */
const ROLE_PATTERNS: [keyof SoapOperations, RegExp][] = [
  ['delivered', /TraKetQua|XacNhanTra|DaTra|Deliver/i],
  ['supplement', /BoSung|Supplement/i],
  ['status', /ThayDoi|TrangThai|Status|Change/i],
  ['submit', /Nop|Submit|TiepNhan|GuiHoSo|Create|File/i],
  ['probe', /Ping|Echo|Health|KiemTraKetNoi|Version/i],
  ['lookup', /TraCuu|Lookup|Get|Lay|TimKiem|Search|Find|Query/i],
];

const ROLE_ORDER: (keyof SoapOperations)[] = [
  'submit',
  'lookup',
  'supplement',
  'delivered',
  'status',
  'probe',
];
const q = (value: string) => JSON.stringify(value);

function guessRoles(operations: WsdlBindingOperation[], warnings: string[]): WsdlOperationGuess[] {
  const taken = new Map<keyof SoapOperations, string>();
  return operations.map(({ name, soapAction, requestElement }) => {
    const role = ROLE_PATTERNS.find(([, pattern]) => pattern.test(name))?.[0];
    if (!role) {
      warnings.push(
        `operation ${name}: no role guessed from its name; place it by hand if the bridge needs it`,
      );
      return { name, soapAction, requestElement };
    }
    if (taken.has(role)) {
      warnings.push(`operation ${name}: also looks like "${role}", which ${taken.get(role)} already plays`);
      return { name, soapAction, requestElement };
    }
    taken.set(role, name);
    return { name, soapAction, requestElement, role };
  });
}

function choosePort(ports: WsdlPort[], warnings: string[]): WsdlPort {
  if (ports.length === 0)
    throw new Error('the WSDL has no service port with a soap:address or soap12:address');
  if (ports.length > 1) {
    const others = ports.slice(1).map((p) => `${p.name} (SOAP ${p.version})`);
    warnings.push(`the WSDL has several ports; used ${ports[0].name}, not ${others.join(', ')}`);
  }
  return ports[0];
}

/**
 * Reads a WSDL 1.1 document and writes a starting agency file for it: endpoint, SOAP version,
 * namespace and the operations guessed by name. Mappings, status codes, credentials and the
 * agency's place in the hierarchy are left for the IT department, as the file's comments say.
 * The WSDL is read with the safe XML reader (DOCTYPE refused).
 */
export function importWsdl(
  wsdlText: string,
  agency: { agencyCode: string; agencyName?: string },
): WsdlImportResult {
  const warnings: string[] = [];
  const wsdl = readWsdl(wsdlText);
  const port = choosePort(wsdl.ports, warnings);
  const binding = wsdl.bindings[port.binding];
  if (!binding)
    throw new Error(`port ${port.name} names binding ${port.binding}, which the WSDL does not define`);
  const declared = wsdl.portTypes[binding.portType];
  for (const op of Object.keys(declared ?? {})) {
    if (!binding.operations.some((b) => b.name === op))
      warnings.push(`operation ${op} of ${binding.portType} has no binding`);
  }
  const operations = guessRoles(binding.operations, warnings);
  const missing = ['submit', 'lookup'].filter((role) => !operations.some((o) => o.role === role));
  for (const role of missing)
    warnings.push(`no operation looks like "${role}"; name it in options.operations.${role}`);
  const hasStatus = operations.some((o) => o.role === 'status');

  const lines = [
    `# Starting agency file for ${agency.agencyCode}, read from the WSDL of service ${port.service}`,
    `# (port ${port.name}, SOAP ${port.version}). The WSDL gave the endpoint, SOAP version, namespace`,
    '# and operations. Before `bridge agencies apply`, the IT department completes:',
    "#   name, level, parent, province - the agency's place in the administrative hierarchy;",
    '#   procedures - the procedure codes it takes by post;',
    '#   adapter.auth - the credentials the agency issued (stored encrypted);',
    '#   adapter.statusCodes - every status code of the agency and the bridge status it means;',
    "#   adapter.dates - the agency's date format and time zone;",
    '#   adapter.mappings - JSONata from the dossier to each request and from each answer back',
    '#     (see adapters/soap/fixtures/agency.example.yaml for a complete set).',
    `code: ${q(agency.agencyCode)}`,
    `name: ${q(agency.agencyName ?? port.service)}`,
    'level: commune',
    'parent: null',
    'province: null',
    'procedures: []',
    'adapter:',
    '  kind: soap',
    `  endpoint: ${q(port.address)}`,
    '  auth:',
    '    type: none',
    '  timeoutMs: 15000',
    '  concurrency: 4',
    '  retry: { maxAttempts: 8, baseDelayMs: 2000, maxDelayMs: 600000, jitter: 0.2 }',
    '  circuit: { failureThreshold: 5, openMs: 60000 }',
    ...(hasStatus ? ['  pollIntervalMs: 60000'] : []),
    '  statusCodes: {}',
    '  dates:',
    '    format: yyyyMMddHHmmss',
    '    zone: Asia/Ho_Chi_Minh',
    '  mappings: {}',
    '  options:',
    `    soapVersion: ${q(port.version)}`,
    `    namespace: ${q(wsdl.targetNamespace)}`,
    '    operations:',
  ];
  for (const role of ROLE_ORDER) {
    const op = operations.find((o) => o.role === role);
    if (!op) continue;
    lines.push(
      `      ${role}:`,
      `        name: ${q(op.requestElement)}`,
      `        soapAction: ${q(op.soapAction)}`,
    );
  }
  const unplaced = operations.filter((o) => !o.role).map((o) => o.name);
  if (unplaced.length > 0) lines.push(`# Operations not placed: ${unplaced.join(', ')}.`);
  return { yaml: `${lines.join('\n')}\n`, operations, warnings };
}
