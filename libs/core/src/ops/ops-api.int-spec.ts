import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AgencyJobName, AgencyQueueManager } from '@bridge/queues';
import {
  collectedEvent,
  GATEWAY_AGENCY_A as A,
  GATEWAY_AGENCY_B as B,
  startTestGateway,
  TestGateway,
} from '@bridge/testing';
import { MessageLogService } from '../audit';
import { DeadLetterService, NewDeadLetter } from '../delivery/dead-letter.service';
import { PostalIngressService } from '../ingress/postal-ingress.service';
import { DeliveryStats } from '../metrics/delivery-stats';

const DAY = 24 * 3600 * 1000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

describe('ops API against a real gateway', () => {
  let gw: TestGateway;
  let auth: string;
  const dossiers: Record<string, string> = {};
  const letters: Record<string, string> = {};

  const rows = <T>(sql: string, params: unknown[] = []) => gw.db.dataSource.query<T[]>(sql, params);
  const get = (url: string) => request(gw.server()).get(url).set('Authorization', auth);
  const post = (url: string, body?: object) => {
    const call = request(gw.server()).post(url).set('Authorization', auth);
    return body === undefined ? call : call.send(body);
  };
  const letterState = async (id: string) =>
    (
      await rows<{
        state: string;
      }>(`SELECT state FROM dead_letters WHERE id = $1`, [id])
    )[0]?.state;

  /** A dossier row as the ledger keeps it: columns for look-ups, the snapshot for events. */
  async function seedDossier(
    name: string,
    agencyCode: string,
    status: string,
    appointmentDate: string | null,
    timestamps: Record<string, string>,
  ): Promise<void> {
    const id = randomUUID();
    dossiers[name] = id;
    const snapshot = {
      id,
      agencyCode,
      procedureCode: '1.001612',
      serviceOption: 'both',
      status,
      sequence: 3,
      appointmentDate: appointmentDate ?? undefined,
      timestamps,
    };
    await gw.db.dataSource.query(
      `INSERT INTO dossiers (id, inbound_item_id, agency_code, procedure_code, agency_dossier_code, service_option,
                             status, sequence, appointment_date, snapshot)
       VALUES ($1, NULL, $2, '1.001612', $3, 'both', $4, 3, $5, $6)`,
      [id, agencyCode, `HS-${name}`, status, appointmentDate, JSON.stringify(snapshot)],
    );
  }

  async function seedLetter(
    name: string,
    letter: Partial<NewDeadLetter> & { agencyCode: string; reason: string },
  ) {
    const jobId = `submit-dossier.${randomUUID()}`;
    letters[name] = await gw.app.get(DeadLetterService).recordNow({
      origin: 'delivery',
      operation: AgencyJobName.SubmitDossier,
      payload: {
        jobId,
        payload: {
          agencyCode: letter.agencyCode,
          dossierId: letter.dossierId,
          correlationId: 'c-1',
          data: {},
        },
      },
      errorCode: 'TEMPORARY',
      attempts: [
        { at: iso(-0.01), code: 'TEMPORARY', message: letter.reason },
        { at: iso(0), code: 'TEMPORARY', message: letter.reason },
      ],
      ...letter,
    });
  }

  beforeAll(async () => {
    gw = await startTestGateway('ops');
    auth = `Bearer ${(await gw.keys.create({ name: 'trực ca', role: 'operator' })).key}`;
    // A: one on time, one late with a result, one late still processing. B: delivered early.
    await seedDossier('onTime', A, 'result_ready', iso(1), { received: iso(-3), result_ready: iso(0) });
    await seedDossier('lateResult', A, 'result_ready', iso(-5), { received: iso(-9), result_ready: iso(-2) });
    await seedDossier('lateOpen', A, 'processing', iso(-3), { received: iso(-8) });
    await seedDossier('delivered', B, 'delivered', iso(-10), {
      result_ready: iso(-12),
      delivered: iso(-10.5),
    });
    for (const ms of [10000, 15000, 20000, 25000])
      await seedLetter(`timeout${ms}`, {
        agencyCode: A,
        dossierId: dossiers.lateOpen,
        reason: `agency did not answer within ${ms} ms`,
      });
    await seedLetter('auth', {
      agencyCode: A,
      errorCode: 'AUTH',
      reason: 'the agency refused the credentials',
    });
    await seedLetter('b', { agencyCode: B, reason: 'connection refused by 10.0.0.7:443' });
    const stats = gw.app.get(DeliveryStats);
    for (const ms of [120, 480, 300]) await stats.record(A, ms);
    await gw.app
      .get(AgencyQueueManager)
      .enqueue(
        AgencyJobName.SubmitDossier,
        { agencyCode: A, dossierId: dossiers.lateOpen, correlationId: 'c-2', data: {} },
        { jobId: 'waiting-job' },
      );
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('shows every agency on the overview: queue, dead letters, latency, punctuality, late dossiers', async () => {
    const { body } = await get('/api/v1/ops/overview').expect(200);
    const a = body.agencies.find((x: { code: string }) => x.code === A);
    const b = body.agencies.find((x: { code: string }) => x.code === B);
    expect(body.agencies.map((x: { code: string }) => x.code)).toEqual([B, A]);
    expect(a).toMatchObject({
      kind: 'soap',
      circuit: 'closed',
      paused: false,
      queue: { waiting: 1, active: 0, delayed: 0, failed: 0, paused: 0 },
      deadLetters: 5,
      latencyMs: { p50: 300, p95: 480 },
      onTimeRate: 0.5,
      late: 2,
      // The example SOAP agency file names its own health operation.
      probe: { operation: 'KiemTraKetNoi', fallback: null },
    });
    expect(Date.now() - Date.parse(a.lastSuccessAt)).toBeLessThan(60_000);
    expect(b).toMatchObject({
      deadLetters: 1,
      onTimeRate: 1,
      late: 0,
      lastSuccessAt: null,
      latencyMs: { p50: null, p95: null },
    });
    expect(body.totals).toMatchObject({ agencies: 2, deadLetters: 6, late: 2, circuitsOpen: 0, paused: 0 });
    expect(body.totals.queue.waiting).toBe(1);
  });

  it('lists late dossiers per agency, most overdue first', async () => {
    const { body } = await get(`/api/v1/ops/dossiers/late?agency=${A}`).expect(200);
    expect(body.agencies).toHaveLength(1);
    expect(body.agencies[0]).toMatchObject({ code: A, name: 'UBND phường Hải Châu', late: 2 });
    expect(body.agencies[0].dossiers.map((d: { id: string }) => d.id)).toEqual([
      dossiers.lateResult,
      dossiers.lateOpen,
    ]);
    expect(body.agencies[0].dossiers[0].daysLate).toBe(5);
  });

  it('groups dead letters by error signature with at most three examples', async () => {
    const { body } = await get(`/api/v1/ops/dead-letters?agency=${A}`).expect(200);
    expect(body.map((g: { count: number }) => g.count)).toEqual([4, 1]);
    expect(body[0]).toMatchObject({
      signature: 'TEMPORARY: agency did not answer within <n> ms',
      errorCode: 'TEMPORARY',
      agencies: [A],
    });
    expect(body[0].examples).toHaveLength(3);
    expect(body[0].examples[0]).toMatchObject({
      agencyCode: A,
      dossierId: dossiers.lateOpen,
      operation: 'submit-dossier',
      attempts: 2,
    });
    const auth = await get('/api/v1/ops/dead-letters?errorCode=AUTH').expect(200);
    expect(auth.body.map((g: { signature: string }) => g.signature)).toEqual([
      'AUTH: the agency refused the credentials',
    ]);
    const bad = await get('/api/v1/ops/dead-letters?state=lost').expect(400);
    expect(bad.body.message.join(' ')).toContain('state:');
  });

  it('shows one dead letter with its payload and every attempt', async () => {
    const { body } = await get(`/api/v1/ops/dead-letters/${letters.timeout10000}`).expect(200);
    expect(body).toMatchObject({
      state: 'open',
      origin: 'delivery',
      errorCode: 'TEMPORARY',
      reason: 'agency did not answer within 10000 ms',
    });
    expect(body.payload.payload).toMatchObject({ agencyCode: A, dossierId: dossiers.lateOpen });
    expect(body.attempts).toHaveLength(2);
    await get(`/api/v1/ops/dead-letters/${randomUUID()}`).expect(404);
    const bad = await get('/api/v1/ops/dead-letters/not-a-uuid').expect(400);
    expect(bad.body.message).toContain('id:');
  });

  it('replays one delivery through the outbox, once', async () => {
    const id = letters.timeout10000;
    const jobId = (
      await rows<{ j: string }>(`SELECT payload->>'jobId' AS j FROM dead_letters WHERE id = $1`, [id])
    )[0].j;
    await post(`/api/v1/ops/dead-letters/${id}/replay`).expect(200, { replayed: true });
    expect(await letterState(id)).toBe('replayed');
    const jobs = await rows<{ topic: string; agency_code: string; payload: { dossierId: string } }>(
      `SELECT topic, agency_code, payload FROM outbox WHERE kind = 'job' AND message_id = $1`,
      [`${jobId}.replay-1`],
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      topic: 'submit-dossier',
      agency_code: A,
      payload: { dossierId: dossiers.lateOpen },
    });
    const again = await post(`/api/v1/ops/dead-letters/${id}/replay`).expect(409);
    expect(again.body.message).toContain('not open (replayed)');
    await post(`/api/v1/ops/dead-letters/${randomUUID()}/replay`).expect(404);
  });

  it('refuses a replay filter that is empty, unknown or malformed, naming the field', async () => {
    const empty = await post('/api/v1/ops/dead-letters/replay', {}).expect(400);
    expect(empty.body.message).toContain('{ "all": true }');
    const typo = await post('/api/v1/ops/dead-letters/replay', { agnecy: A }).expect(400);
    expect(typo.body.message).toEqual(['agnecy: property agnecy should not exist']);
    const date = await post('/api/v1/ops/dead-letters/replay', { from: 'hôm qua' }).expect(400);
    expect(date.body.message[0]).toMatch(/^from: /);
    const origin = await post('/api/v1/ops/dead-letters/replay', { origin: 'elsewhere' }).expect(400);
    expect(origin.body.message[0]).toMatch(/^origin: /);
    await post('/api/v1/ops/dead-letters/replay', { all: true, agency: A }).expect(400);
    await post('/api/v1/ops/dead-letters/replay', { from: iso(0), to: iso(-1) }).expect(400);
    expect(await letterState(letters.b)).toBe('open');
  });

  it('replays by filter only what matches', async () => {
    const { body } = await post('/api/v1/ops/dead-letters/replay', {
      agency: B,
      errorCode: 'TEMPORARY',
    }).expect(200);
    expect(body).toEqual({ replayed: 1, failed: [] });
    expect(await letterState(letters.b)).toBe('replayed');
    expect(await letterState(letters.timeout15000)).toBe('open');
    const bySignature = await post('/api/v1/ops/dead-letters/replay', {
      signature: 'TEMPORARY: agency did not answer within <n> ms',
      from: iso(-1),
    }).expect(200);
    expect(bySignature.body.replayed).toBe(3);
    expect(await letterState(letters.auth)).toBe('open');
  });

  it('discards an open dead letter once', async () => {
    await post(`/api/v1/ops/dead-letters/${letters.auth}/discard`).expect(200, { discarded: true });
    expect(await letterState(letters.auth)).toBe('discarded');
    await post(`/api/v1/ops/dead-letters/${letters.auth}/discard`).expect(409);
    await post(`/api/v1/ops/dead-letters/${letters.auth}/replay`).expect(409);
  });

  it('takes a refused postal event in again once its agency is registered', async () => {
    const C = '000.00.22.H48';
    const event = collectedEvent(C);
    const first = await gw.app.get(PostalIngressService).accept(event);
    expect(first.kind).toBe('refused');
    const id = await gw.app.get(DeadLetterService).recordNow({
      origin: 'inbound',
      operation: event.type,
      payload: { message: event },
      errorCode: 'PERMANENT',
      reason: (first as { reason: string }).reason,
      attempts: [],
    });
    const still = await post(`/api/v1/ops/dead-letters/${id}/replay`).expect(422);
    expect(still.body.message).toContain(`agency ${C} is not registered`);
    expect(await letterState(id)).toBe('open');

    await request(gw.server())
      .put(`/api/v1/agencies/${C}`)
      .set('Authorization', `Bearer ${gw.bootstrapKey}`)
      .send({ ...(await agencyFile(A)), code: C, name: 'UBND phường Thanh Khê' })
      .expect(200);
    await post(`/api/v1/ops/dead-letters/${id}/replay`).expect(200, { replayed: true });
    expect(await letterState(id)).toBe('replayed');
    const itemId = (event.data as { itemId: string }).itemId;
    const created = await rows<object>(
      `SELECT status, agency_code FROM dossiers WHERE inbound_item_id = $1`,
      [itemId],
    );
    expect(created).toEqual([{ status: 'collected', agency_code: C }]);
    const inbox = await rows<{ outcome: string }>(`SELECT outcome FROM inbox WHERE event_id = $1`, [
      event.id,
    ]);
    expect(inbox).toHaveLength(1);
    expect(inbox[0].outcome).not.toBe('refused');
  });

  it('pauses and resumes an agency in the database and in its queue', async () => {
    const queues = gw.app.get(AgencyQueueManager);
    await post(`/api/v1/ops/agencies/${A}/pause`).expect(200, { code: A, paused: true, queue: true });
    expect(await pausedInDb(A)).toBe(true);
    expect(await queues.state(A)).toMatchObject({ queuePaused: true, pausedByOperator: true });
    const overview = await get('/api/v1/ops/overview').expect(200);
    const a = overview.body.agencies.find((x: { code: string }) => x.code === A);
    expect(a).toMatchObject({ paused: true, queue: { waiting: 0, paused: 1 } });

    await post(`/api/v1/ops/agencies/${A}/resume`).expect(200, { code: A, paused: false, queue: true });
    expect(await pausedInDb(A)).toBe(false);
    expect(await queues.state(A)).toMatchObject({ queuePaused: false, pausedByOperator: false });
    const missing = await post('/api/v1/ops/agencies/999.99.99.H99/pause').expect(404);
    expect(missing.body.message).toContain('999.99.99.H99');
  });

  it('searches the message log with secrets redacted', async () => {
    const dossierId = dossiers.lateOpen;
    await gw.app.get(MessageLogService).append([
      {
        channel: 'agency',
        direction: 'outbound',
        agencyCode: A,
        dossierId,
        operation: 'submit',
        correlationId: 'corr-ops-1',
        body: JSON.stringify({ maHoSo: 'HS-1', matKhau: 'Doi-Mat-Khau-Nay' }),
      },
    ]);
    const { body } = await get(`/api/v1/ops/messages?dossier=${dossierId}&limit=10`).expect(200);
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ agencyCode: A, operation: 'submit', correlationId: 'corr-ops-1' });
    expect(body[0].body).toContain('HS-1');
    expect(body[0].body).not.toContain('Doi-Mat-Khau-Nay');
    const byCorrelation = await get('/api/v1/ops/messages?correlation=corr-ops-1').expect(200);
    expect(byCorrelation.body).toHaveLength(1);
    const bad = await get('/api/v1/ops/messages?dossier=HS-1&limit=5000').expect(400);
    expect(bad.body.message.join(' ')).toMatch(/dossier: .*limit: /);
  });

  async function pausedInDb(code: string): Promise<boolean> {
    const [row] = await rows<{
      paused: boolean;
    }>(`SELECT paused FROM agencies WHERE code = $1`, [code]);
    return row.paused;
  }

  async function agencyFile(code: string): Promise<Record<string, unknown>> {
    const { body } = await get(`/api/v1/agencies/${code}`).expect(200);
    const view = body as {
      name: string;
      level: string;
      parentCode: string;
      procedures: unknown[];
      spec: Record<string, unknown>;
    };
    return {
      code,
      name: view.name,
      level: view.level,
      parent: view.parentCode,
      procedures: view.procedures,
      adapter: view.spec,
    };
  }
});
