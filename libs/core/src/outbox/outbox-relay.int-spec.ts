import { OutboxMessageEntity } from '@bridge/persistence';
import { createTestDatabase, TestDatabase, waitFor } from '@bridge/testing';
import { OutboxRelay, RelayedJob } from './outbox-relay';
import { bridgeEvent, OutboxWriter } from './outbox-writer';

/** Sinks that keep what they were given; `failing` makes the next publish throw. */
function recordingSinks() {
  const events: string[] = [];
  const jobs: RelayedJob[] = [];
  const state = { failing: false };
  return {
    events,
    jobs,
    state,
    eventSink: {
      async publishEvents(batch: { messageId: string }[]) {
        if (state.failing) throw new Error('broker away');
        events.push(...batch.map((e) => e.messageId));
      },
    },
    jobSink: {
      async enqueueJobs(batch: RelayedJob[]) {
        jobs.push(...batch);
        return [];
      },
    },
  };
}

async function writeEvents(db: TestDatabase, count: number, prefix: string): Promise<void> {
  await db.dataSource.transaction(async (manager) => {
    const outbox = new OutboxWriter(manager);
    for (let i = 0; i < count; i++) {
      await outbox.event(
        bridgeEvent('agency.circuit_closed', `${prefix}-${i}`, { agencyCode: 'X', state: 'closed' }),
      );
    }
  });
}

