import { createServer, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { listen, Server as SoapServer } from 'soap';

/** Arguments of an operation, as the soap package hands them over. */
export type SoapArgs = Record<string, unknown>;

/** A scalar argument as text; anything else as empty. */
export const argText = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';

/** What the soap package turns into a SOAP fault: an error carrying `Fault`. */
export class ServiceFault extends Error {
  readonly Fault: Record<string, unknown>;
  constructor(code: 'Sender' | 'Receiver', reason: string, soap12 = true) {
    super(reason);
    this.Fault = soap12
      ? {
          Code: { Value: `soap:${code}` },
          Reason: { Text: reason },
          statusCode: code === 'Sender' ? 400 : 500,
        }
      : {
          faultcode: code === 'Sender' ? 'soap:Client' : 'soap:Server',
          faultstring: reason,
          statusCode: 500,
        };
  }
}

/** Start options of a service served by the unmodified `soap` package. */
export interface SoapPackageServiceOptions {
  wsdl: string;
  path: string;
  /** `{ ServiceName: { PortName: { Operation: handler } } }`, as `soap.listen` takes it. */
  services: Record<string, Record<string, Record<string, (args: SoapArgs) => unknown>>>;
  /** The UsernameToken (PasswordText) every request must carry. */
  credentials: { username: string; password: string };
  soap12?: boolean;
}

/**
 * An HTTP server on a loopback port with `soap.listen` mounted on it from a WSDL, checking a
 * WS-Security UsernameToken; `close()` drops kept-alive connections so tests end promptly.
 */
export class SoapPackageServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly http: Server,
    private readonly path: string,
  ) {
    http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(options: SoapPackageServiceOptions): Promise<SoapPackageServer> {
    const http = createServer();
    const server = new SoapPackageServer(http, options.path);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const soapServer: SoapServer = listen(http, {
      path: options.path,
      services: options.services,
      xml: options.wsdl,
      forceSoap12Headers: options.soap12 ?? false,
    });
    soapServer.authenticate = (security: Record<string, Record<string, unknown>> | undefined) => {
      const token = security?.UsernameToken;
      const password = token?.Password as { $value?: string } | string | undefined;
      const value = typeof password === 'object' ? password?.$value : password;
      return token?.Username === options.credentials.username && value === options.credentials.password;
    };
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}${this.path}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
