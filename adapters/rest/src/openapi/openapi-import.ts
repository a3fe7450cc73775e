import { ApiDocument, ApiSecurityScheme, readApiDocument } from './openapi-document';
import { placeOperations, PlacedOperation, REST_ROLES } from './openapi-roles';
import { describeSchema, requestSkeleton, TODO_VALUE } from './openapi-skeleton';

/** What `importOpenApi` produces: a starting agency file and what a person should look at. */
export interface OpenApiImportResult {
  yaml: string;
  operations: Array<{ role: string; method: string; path: string; operationId?: string }>;
  warnings: string[];
}

const q = (value: string) => JSON.stringify(value);
const todo = (what: string) => q(`TODO: ${what}`);

/** The `auth:` lines for the first scheme the bridge speaks, preferring those the submit operation names. */
function authLines(doc: ApiDocument, submit: PlacedOperation | undefined, warnings: string[]): string[] {
  const preferred = submit?.operation.security ?? [];
  const schemes = [...doc.securitySchemes].sort(
    (a, b) => Number(preferred.includes(b.name)) - Number(preferred.includes(a.name)),
  );
  for (const scheme of schemes) {
    const lines = authFor(scheme);
    if (lines) {
      const others = schemes.filter((s) => s !== scheme).map((s) => `${s.name} (${s.type})`);
      if (others.length) warnings.push(`auth: used security scheme ${scheme.name}; not ${others.join(', ')}`);
      return lines;
    }
  }
  if (schemes.length)
    warnings.push(`auth: no security scheme the bridge speaks (${schemes.map((s) => s.name).join(', ')})`);
  return ['  auth:', '    type: none'];
}

function authFor(s: ApiSecurityScheme): string[] | undefined {
  if (s.type === 'apiKey' && s.in === 'header' && s.keyName) {
    return [
      '  auth:',
      '    type: api-key',
      `    header: ${q(s.keyName)}`,
      `    key: ${todo('the API key the agency issued')}`,
    ];
  }
  if (s.type === 'http' && s.scheme === 'bearer') {
    return ['  auth:', '    type: bearer', `    token: ${todo('the token the agency issued')}`];
  }
  if ((s.type === 'http' && s.scheme === 'basic') || s.type === 'basic') {
    return [
      '  auth:',
      '    type: basic',
      `    username: ${todo('user name')}`,
      `    password: ${todo('password')}`,
    ];
  }
  if (s.type === 'oauth2' && s.tokenUrl) {
    return [
      '  auth:',
      '    type: oauth2-client-credentials',
      `    tokenUrl: ${q(s.tokenUrl)}`,
      `    clientId: ${todo('client id')}`,
      `    clientSecret: ${todo('client secret')}`,
      ...(s.scopes.length ? [`    scope: ${q(s.scopes.join(' '))}`] : []),
    ];
  }
  return undefined;
}

/** A mapping as a YAML block scalar, each line indented under its key. */
function mapping(name: string, body: string): string[] {
  return [`    ${name}: |`, ...body.split('\n').map((line) => `      ${line}`)];
}

/** The status codes a submit answer's `status`-like enum lists, each to be given a bridge status. */
function statusCodeLines(placed: PlacedOperation[]): string[] {
  const answer = placed.find((p) => p.role === 'submit')?.operation.answer;
  const field = Object.entries(answer?.properties ?? {}).find(
    ([name, s]) => /status|trangthai/i.test(name) && s.enum,
  );
  if (!field)
    return [
      '  # TODO: every status code of the agency and the bridge status it means',
      `  statusCodes: { ${todo('agency status code')}: ${todo('bridge status')} }`,
    ];
  return [
    `  # TODO: the bridge status of each value of ${field[0]} (received, processing, supplement_requested, ...)`,
    '  statusCodes:',
    ...(field[1].enum ?? []).map((code) => `    ${q(String(code))}: ${todo('bridge status')}`),
  ];
}

/**
 * Reads a vendor's OpenAPI 3 or Swagger 2 document and writes a starting `rest` agency file:
 * endpoint from the servers, the operations recognised by method, name and path, auth from the
 * security schemes, and a `submitRequest` naming every required field of the submit body with
 * its type, pattern or enum. `TODO` marks every value a person must give; `agencies apply`
 * refuses the file until none is left.
 */
