import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AgencyStatusChange, IntegrationError } from '@bridge/adapter-sdk';
import { ADAPTER_FACTORIES } from '../agencies/adapter-registry';
import { AgencyChangesService, ForeignDossierError } from '../delivery/agency-changes.service';
import { AgencyRuntime } from '../delivery/agency-runtime';
import { PollHealthRecorder } from '../delivery/poll-health';
import { AgencyCallbacksController } from './agency-callbacks.controller';

const CODE = '000.00.53.H48';
const change: AgencyStatusChange = {
  bridgeId: 'b-1',
  status: 'processing',
  agencyStatusCode: '4',
  at: '2025-09-26',
};

/** The controller over fakes: `apply` decides how the push ends. */
function controllerWith(apply: () => Promise<unknown[]>) {
  const runtime = { adapterFor: () => ({ parseCallback: async () => [change] }) } as unknown as AgencyRuntime;
  const changes = { apply } as unknown as AgencyChangesService;
  const health = { succeeded: async () => undefined } as unknown as PollHealthRecorder;
  return new AgencyCallbacksController(runtime, changes, health, ADAPTER_FACTORIES);
}

/** Pushes over a fake express response and returns what was sent. */
async function push(controller: AgencyCallbacksController, contentType: string) {
  const sent = { status: 0, type: '', body: '' };
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(value: string) {
      sent.type = value;
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  } as unknown as Response;
  const request = { headers: { 'content-type': contentType }, rawBody: Buffer.from('<x/>') };
  await controller.soap(CODE, request as never, response);
  return sent;
}

describe('POST /soap/agencies/:code answers in the SOAP version of the push', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('answers an applied push with the number accepted', async () => {
    const sent = await push(
      controllerWith(async () => [{}]),
      'text/xml; charset=utf-8',
    );
    expect(sent).toMatchObject({ status: 200, type: 'text/xml; charset=utf-8' });
    expect(sent.body).toContain('<b:Accepted>1</b:Accepted>');
  });

  it("answers another agency's dossier with 403 and a Client fault", async () => {
    const sent = await push(
      controllerWith(async () => Promise.reject(new ForeignDossierError(['X-1'], CODE))),
      'text/xml; charset=utf-8',
    );
    expect(sent.status).toBe(403);
    expect(sent.body).toMatch(/<faultcode>soap:Client<\/faultcode>/);
  });

  it('answers a refused push with a Sender fault (1.2, 400) naming the problem', async () => {
    const sent = await push(
      controllerWith(async () => Promise.reject(IntegrationError.permanent('MaHoSo is missing'))),
      'application/soap+xml; charset=utf-8',
    );
    expect(sent).toMatchObject({ status: 400, type: 'application/soap+xml; charset=utf-8' });
    expect(sent.body).toMatch(/soap:Sender[\s\S]*MaHoSo is missing/);
  });

  it('answers its own failure with a Receiver fault carrying only an error id', async () => {
    const sent = await push(
      controllerWith(async () => Promise.reject(new Error('relation "inbox" does not exist'))),
      'application/soap+xml; charset=utf-8',
    );
    expect(sent.status).toBe(500);
    expect(sent.body).toMatch(/soap:Receiver[\s\S]*send it again \(error id [0-9a-f-]{36}\)/);
    expect(sent.body).not.toContain('inbox');
  });
});
