import { CsvAgencySimulator, RestAgencySimulator, SoapAgencySimulator } from '@bridge/simulator';
import {
  collectedEvent,
  createTestDatabase,
  exampleAgency,
  publishPostal,
  registerAgencies,
  restAgencyDoc,
  TEST_AGENCY_API_KEY,
  TestDatabase,
  uniqueAmqpPrefix,
  withOverrides,
} from '@bridge/testing';
import { BridgeStack } from './bridge-stack';
import { itemIdOf, paced, settleDossiers, sleep } from './fault-flow';
import { FaultTally } from './fault-tally';
import { GARBAGE_KINDS, GarbageProxy } from './garbage-proxy';
import { noDedupeRestAgencyDoc, startNoDedupeRestAgency } from './no-dedupe-agency';

const SLOW = '000.00.51.H48';
const GARBAGE = '000.00.52.H48';
const DOWN = '000.00.54.H48';
const CSV = '000.00.55.H48';
const FAST_RETRY = { maxAttempts: 8, baseDelayMs: 300, maxDelayMs: 2_000, jitter: 0.1 };

/** Starts a scenario at once; its `it` awaits it. Never an unhandled rejection meanwhile. */
function launch<T>(run: () => Promise<T>): Promise<T> {
  const running = run();
  running.catch(() => undefined);
  return running;
}

/** A SOAP agency that cannot de-duplicate: the bridge looks a dossier up before filing it. */
function soapDoc(code: string, endpoint: string): Record<string, unknown> {
  const doc = withOverrides(exampleAgency('soap'), { code, name: `Cơ quan SOAP ${code}`, parent: undefined });
  const adapter = doc.adapter as Record<string, unknown>;
  return {
    ...doc,
    adapter: {
      ...adapter,
      endpoint,
      options: { ...(adapter.options as Record<string, unknown>), lookupBeforeSubmit: true },
      pollIntervalMs: 1_000,
      timeoutMs: 3_000,
      retry: FAST_RETRY,
      circuit: { failureThreshold: 50, openMs: 2_000 },
      auth: {
        type: 'ws-security',
        username: 'buudien',
        password: 'mat-khau-soap',
        passwordType: 'PasswordDigest',
      },
    },
  };
}

function csvDoc(code: string, csv: CsvAgencySimulator): Record<string, unknown> {
  const doc = withOverrides(exampleAgency('csv-drop'), {
    code,
    name: `Cơ quan CSV ${code}`,
    parent: undefined,
  });
  const adapter = doc.adapter as Record<string, unknown>;
  return {
    ...doc,
    adapter: {
      ...adapter,
      endpoint: `file://${csv.inboxDir}`,
      pollIntervalMs: 1_000,
      timeoutMs: 3_000,
      retry: { ...FAST_RETRY, maxAttempts: 12 },
      circuit: { failureThreshold: 50, openMs: 2_000 },
      options: {
        ...(adapter.options as Record<string, unknown>),
        inboxDir: csv.inboxDir,
        outboxDir: csv.outboxDir,
        archiveDir: `${csv.rootDir}/luu-tru`,
        failedDir: `${csv.rootDir}/loi`,
        rejectDir: `${csv.rootDir}/dong-loi`,
        receiptPollMs: 200,
      },
    },
  };
}

/**
 * Agencies misbehaving with dossiers in flight, all four behind one standalone bridge (so they
 * also show that one agency's trouble never holds back the others): one slower than its
 * timeout, one whose answers are garbage, one down for 20 s, one whose CSV share disappears.
 * The last three cannot de-duplicate: every filing makes a new dossier, and the bridge looks a
 * dossier up before filing it (as it always does at a CSV agency), so a dossier filed twice
 * shows in their counts. The slow one de-duplicates on the idempotency key, which is what lets
 * the bridge file again after a timeout; there a filing counts twice when it came in after the
 * bridge already held the dossier's receipt.
 */