export async function importOpenApi(
  text: string,
  agency: { agencyCode: string; agencyName?: string },
): Promise<OpenApiImportResult> {
  const warnings: string[] = [];
  const doc = await readApiDocument(text);
  const placed = placeOperations(doc.operations, warnings);
  const submit = placed.find((p) => p.role === 'submit');
  const endpoint = doc.servers.find((s) => /^https:/i.test(s)) ?? doc.servers[0];
  if (!endpoint) warnings.push('the document names no server; fill in adapter.endpoint');
  if (doc.servers.length > 1) warnings.push(`the document names several servers; used ${endpoint}`);
  const lines = [
    `# Starting agency file for ${agency.agencyCode}, read from the ${doc.version} document "${doc.title}".`,
    '# It gave the endpoint, the operations it could recognise, the auth scheme and the fields of',
    '# the submit body. Replace every TODO before `bridge agencies apply` (it refuses the file until',
    '# then): the agency identity, credentials, status table, operations not found and the mappings',
    '# (see adapters/rest/fixtures/agency.example.yaml for a complete set).',
    `code: ${q(agency.agencyCode)}`,
    `name: ${q(agency.agencyName ?? doc.title)}`,
    'level: commune',
    'procedures: []',
    'adapter:',
    '  kind: rest',
    `  endpoint: ${endpoint ? q(endpoint) : todo('https://... base URL of the API')}`,
    ...authLines(doc, submit, warnings),
    '  timeoutMs: 10000',
    '  concurrency: 4',
    '  retry: { maxAttempts: 8, baseDelayMs: 2000, maxDelayMs: 600000, jitter: 0.2 }',
    '  circuit: { failureThreshold: 5, openMs: 60000 }',
    ...(placed.some((p) => p.role === 'poll') ? ['  pollIntervalMs: 60000'] : []),
    ...statusCodeLines(placed),
    '  dates:',
    '    format: iso  # TODO: the agency date format if not ISO 8601, e.g. dd/MM/yyyy',
    '    zone: Asia/Ho_Chi_Minh',
    '  options:',
    '    operations:',
  ];
  for (const role of REST_ROLES) {
    const op = placed.find((p) => p.role === role);
    if (op) {
      lines.push(
        `      ${role}: { method: ${op.operation.method}, path: ${q(op.path)} }  # ${op.operation.operationId ?? ''}`.trimEnd(),
      );
    } else if (role !== 'poll') {
      warnings.push(`no operation looks like "${role}"; fill in options.operations.${role}`);
      lines.push(
        `      ${role}: { method: ${role === 'probe' || role === 'lookup' ? 'GET' : 'POST'}, path: ${todo(`path of the ${role} operation`)} }`,
      );
    }
  }
  lines.push(
    '  mappings:',
    ...mapping(
      'submitRequest',
      `/* ${submit ? `${submit.operation.method} ${submit.operation.path}` : 'the submit body'}: input { dossier, idempotencyKey } */\n${requestSkeleton(submit?.operation.body, '')}`,
    ),
    ...mapping(
      'submitResponse',
      `/* answer: ${describeSchema(submit?.operation.answer)} */\n{ "agencyDossierCode": ${TODO_VALUE}, "statusCode": ${TODO_VALUE} }`,
    ),
    ...mapping(
      'supplementRequest',
      `/* input { agencyDossierCode, documents, collectedAt } */\n${requestSkeleton(placed.find((p) => p.role === 'supplement')?.operation.body, '')}`,
    ),
    ...mapping(
      'deliveryRequest',
      `/* input { agencyDossierCode, resultItemId, deliveredAt } */\n${requestSkeleton(placed.find((p) => p.role === 'delivered')?.operation.body, '')}`,
    ),
  );
  if (placed.some((p) => p.role === 'poll')) {
    lines.push(
      ...mapping(
        'statusChange',
        `/* one record of the feed */\n{ "agencyDossierCode": ${TODO_VALUE}, "statusCode": ${TODO_VALUE}, "at": ${TODO_VALUE} }`,
      ),
    );
  }
  return {
    yaml: `${lines.join('\n')}\n`,
    operations: placed.map((p) => ({
      role: p.role,
      method: p.operation.method,
      path: p.path,
      operationId: p.operation.operationId,
    })),
    warnings,
  };
}