describe('outbox relay (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase('relay');
  });
  afterEach(() => db.drop());

  it('relays again once the database answers after a connection attempt failed (the outage outlives no runner)', async () => {
    const sinks = recordingSinks();
    await writeEvents(db, 2, 'outage');
    const relay = new OutboxRelay(db.dataSource, sinks.eventSink, sinks.jobSink);
    // The pool cannot hand out a connection, as while the database is unreachable.
    const driver = db.dataSource.driver as unknown as { obtainMasterConnection: () => Promise<unknown> };
    jest
      .spyOn(driver, 'obtainMasterConnection')
      .mockRejectedValueOnce(
        Object.assign(new Error('connect ECONNRESET 127.0.0.1:5432'), { code: 'ECONNRESET' }),
      );
    await expect(relay.relayOnce()).rejects.toThrow('connect ECONNRESET');
    // Back: the next batch goes out.
    expect(await relay.relayOnce()).toBe(2);
    expect(sinks.events).toEqual(['outage-0', 'outage-1']);
    await relay.stop();
  });

  it('publishes events and enqueues jobs once, and marks them published', async () => {
    const sinks = recordingSinks();
    await writeEvents(db, 3, 'a');
    await db.dataSource.transaction((m) =>
      new OutboxWriter(m).job({
        name: 'submit-dossier',
        agencyCode: 'X',
        jobId: 'submit-dossier.X.1',
        payload: { agencyCode: 'X' },
      }),
    );
    const relay = new OutboxRelay(db.dataSource, sinks.eventSink, sinks.jobSink);
    expect(await relay.relayOnce()).toBe(4);
    expect(await relay.relayOnce()).toBe(0);
    await relay.stop({ flush: false });
    expect(sinks.events).toEqual(['a-0', 'a-1', 'a-2']);
    expect(sinks.jobs.map((j) => j.jobId)).toEqual(['submit-dossier.X.1']);
    expect(await db.dataSource.getRepository(OutboxMessageEntity).countBy({ publishedAt: undefined })).toBe(
      4,
    );
  });

  it('never publishes a row twice with two relays at once', async () => {
    const sinks = recordingSinks();
    await writeEvents(db, 300, 'b');
    const one = new OutboxRelay(db.dataSource, sinks.eventSink, sinks.jobSink, { batchSize: 20 });
    const two = new OutboxRelay(db.dataSource, sinks.eventSink, sinks.jobSink, { batchSize: 20 });
    const drain = async (relay: OutboxRelay) => {
      while ((await relay.relayOnce()) > 0);
    };
    await Promise.all([drain(one), drain(two)]);
    await Promise.all([one.stop({ flush: false }), two.stop({ flush: false })]);
    expect(sinks.events).toHaveLength(300);
    expect(new Set(sinks.events).size).toBe(300);
  });

  it('commits a held batch with the next claim; a held batch lost with its connection is published again', async () => {
    const sinks = recordingSinks();
    const unpublished = async () =>
      Number(
        (
          await db.dataSource.query<{ n: string }[]>(
            'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
          )
        )[0].n,
      );
    await writeEvents(db, 3, 'held');
    const one = new OutboxRelay(db.dataSource, sinks.eventSink, sinks.jobSink, { batchSize: 3 });
    const two = new OutboxRelay(db.dataSource, sinks.eventSink, sinks.jobSink, { batchSize: 3 });
    expect(await one.relayOnce({ holdCommit: true })).toBe(3);
    // Published, not committed: others see the rows unpublished, and another relay skips them.
    expect(await unpublished()).toBe(3);
    expect(await two.relayOnce()).toBe(0);
    await writeEvents(db, 2, 'next');
    expect(await one.relayOnce({ holdCommit: true })).toBe(2);
    expect(await unpublished()).toBe(2);
    await one.commitOpenBatch();
    expect(await unpublished()).toBe(0);
    expect(sinks.events).toHaveLength(5);

    await writeEvents(db, 2, 'lost');
    expect(await one.relayOnce({ holdCommit: true })).toBe(2);
    // The relay's connection dies with the batch open (its pid asked through that connection).
    const runner = (one as unknown as { runner: { query: (sql: string) => Promise<{ pid: number }[]> } })
      .runner;
    const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
    // Waits (up to 5 s) until that backend is gone, its open transaction rolled back.
    await db.dataSource.query('SELECT pg_terminate_backend($1, 5000)', [pid]);
    // The held batch was never committed: whichever relay claims next publishes it again.
    await one.relayOnce().catch(() => undefined);
    await waitFor(async () => {
      await two.relayOnce();
      return (await unpublished()) === 0;
    }, 'the lost batch to be published again');
    expect(await unpublished()).toBe(0);
    expect(sinks.events.filter((id) => id.startsWith('lost'))).toHaveLength(4);
    await Promise.all([one.stop({ flush: false }), two.stop({ flush: false })]);
  });

  it('leaves rows unpublished while the broker is away, and publishes them when it is back', async () => {
    const sinks = recordingSinks();
    await writeEvents(db, 2, 'c');
    sinks.state.failing = true;
    const relay = new OutboxRelay(db.dataSource, sinks.eventSink, sinks.jobSink, { idleMs: 50 });
    await relay.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pending = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
    );
    expect(pending[0].n).toBe(2);
    sinks.state.failing = false;
    await waitFor(() => sinks.events.length === 2, 'the events to be published', 5_000);
    await relay.stop();
  });

  it('listens again after its LISTEN connection is terminated', async () => {
    const sinks = recordingSinks();
    const relay = new OutboxRelay(db.dataSource, sinks.eventSink, sinks.jobSink, {
      listenUrl: db.url,
      idleMs: 30_000,
    });
    await relay.start();
    try {
      const listeners = async () =>
        (
          await db.dataSource.query(
            `SELECT pid FROM pg_stat_activity WHERE application_name = 'postal-one-stop-bridge-relay' AND query LIKE 'LISTEN%' AND datname = current_database()`,
          )
        ).map((r: { pid: number }) => r.pid) as number[];
      await waitFor(async () => (await listeners()).length > 0, 'the relay to listen', 5_000, 100);
      const [first] = await listeners();
      await db.dataSource.query('SELECT pg_terminate_backend($1)', [first]);
      await waitFor(
        async () => (await listeners()).some((pid) => pid !== first),
        'the relay to listen again',
        15_000,
        200,
      );
      // With a 30 s idle poll, only NOTIFY can make this fast.
      await writeEvents(db, 1, 'd');
      await waitFor(() => sinks.events.length === 1, 'a notified publish', 5_000);
    } finally {
      await relay.stop();
    }
  });
});
