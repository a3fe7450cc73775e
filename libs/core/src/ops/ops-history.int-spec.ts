import request from 'supertest';
import { AgencyJobName, AgencyQueueManager } from '@bridge/queues';
import { GATEWAY_AGENCY_A as A, GATEWAY_AGENCY_B as B, startTestGateway, TestGateway } from '@bridge/testing';
import { DeliveryStats } from '../metrics/delivery-stats';
import { OPS_HISTORY_TOTAL, OpsHistorySampler, OpsHistorySources } from '../metrics/ops-history-sampler';

const MINUTE = 60_000;

/** The history behind the dashboard's charts: sampled by workers, read by the ops API. */
describe('ops history: sampler and GET /api/v1/ops/history', () => {
  let gw: TestGateway;
  let auth: string;
  let sources: OpsHistorySources;
  // The current minute, so the sampled minute lies inside the delivery statistics' hour.
  const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE + 5_000);
  const sampledMinute = new Date(now.getTime() - 5_000 - MINUTE);

  const get = (url: string) => request(gw.server()).get(url).set('Authorization', auth);
  const rows = (agency: string) =>
    gw.db.dataSource.query<
      Array<{ bucket: Date; deliveries: number; p50: number; p95: number; depth: number }>
    >(
      `SELECT bucket, deliveries, latency_p50_ms AS p50, latency_p95_ms AS p95, queue_depth AS depth
         FROM ops_history WHERE agency_code = $1 ORDER BY bucket`,
      [agency],
    );

  beforeAll(async () => {
    gw = await startTestGateway('opshist');
    auth = `Bearer ${(await gw.keys.create({ name: 'trực ca', role: 'operator' })).key}`;
    const stats = gw.app.get(DeliveryStats);
    const queues = gw.app.get(AgencyQueueManager);
    const inMinute = (s: number) => new Date(sampledMinute.getTime() + s * 1000);
    for (const [i, ms] of [100, 200, 300, 400, 5_000].entries()) await stats.record(A, ms, inMinute(i * 10));
    await stats.record(B, 50, inMinute(30));
    // Outside the minute: before it, and in the minute still running.
    await stats.record(A, 9_000, new Date(sampledMinute.getTime() - 1));
    await stats.record(A, 9_000, now);
    for (const jobId of ['h-1', 'h-2'])
      await queues.enqueue(
        AgencyJobName.SubmitDossier,
        { agencyCode: B, dossierId: '00000000-0000-4000-8000-000000000001', correlationId: jobId, data: {} },
        { jobId },
      );
    sources = {
      agencies: () => [A, B],
      durations: (code, from, to) => stats.durationsBetween(code, from, to),
      queueDepth: async (code) => {
        const c = await queues.counts(code);
        return c.waiting + c.active + c.delayed + c.paused;
      },
    };
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('records the minute that ended per agency and in total, once however many workers sample it', async () => {
    const samplers = [1, 2, 3].map(() => new OpsHistorySampler(gw.db.dataSource, sources));
    const results = await Promise.all(samplers.map((s) => s.sample(now)));
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await samplers[0].sample(now)).toBe(false);

    expect(await rows(A)).toEqual([{ bucket: sampledMinute, deliveries: 5, p50: 300, p95: 5_000, depth: 0 }]);
    expect(await rows(B)).toEqual([{ bucket: sampledMinute, deliveries: 1, p50: 50, p95: 50, depth: 2 }]);
    expect(await rows(OPS_HISTORY_TOTAL)).toEqual([
      { bucket: sampledMinute, deliveries: 6, p50: 200, p95: 5_000, depth: 2 },
    ]);
  });

  it('prunes rows older than the retention on the next sample, keeping the rest', async () => {
    const old = new Date(now.getTime() - 3 * 3600_000);
    await gw.db.dataSource.query(
      `INSERT INTO ops_history (bucket, agency_code, deliveries, queue_depth) VALUES ($1, $2, 1, 0), ($1, '*', 1, 0)`,
      [old, A],
    );
    const sampler = new OpsHistorySampler(gw.db.dataSource, sources, { retentionMs: 2 * 3600_000 });
    await sampler.sample(now);
    expect((await rows(A)).map((r) => r.bucket)).toEqual([sampledMinute]);
    expect((await rows(OPS_HISTORY_TOTAL)).map((r) => r.bucket)).toEqual([sampledMinute]);
  });

  it('serves the last hour per minute, with gaps as null, per agency and in total', async () => {
    const { body } = await get(`/api/v1/ops/history?agency=${encodeURIComponent(A)}&window=1h`).expect(200);
    expect(body).toMatchObject({ agency: A, window: '1h', stepSeconds: 60 });
    expect(body.at).toHaveLength(60);
    const i = body.at.indexOf(sampledMinute.getTime() / 1000);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(body.throughputPerMinute[i]).toBe(5);
    expect([body.latencyP50Ms[i], body.latencyP95Ms[i], body.queueDepth[i]]).toEqual([300, 5_000, 0]);
    expect(body.throughputPerMinute.filter((v: number | null) => v !== null)).toHaveLength(1);

    const total = (await get('/api/v1/ops/history').expect(200)).body;
    expect(total).toMatchObject({ agency: null, window: '1h' });
    expect(total.queueDepth[total.at.indexOf(sampledMinute.getTime() / 1000)]).toBe(2);
  });

  it('serves the last day per ten minutes, throughput averaged per minute', async () => {
    const { body } = await get(`/api/v1/ops/history?agency=${encodeURIComponent(A)}&window=24h`).expect(200);
    expect(body).toMatchObject({ window: '24h', stepSeconds: 600 });
    expect(body.at).toHaveLength(144);
    const slot = Math.floor(sampledMinute.getTime() / 600_000) * 600;
    const i = body.at.indexOf(slot);
    expect([body.throughputPerMinute[i], body.latencyP50Ms[i], body.latencyP95Ms[i]]).toEqual([
      0.5, 300, 5_000,
    ]);
  });

  it('lists every unit with its level and parent, those without an adapter too', async () => {
    const { body } = await get('/api/v1/ops/hierarchy').expect(200);
    expect(body).toEqual([
      { code: '000.00.00.H48', name: expect.any(String), level: 'city', parentCode: null },
      { code: B, name: expect.any(String), level: 'commune', parentCode: '000.00.00.H48' },
      { code: A, name: expect.any(String), level: 'commune', parentCode: '000.00.00.H48' },
    ]);
    await request(gw.server()).get('/api/v1/ops/hierarchy').expect(401);
  });

  it('marks an agency in play when a job of it succeeds or is queued', async () => {
    const stats = gw.app.get(DeliveryStats);
    const from = now.getTime() - 2 * MINUTE;
    expect((await stats.activeSince(from)).sort()).toEqual([A, B].sort());
    await stats.touch(['000.00.00.H48']);
    expect(await stats.activeSince(Date.now() - 1_000)).toContain('000.00.00.H48');
  });

  it('reads only the agencies in play once the minute before was sampled; an agency left out reads as zero, not a gap', async () => {
    const read: string[] = [];
    const depths: Record<string, number> = { [A]: 0, [B]: 3 };
    let active: string[] = [];
    const sampler = new OpsHistorySampler(gw.db.dataSource, {
      agencies: () => [A, B],
      durations: async () => [],
      queueDepth: async (code) => (read.push(code), depths[code]),
      activeSince: async () => active,
    });
    const b0 = Math.floor(now.getTime() / MINUTE) * MINUTE - 40 * MINUTE;
    const readWhenSampling = async (bucket: number) => {
      read.length = 0;
      expect(await sampler.sample(new Date(bucket + MINUTE + 5_000))).toBe(true);
      return [...read].sort();
    };
    // The minute before was not sampled: every agency is read.
    expect(await readWhenSampling(b0)).toEqual([A, B].sort());
    // B had jobs waiting; A neither had any nor had a job queued or done since: not read.
    expect(await readWhenSampling(b0 + MINUTE)).toEqual([B]);
    active = [A];
    expect(await readWhenSampling(b0 + 2 * MINUTE)).toEqual([A, B].sort());

    const { body } = await get(`/api/v1/ops/history?agency=${encodeURIComponent(A)}&window=1h`).expect(200);
    const i = body.at.indexOf((b0 + MINUTE) / 1000);
    expect([body.throughputPerMinute[i], body.queueDepth[i], body.latencyP50Ms[i]]).toEqual([0, 0, null]);
    // A minute nobody sampled stays a gap.
    expect(body.queueDepth[body.at.indexOf((b0 - MINUTE) / 1000)]).toBeNull();
  });

  it('refuses a bad window or agency with a 400 naming the field, an unknown agency with a 404', async () => {
    const bad = await get('/api/v1/ops/history?window=7d').expect(400);
    expect(bad.body.message).toEqual(['window: window must be one of 1h, 24h']);
    const long = await get(`/api/v1/ops/history?agency=${'x'.repeat(101)}`).expect(400);
    expect(long.body.message.join()).toMatch(/^agency: /);
    const extra = await get('/api/v1/ops/history?since=yesterday').expect(400);
    expect(extra.body.message.join()).toMatch(/since/);
    const unknown = await get('/api/v1/ops/history?agency=000.00.99.H48').expect(404);
    expect(unknown.body.message).toMatch(/agency: no agency with code "000\.00\.99\.H48"/);
    await request(gw.server()).get('/api/v1/ops/history').expect(401);
  });
});
