import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { InboundCallback, IntegrationErrorCode, silentAdapterLogger } from '@bridge/adapter-sdk';
import { RestAgencySimulator } from '@bridge/simulator';
import { restAdapterFactory } from './rest-adapter.factory';
import { exampleRestSpec, recordingContext, sampleDossier, SESSION_CREDENTIALS } from './rest-test-kit';

/** Stands in for the gateway's callback route: keeps each push as the adapter will receive it. */
async function callbackReceiver(): Promise<{ server: Server; url: string; received: InboundCallback[] }> {
  const received: InboundCallback[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
      );
      received.push({ headers, rawBody: Buffer.concat(chunks), contentType: req.headers['content-type'] });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/agencies/000.00.53.H48/callback`,
    received,
  };
}

describe('rest adapter: signed callbacks from vendor B', () => {
  it('accepts a genuine push and refuses a tampered or forged one', async () => {
    const receiver = await callbackReceiver();
    const agency = await RestAgencySimulator.start({
      port: 0,
      auth: SESSION_CREDENTIALS,
      callbackUrl: receiver.url,
      callbackSecret: 'khoa-ky-callback',
    });
    try {
      const adapter = restAdapterFactory.create(
        { code: '000.00.53.H48', name: 'UBND phường Hải Châu' },
        exampleRestSpec(agency.url),
        {
          logger: silentAdapterLogger,
        },
      );
      const dossier = sampleDossier();
      const receipt = await adapter.submit({ idempotencyKey: dossier.id, dossier }, recordingContext());
      await agency.driveStatus(
        receipt.agencyDossierCode,
        'supplement_requested',
        'Bổ sung bản sao giấy chứng nhận kết hôn',
      );
      await agency.close();

      expect(receiver.received).toHaveLength(1);
      const genuine = receiver.received[0];
      const changes = await adapter.parseCallback(genuine, recordingContext());
      expect(changes).toEqual([
        expect.objectContaining({
          agencyDossierCode: receipt.agencyDossierCode,
          bridgeId: dossier.id,
          status: 'supplement_requested',
          agencyStatusCode: 'CHO_BO_SUNG',
          note: 'Bổ sung bản sao giấy chứng nhận kết hôn',
        }),
      ]);

      const tampered = {
        ...genuine,
        rawBody: Buffer.from(genuine.rawBody.toString().replace('CHO_BO_SUNG', 'DA_CO_KET_QUA')),
      };
      await expect(adapter.parseCallback(tampered, recordingContext())).rejects.toMatchObject({
        code: IntegrationErrorCode.AUTH,
      });
      const unsigned = { ...genuine, headers: { 'content-type': 'application/json' } };
      await expect(adapter.parseCallback(unsigned, recordingContext())).rejects.toMatchObject({
        code: IntegrationErrorCode.AUTH,
      });
    } finally {
      await agency.close().catch(() => undefined);
      receiver.server.close();
    }
  });
});
