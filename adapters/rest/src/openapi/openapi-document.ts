import { parse } from 'yaml';

/** A JSON Schema as an OpenAPI document holds it, `$ref`s resolved. */
export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  maxLength?: number;
  allOf?: Schema[];
  description?: string;
};

/** One parameter of an operation. */
export interface ApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie' | 'body' | 'formData';
  required: boolean;
}

/** One operation of the document, as the import needs it. */
export interface ApiOperation {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  parameters: ApiParameter[];
  /** The JSON request body's schema. */
  body?: Schema;
  /** The first 2xx JSON answer's schema. */
  answer?: Schema;
  /** Names of the security schemes the operation accepts (document default when unsaid). */
  security: string[];
}

/** A security scheme, OpenAPI 3 and Swagger 2 alike. */
export interface ApiSecurityScheme {
  name: string;
  type: string;
  scheme?: string;
  in?: string;
  /** Header or query name of an API key. */
  keyName?: string;
  /** OAuth2 client-credentials token URL, when the scheme has that flow. */
  tokenUrl?: string;
  scopes: string[];
}

/** What the import reads from an OpenAPI 3 or Swagger 2 document. */
export interface ApiDocument {
  title: string;
  version: 'OpenAPI 3' | 'Swagger 2';
  servers: string[];
  operations: ApiOperation[];
  securitySchemes: ApiSecurityScheme[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Untyped JSON read field by field: every access may be missing, every value is checked where used. */
interface Loose {
  [key: string]: Loose | undefined;
}
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): Loose[] => (Array.isArray(value) ? (value as Loose[]) : []);
const entries = (value: Loose | undefined): [string, Loose][] =>
  value && typeof value === 'object' ? (Object.entries(value) as [string, Loose][]) : [];
const schema = (value: Loose | undefined): Schema | undefined => value;

/**
 * Parses a vendor's OpenAPI 3 or Swagger 2 document (YAML or JSON) and resolves its `$ref`s
 * with `@apidevtools/swagger-parser`. Only references inside the document are followed: a
 * document naming other files or URLs is refused rather than fetched.
 */
export async function readApiDocument(text: string): Promise<ApiDocument> {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new Error(`not YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!raw || typeof raw !== 'object' || !('openapi' in raw || 'swagger' in raw)) {
    throw new Error('not an OpenAPI 3 or Swagger 2 document (no "openapi" or "swagger" field)');
  }
  // Loaded here, not at start: only the import command needs it.
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  const doc = (await SwaggerParser.dereference(raw as never, {
    resolve: { external: false },
    dereference: { circular: 'ignore' },
  })) as unknown as Loose;
  const external = externalRef(doc);
  if (external) throw new Error(`the document refers to ${external}; only references inside it are read`);
  const swagger2 = 'swagger' in doc;
  const operations: ApiOperation[] = [];
  for (const [path, item] of entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) operations.push(readOperation(method, path, op, item, doc, swagger2));
    }
  }
  return {
    title: str(doc.info?.title) ?? 'the vendor API',
    version: swagger2 ? 'Swagger 2' : 'OpenAPI 3',
    servers: swagger2 ? swaggerServers(doc) : serverUrls(doc),
    operations,
    securitySchemes: readSchemes(swagger2 ? doc.securityDefinitions : doc.components?.securitySchemes),
  };
}

function readOperation(
  method: string,
  path: string,
  op: Loose,
  item: Loose,
  doc: Loose,
  swagger2: boolean,
): ApiOperation {
  const params = [...list(item.parameters), ...list(op.parameters)];
  const bodyParam = params.find((p) => str(p.in) === 'body');
  const json = (content: Loose | undefined) =>
    content?.['application/json']?.schema ?? entries(content)[0]?.[1].schema;
  const ok = entries(op.responses).find(([code]) => /^2/.test(code))?.[1];
  return {
    method: method.toUpperCase(),
    path,
    operationId: str(op.operationId),
    summary: str(op.summary) ?? str(op.description),
    parameters: params.map((p) => ({
      name: str(p.name) ?? '',
      in: (str(p.in) ?? 'query') as ApiParameter['in'],
      required: (p.required as unknown) === true,
    })),
    body: schema(swagger2 ? bodyParam?.schema : json(op.requestBody?.content)),
    answer: schema(swagger2 ? ok?.schema : json(ok?.content)),
    security: list(op.security ?? doc.security).flatMap((s) => Object.keys(s)),
  };
}

/** OpenAPI 3 server URLs, variables at their defaults. */
function serverUrls(doc: Loose): string[] {
  return list(doc.servers).flatMap((server) => {
    const url = str(server.url);
    if (!url) return [];
    return [
      url.replace(/\{(\w+)\}/g, (whole, name: string) => str(server.variables?.[name]?.default) ?? whole),
    ];
  });
}

function swaggerServers(doc: Loose): string[] {
  const host = str(doc.host);
  if (!host) return [];
  const schemes = list(doc.schemes).map((s) => String(s as unknown));
  const ordered = (schemes.length ? schemes : ['https']).sort((a) => (a === 'https' ? -1 : 1));
  return ordered.map((scheme) => `${scheme}://${host}${str(doc.basePath) ?? ''}`);
}

function readSchemes(schemes: Loose | undefined): ApiSecurityScheme[] {
  return entries(schemes).map(([name, s]) => {
    const flow = s.flows?.clientCredentials ?? (str(s.flow) === 'application' ? s : undefined);
    const scheme = str(s.scheme)?.toLowerCase();
    return {
      name,
      type: str(s.type) ?? 'unknown',
      scheme: scheme ?? (str(s.type) === 'basic' ? 'basic' : undefined),
      in: str(s.in),
      keyName: str(s.name),
      tokenUrl: str(flow?.tokenUrl),
      scopes: Object.keys(flow?.scopes ?? {}),
    };
  });
}

/** The first `$ref` left after dereferencing (one to another file or URL), if any. */
function externalRef(doc: Loose): string | undefined {
  const seen = new Set<object>();
  const stack: unknown[] = [doc];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const ref = (node as Loose).$ref as unknown;
    if (typeof ref === 'string' && !ref.startsWith('#')) return ref;
    stack.push(...(Object.values(node) as unknown[]));
  }
  return undefined;
}