describe('faults: agencies that are slow, answer garbage, go down, lose their folder', () => {
  const tallies = {
    slow: new FaultTally('agency slower than its timeout', 'received'),
    garbage: new FaultTally('agency answering garbage', 'received'),
    down: new FaultTally('agency down for 20 s', 'received'),
    csv: new FaultTally('CSV agency folder missing', 'received'),
  };
  let db: TestDatabase | undefined;
  let ns: string;
  let stack: BridgeStack | undefined;
  let slow: RestAgencySimulator | undefined;
  let down: RestAgencySimulator | undefined;
  let soap: SoapAgencySimulator | undefined;
  let proxy: GarbageProxy | undefined;
  let csv: CsvAgencySimulator | undefined;
  const runs: Partial<Record<keyof typeof tallies, ReturnType<typeof settleDossiers>>> = {};

  beforeAll(async () => {
    ns = uniqueAmqpPrefix('fagency');
    db = await createTestDatabase('fagency');
    slow = await RestAgencySimulator.start({
      agencyCode: SLOW,
      auth: { mode: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
    });
    down = await startNoDedupeRestAgency(DOWN);
    soap = await SoapAgencySimulator.start({
      agencyCode: GARBAGE,
      dedupe: false,
      credentials: { username: 'buudien', password: 'mat-khau-soap' },
    });
    proxy = await GarbageProxy.start(soap.url, (body) =>
      /<(?:[\w-]+:)?NopHoSo[\s>]/.test(body)
        ? /<(?:[\w-]+:)?MaHoSoLienThong>([^<]+)</.exec(body)?.[1]
        : undefined,
    );
    csv = await CsvAgencySimulator.start({ agencyCode: CSV, pollMs: 50, dedupe: false });
    await registerAgencies(db.dataSource, [
      restAgencyDoc(SLOW, slow.url, { timeoutMs: 1_000, concurrency: 4, retry: FAST_RETRY }),
      noDedupeRestAgencyDoc(DOWN, down.url, {
        concurrency: 4,
        retry: { ...FAST_RETRY, maxAttempts: 6 },
        circuit: { failureThreshold: 3, openMs: 2_000 },
      }),
      soapDoc(GARBAGE, proxy.url),
      csvDoc(CSV, csv),
    ]);
    stack = await BridgeStack.start('standalone', { DATABASE_URL: db.url, BRIDGE_NAMESPACE: ns });
    runs.slow = launch(() => slowAgency());
    runs.garbage = launch(() => garbageAgency());
    runs.down = launch(() => downAgency());
    runs.csv = launch(() => csvFolderMissing());
  }, 120_000);

  afterAll(async () => {
    for (const tally of Object.values(tallies)) tally.print();
    await Promise.allSettled(Object.values(runs));
    await stack?.stop();
    for (const closable of [slow, down, proxy, soap, csv]) await closable?.close().catch(() => undefined);
    await db?.drop();
  }, 120_000);

  function publish(events: ReturnType<typeof collectedEvent>[], spanMs: number): Promise<void> {
    return paced(events, spanMs, (event) => publishPostal(`${ns}.postal.inbound`, [event]));
  }

  /** Answers take 2.5 s for the first 8 s against a 1 s timeout; the agency files them anyway. */
  async function slowAgency() {
    const events = Array.from({ length: 15 }, () => collectedEvent(SLOW));
    slow!.setLatency(2_500);
    const before = slow!.requestCount;
    await publish(events.slice(0, 10), 3_000);
    await sleep(5_000);
    for (let i = before; i < slow!.requestCount; i++) tallies.slow.injected('answer later than the timeout');
    slow!.setLatency(50);
    await publish(events.slice(10), 1_000);
    return settleDossiers({
      ds: db!.dataSource,
      tally: tallies.slow,
      itemIds: events.map(itemIdOf),
      filedCount: async (row) => (await slow!.filedCount(row.id)) + slow!.filingsAfterReceipt(row.id),
      timeoutMs: 60_000,
    });
  }

  /** Every dossier's first filing answer is replaced by garbage, after the agency filed it. */
  async function garbageAgency() {
    const events = Array.from({ length: 15 }, () => collectedEvent(GARBAGE));
    await publish(events, 5_000);
    const settled = await settleDossiers({
      ds: db!.dataSource,
      tally: tallies.garbage,
      itemIds: events.map(itemIdOf),
      filedCount: (row) => soap!.filedCount(row.id),
      timeoutMs: 60_000,
    });
    for (const { kind } of proxy!.sent) tallies.garbage.injected(kind);
    tallies.garbage.settle(settled);
    return settled;
  }

  /** Down (503 pages) for 20 s with dossiers arriving before and during; back up after. */
  async function downAgency() {
    const events = Array.from({ length: 15 }, () => collectedEvent(DOWN));
    down!.setDown(true);
    tallies.down.injected('down for 20 s');
    await publish(events.slice(0, 10), 2_000);
    await sleep(8_000);
    await publish(events.slice(10), 2_000);
    await sleep(8_000);
    down!.setDown(false);
    return settleDossiers({
      ds: db!.dataSource,
      tally: tallies.down,
      itemIds: events.map(itemIdOf),
      filedCount: (row) => down!.filedCount(row.id),
      timeoutMs: 60_000,
    });
  }

  /** The share disappears twice for 4 s while dossiers are being dropped into it. */
  async function csvFolderMissing() {
    const events = Array.from({ length: 15 }, () => collectedEvent(CSV));
    const flow = publish(events, 10_000);
    for (let outage = 0; outage < 2; outage++) {
      await sleep(1_500);
      await csv!.setFolderMissing(true);
      tallies.csv.injected('folder missing for 4 s');
      await sleep(4_000);
      await csv!.setFolderMissing(false);
    }
    await flow;
    return settleDossiers({
      ds: db!.dataSource,
      tally: tallies.csv,
      itemIds: events.map(itemIdOf),
      filedCount: (row) => csv!.filedCount(row.id),
      timeoutMs: 60_000,
    });
  }

  async function expectClean(name: keyof typeof tallies, dossiers: number) {
    const outcome = await runs[name]!;
    expect({ lost: outcome.lost, duplicates: outcome.duplicates, stuck: outcome.stuck }).toEqual({
      lost: 0,
      duplicates: 0,
      stuck: [],
    });
    expect(outcome.completed).toBe(dossiers);
  }

  it('retries an agency slower than its timeout and files each dossier once (idempotency key)', async () => {
    await expectClean('slow', 15);
    expect(tallies.slow.injectedFaults.length).toBeGreaterThan(0);
  }, 180_000);

  it('takes garbage answers (HTML, truncated XML, JSON, empty, 502 page) for transient failures and files each dossier once', async () => {
    await expectClean('garbage', 15);
    expect(new Set(proxy!.sent.map((s) => s.kind))).toEqual(new Set(GARBAGE_KINDS));
  }, 180_000);

  it('keeps the dossiers of an agency down for 20 s waiting and completes them when it is back', async () => {
    await expectClean('down', 15);
  }, 180_000);

  it('completes the dossiers of a CSV agency whose folder disappears and comes back', async () => {
    await expectClean('csv', 15);
    expect(tallies.csv.injectedFaults).toHaveLength(2);
  }, 180_000);
});
