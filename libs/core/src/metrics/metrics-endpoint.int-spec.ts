import request from 'supertest';
import { GATEWAY_AGENCY_A as A, startTestGateway, TestGateway } from '@bridge/testing';
import { seedLateDossier } from '../../../../test/e2e/support-dashboard/dashboard-seed';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { BridgeMetrics } from './bridge-metrics';

const METRIC_NAMES = [
  'bridge_agency_deliveries_total',
  'bridge_agency_delivery_duration_seconds',
  'bridge_queue_jobs',
  'bridge_agency_circuit_open',
  'bridge_dead_letters_open',
  'bridge_dossiers_overdue',
  'bridge_inbound_events_total',
  'bridge_outbox_lag_seconds',
  'bridge_outbox_pending',
  'bridge_mapping_fallback_total',
];

describe('GET /metrics on a real gateway', () => {
  let gw: TestGateway;
  let auth: string;

  beforeAll(async () => {
    gw = await startTestGateway('metrics');
    auth = `Bearer ${(await gw.keys.create({ name: 'prometheus', role: 'operator' })).key}`;
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('exposes every bridge metric in the Prometheus text format', async () => {
    const metrics = gw.app.get(BridgeMetrics);
    metrics.deliveryFinished(A, 'submit-dossier', 'success', 0.3);
    metrics.inboundEvent('postal.dossier.collected', 'accepted');
    const response = await request(gw.server()).get('/metrics').set('Authorization', auth).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain;/);
    expect(response.headers['content-type']).toContain('version=0.0.4');
    for (const name of METRIC_NAMES) expect(response.text).toContain(`# TYPE ${name} `);
    expect(response.text).toContain('process_resident_memory_bytes');
    expect(response.text).toContain(
      `bridge_agency_deliveries_total{agency="${A}",operation="submit-dossier",outcome="success"} 1`,
    );
    expect(response.text).toContain(
      'bridge_inbound_events_total{type="postal.dossier.collected",outcome="accepted"} 1',
    );
    expect(response.text).toContain(`bridge_queue_jobs{agency="${A}",state="waiting"} 0`);
    expect(response.text).toContain(`bridge_agency_circuit_open{agency="${A}"} 0`);
  });

  it('reads dead letters and the outbox from the database on each scrape', async () => {
    await gw.app.get(DeadLetterService).recordNow({
      origin: 'delivery',
      agencyCode: A,
      operation: 'submit-dossier',
      payload: { jobId: 'j-1', payload: {} },
      errorCode: 'PERMANENT',
      reason: 'the agency refused the dossier',
      attempts: [],
    });
    // An event the relay (not running in a gateway) has not published for a minute.
    await gw.db.dataSource.query(
      `INSERT INTO outbox (kind, topic, message_id, payload, created_at, available_at)
       VALUES ('event', 'dossier.collected', 'e-1', '{}', now() - interval '60 seconds', now() - interval '60 seconds')`,
    );
    const { text } = await request(gw.server()).get('/metrics').set('Authorization', auth).expect(200);
    expect(text).toContain(`bridge_dead_letters_open{agency="${A}"} 1`);
    // The dead letter's own `delivery.dead_lettered` event waits in the outbox too.
    expect(text).toMatch(/\nbridge_outbox_pending 2\n/);
    const lag = Number(/\nbridge_outbox_lag_seconds ([\d.]+)\n/.exec(text)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(60);
    expect(lag).toBeLessThan(120);
  });

  it('counts the dossiers past their appointment date per agency', async () => {
    const scrape = async () =>
      (await request(gw.server()).get('/metrics').set('Authorization', auth).expect(200)).text;
    expect(await scrape()).not.toContain(`bridge_dossiers_overdue{agency="${A}"}`);
    await seedLateDossier(gw.app, A);
    expect(await scrape()).toContain(`bridge_dossiers_overdue{agency="${A}"} 1`);
  });

  it('asks for an operator key unless BRIDGE_METRICS_PUBLIC=true', async () => {
    await request(gw.server()).get('/metrics').expect(401);
    const postal = (await gw.keys.create({ name: 'bưu điện', role: 'postal' })).key;
    const refused = await request(gw.server())
      .get('/metrics')
      .set('Authorization', `Bearer ${postal}`)
      .expect(403);
    expect(refused.body.message).toBe('role postal may not call this route (allowed: admin, operator)');
  });
});
