import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  AdapterAuth,
  AgencyAdapter,
  CallContext,
  IntegrationError,
  IntegrationErrorCode,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { ADAPTER_FACTORIES, AgencyFileAdapter, sampleDossierFor, withAdapterDefaults } from '@bridge/core';
import { exampleAgency } from '@bridge/simulator';
import { HostileTally, residentMb } from './hostile-tally';

const tally = new HostileTally('answers');
/** The cap the agencies here are given: small, so that a breach would show at once. */
const CAP = 256 * 1024;
/** Bytes the server may get out before the client stops it: the cap plus socket buffers. */
const WRITTEN_AT_MOST = 16 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, '7');

/**
 * An agency that never stops answering: 200, then chunks as fast as the client reads them,
 * until the client goes away. Counts the bytes it got out per request.
 */
class EndlessAgency {
  private server?: Server;
  readonly written: number[] = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const index = this.written.push(0) - 1;
    const declared = req.url?.includes('declared') ? { 'content-length': String(1024 ** 3) } : {};
    const type = /igate|soap/.test(req.url ?? '') ? 'text/xml; charset=utf-8' : 'application/json';
    res.writeHead(200, { 'content-type': type, ...declared });
    let open = true;
    res.on('close', () => (open = false));
    const pump = () => {
      while (open) {
        this.written[index] += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
    };
    pump();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

function context(): CallContext {
  return { correlationId: 'hostile-answers', record: () => undefined };
}

describe('hostile agency answers: endless and oversized bodies', () => {
  const agency = new EndlessAgency();
  let url: string;
  const startMb = residentMb();

  beforeAll(async () => {
    url = await agency.start();
  });
  afterAll(async () => {
    await agency.stop();
    tally.print();
  });

  function adapterOf(kind: 'rest' | 'soap' | 'igate-legacy', section: Partial<AgencyFileAdapter>) {
    const example = exampleAgency(kind).adapter as AgencyFileAdapter;
    const spec = withAdapterDefaults({
      ...example,
      timeoutMs: 60_000,
      limits: { maxResponseBytes: CAP },
      ...section,
    });
    return ADAPTER_FACTORIES[spec.kind].create({ code: '000.00.53.H48', name: 'Hải Châu' }, spec, {
      logger: silentAdapterLogger,
    });
  }

  /** One call against the endless agency: refused PERMANENT naming the cap, soon, in bounded memory. */
  async function refusesAtTheCap(label: string, adapter: AgencyAdapter): Promise<void> {
    const dossier = sampleDossierFor('000.00.53.H48', '1.001612');
    const before = agency.written.length;
    const started = Date.now();
    let error: unknown;
    try {
      await adapter.submit({ idempotencyKey: dossier.id, dossier }, context());
    } catch (caught) {
      error = caught;
    } finally {
      await adapter.close();
    }
    const elapsed = Date.now() - started;
    const written = Math.max(0, ...agency.written.slice(before));
    const outcome = {
      code: (error as IntegrationError | undefined)?.code,
      message: (error as Error | undefined)?.message,
      stoppedReading: written <= WRITTEN_AT_MOST,
    };
    const clean =
      error instanceof IntegrationError &&
      outcome.code === IntegrationErrorCode.PERMANENT &&
      outcome.message!.includes(`limit of ${CAP} bytes (adapter.limits.maxResponseBytes)`) &&
      outcome.stoppedReading;
    tally.record(label, { clean, crashed: !(error instanceof IntegrationError) });
    expect(outcome).toEqual({
      code: IntegrationErrorCode.PERMANENT,
      message: expect.stringContaining(`limit of ${CAP} bytes (adapter.limits.maxResponseBytes)`),
      stoppedReading: true,
    });
    // Well before the agency timeout (60 s): the cap ended the call, not the clock.
    expect(elapsed).toBeLessThan(30_000);
  }

  const apiKey: AdapterAuth = { type: 'api-key', header: 'X-Api-Key', key: 'khoa-thu' };
  const restOperations = (submitPath: string) => ({
    ...(exampleAgency('rest').adapter as { options: { operations: object } }).options,
    lookupBeforeSubmit: false,
    operations: {
      ...(exampleAgency('rest').adapter as { options: { operations: object } }).options.operations,
      submit: { method: 'POST', path: submitPath },
    },
  });

  it('REST: an endless answer to a filing', async () => {
    const adapter = adapterOf('rest', { endpoint: url, auth: apiKey, options: restOperations('/rest') });
    await refusesAtTheCap('REST endless answer', adapter);
  });

  it('REST: an answer declaring 1 GB is refused before reading', async () => {
    const options = restOperations('/rest/declared');
    const adapter = adapterOf('rest', { endpoint: url, auth: apiKey, options });
    await refusesAtTheCap('REST answer declaring 1 GB', adapter);
  });

  it('REST: an endless answer from the OAuth2 token endpoint', async () => {
    const auth: AdapterAuth = {
      type: 'oauth2-client-credentials',
      tokenUrl: `${url}/oauth/token`,
      clientId: 'buudien',
      clientSecret: 'bi-mat-thu-nghiem',
    };
    const adapter = adapterOf('rest', { endpoint: url, auth, options: restOperations('/rest') });
    await refusesAtTheCap('REST endless token answer', adapter);
  });

  it('REST: an endless answer to the session login', async () => {
    const auth: AdapterAuth = {
      type: 'session-login',
      loginUrl: `${url}/dangnhap`,
      username: 'buudien',
      password: 'bi-mat-thu-nghiem',
    };
    const adapter = adapterOf('rest', { endpoint: url, auth, options: restOperations('/rest') });
    await refusesAtTheCap('REST endless login answer', adapter);
  });

  it('SOAP: an endless answer to a filing', async () => {
    await refusesAtTheCap('SOAP endless answer', adapterOf('soap', { endpoint: `${url}/soap` }));
  });

  it('iGate: an endless answer to a filing', async () => {
    const auth: AdapterAuth = { type: 'basic', username: 'BUUDIEN_HV', password: 'khoa-ky-thu-nghiem' };
    await refusesAtTheCap(
      'iGate endless answer',
      adapterOf('igate-legacy', { endpoint: `${url}/igate`, auth }),
    );
  });

  it('kept the process memory bounded through all of them', () => {
    // Six endless answers: reading any of them whole would have taken all the memory there is.
    expect(residentMb() - startMb).toBeLessThan(128);
    expect(tally.counts()).toMatchObject({ tried: 6, refused: 6, crashes: 0 });
  });
});
