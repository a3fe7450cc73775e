import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** The kinds of unusable answers a broken reverse proxy or a crashing vendor server gives. */
export const GARBAGE_KINDS = [
  'html-200',
  'truncated-xml',
  'wrong-content-type',
  'empty-body',
  'html-502',
] as const;
export type GarbageKind = (typeof GARBAGE_KINDS)[number];

/**
 * A reverse proxy in front of an agency that forwards every request (so the agency really
 * files the dossier) and, for the first answer to each filing `pick` selects, throws the real
 * answer away and sends garbage instead: an HTML page with 200, the XML cut in half, JSON, an
 * empty body, an HTML 502 page. The bridge must take each for a transient failure, try again,
 * and — the agency having filed already — not file twice.
 */
export class GarbageProxy {
  /** The garbage sent, in order, with the filing key it replaced the answer of. */
  readonly sent: { kind: GarbageKind; key: string }[] = [];
  private readonly garbled = new Set<string>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    private readonly pick: (body: string) => string | undefined,
  ) {}

  /**
   * Starts on a free port. `pick` returns the filing key of a request whose answer may be
   * replaced (once per key), or undefined to pass the answer through.
   */
  static async start(target: string, pick: (body: string) => string | undefined): Promise<GarbageProxy> {
    const server = createServer();
    const proxy = new GarbageProxy(server, new URL(target), pick);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      proxy.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The proxy's URL for the target's path (what the agency file's endpoint holds). */
  get url(): string {
    const port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}${this.target.pathname}${this.target.search}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([name]) => !['host', 'content-length', 'connection'].includes(name),
      ),
    ) as Record<string, string>;
    const upstream = await fetch(new URL(req.url ?? '/', this.target.origin), {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const answer = Buffer.from(await upstream.arrayBuffer());
    const key = this.pick(body.toString('utf8'));
    if (key !== undefined && !this.garbled.has(key)) {
      this.garbled.add(key);
      const kind = GARBAGE_KINDS[this.sent.length % GARBAGE_KINDS.length];
      this.sent.push({ kind, key });
      return sendGarbage(res, kind, answer);
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
      'content-length': answer.length,
    });
    res.end(answer);
  }
}

function sendGarbage(res: ServerResponse, kind: GarbageKind, real: Buffer): void {
  const send = (status: number, type: string | undefined, body: Buffer | string) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, { ...(type ? { 'content-type': type } : {}), 'content-length': bytes.length });
    res.end(bytes);
  };
  switch (kind) {
    case 'html-200':
      return send(
        200,
        'text/html; charset=utf-8',
        '<!DOCTYPE html><html><head><title>Hệ thống đang bận</title></head><body><h1>Vui lòng thử lại sau</h1></body></html>',
      );
    case 'truncated-xml':
      return send(200, 'text/xml; charset=utf-8', real.subarray(0, Math.floor(real.length / 2)));
    case 'wrong-content-type':
      return send(200, 'application/json', '{"error":"upstream returned an unexpected payload"}');
    case 'empty-body':
      return send(200, 'text/xml; charset=utf-8', '');
    case 'html-502':
      return send(
        502,
        'text/html',
        '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
      );
  }
}
