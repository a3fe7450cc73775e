import request from 'supertest';
import { parse } from 'yaml';
import { startTestGateway, TestGateway } from '@bridge/testing';
import { setupApiDocs } from './api-docs';

/** The routes this part of the bridge serves; each must be documented with a summary. */
const OPS_OPERATIONS = [
  ['get', '/api/v1/ops/overview'],
  ['get', '/api/v1/ops/dossiers/late'],
  ['get', '/api/v1/ops/messages'],
  ['get', '/api/v1/ops/dead-letters'],
  ['get', '/api/v1/ops/dead-letters/{id}'],
  ['post', '/api/v1/ops/dead-letters/replay'],
  ['post', '/api/v1/ops/dead-letters/{id}/replay'],
  ['post', '/api/v1/ops/dead-letters/{id}/discard'],
  ['post', '/api/v1/ops/agencies/{code}/pause'],
  ['post', '/api/v1/ops/agencies/{code}/resume'],
  ['get', '/metrics'],
  ['get', '/asyncapi'],
  ['get', '/asyncapi.yaml'],
] as const;

describe('API documentation, readable without a key', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway('docs', { beforeInit: (app) => void setupApiDocs(app) });
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await request(gw.server()).get('/docs').redirects(1).expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  it('documents every gateway route in /docs-json, the ops routes with summaries and examples', async () => {
    const { body } = await request(gw.server()).get('/docs-json').expect(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of [
      '/api/v1/postal/events',
      '/api/v1/dossiers/{ref}',
      '/api/v1/agencies/{code}',
      '/soap/agencies/{code}',
    ])
      expect(Object.keys(body.paths)).toContain(path);
    for (const [method, path] of OPS_OPERATIONS) {
      const operation = body.paths[path]?.[method];
      expect({ path, method, summary: operation?.summary }).toEqual({
        path,
        method,
        summary: expect.any(String),
      });
    }
    const overview = body.paths['/api/v1/ops/overview'].get.responses['200'];
    expect(JSON.stringify(overview)).toContain('onTimeRate');
    const replay = body.paths['/api/v1/ops/dead-letters/replay'].post;
    expect(Object.keys(replay.responses)).toEqual(expect.arrayContaining(['200', '400']));
    expect(JSON.stringify(body.components.schemas.ReplayFilterDto)).toContain('signature');
  });

  it("serves the AsyncAPI document as JSON and YAML, naming this installation's exchanges", async () => {
    const json = await request(gw.server()).get('/asyncapi').expect(200);
    expect(json.body.asyncapi).toBe('3.0.0');
    const channel = json.body.channels['postal.dossier.collected'];
    expect(channel.bindings.amqp.exchange.name).toBe(`${gw.namespace}.postal.inbound`);
    expect(json.body.channels['dossier.delivered'].bindings.amqp.exchange.name).toBe(
      `${gw.namespace}.bridge.events`,
    );
    expect(json.body.servers.rabbitmq.host).toBe('127.0.0.1:5672');
    const yaml = await request(gw.server()).get('/asyncapi.yaml').expect(200);
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    expect(parse(yaml.text)).toEqual(json.body);
  });
});
