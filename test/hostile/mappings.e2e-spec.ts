import { connect } from 'amqplib';
import { AgencyValidationError } from '@bridge/core';
import { CloudEvent } from '@bridge/domain';
import { RestAgencySimulator } from '@bridge/simulator';
import {
  collectedEvent,
  createTestDatabase,
  exampleAgency,
  publishPostal,
  registerAgencies,
  restAgencyDoc,
  TEST_AGENCY_API_KEY,
  TEST_AMQP_URL,
  TestDatabase,
  uniqueAmqpPrefix,
  waitForDossier,
} from '@bridge/testing';
import { BridgeStack } from '../faults/bridge-stack';
import { HostileTally } from './hostile-tally';

const tally = new HostileTally('mappings');
/** The agency whose file holds the hostile mapping, and one that does nothing wrong. */
const BAD = '000.00.61.H48';
const GOOD = '000.00.62.H48';

/** Two calls per level, 40 levels: 2^40 calls whatever the input. */
const EXPONENTIAL = '( $f := function($n) { $n < 1 ? 1 : $f($n - 1) + $f($n - 1) }; $f(40) )';
/**
 * 2^n calls for a district name of n characters, nothing for a dossier without one (as the
 * sample dossier apply tries is): passes apply, and blows up on the dossier below.
 */
const COSTS_WHAT_THE_INPUT_SAYS = `(
  $f := function($s) { $length($s) > 0 ? $f($substring($s, 1)) + $f($substring($s, 1)) : 1 };
  $cost := $f(dossier.applicant.address.district);
  ${(exampleAgency('rest').adapter as { mappings: Record<string, string> }).mappings.submitRequest}
)`;

function withDistrict(event: CloudEvent, district: string): CloudEvent {
  const data = event.data as { applicant: { address: Record<string, string> } };
  data.applicant.address.district = district;
  return event;
}

const itemIdOf = (event: CloudEvent) => (event.data as { itemId: string }).itemId;

/** The queues the bridge declared for this suite's namespace, gone with it. */
async function deleteQueues(names: string[]): Promise<void> {
  const connection = await connect(TEST_AMQP_URL);
  try {
    const channel = await connection.createChannel();
    for (const name of names) await channel.deleteQueue(name);
  } finally {
    await connection.close();
  }
}

describe('hostile mappings: one agency’s exponential mapping holds back no one', () => {
  let db: TestDatabase | undefined;
  let stack: BridgeStack | undefined;
  let bad: RestAgencySimulator | undefined;
  let good: RestAgencySimulator | undefined;
  let ns: string;

  beforeAll(async () => {
    ns = uniqueAmqpPrefix('hmapping');
    db = await createTestDatabase('hmapping');
    const auth = { mode: 'api-key' as const, header: 'X-Api-Key', key: TEST_AGENCY_API_KEY };
    bad = await RestAgencySimulator.start({ agencyCode: BAD, auth });
    good = await RestAgencySimulator.start({ agencyCode: GOOD, auth });
  }, 60_000);

  afterAll(async () => {
    tally.print();
    await stack?.stop();
    for (const simulator of [bad, good]) await simulator?.close().catch(() => undefined);
    await db?.drop();
    await deleteQueues([`${ns}.bridge.postal-inbound`, `${ns}.bridge.postal-inbound.dead`]);
  }, 60_000);

  it('refuses at apply a mapping over its budget on the sample dossier, storing nothing', async () => {
    const doc = restAgencyDoc(BAD, bad!.url, { mappings: { submitRequest: EXPONENTIAL } });
    const started = Date.now();
    const error = await registerAgencies(db!.dataSource, [doc]).catch((e: unknown) => e);
    const [{ n }] = await db!.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM agencies');
    const message = error instanceof AgencyValidationError ? error.message : String(error);
    const clean = /submitRequest" ran longer than its time budget of 200 ms/.test(message) && n === 0;
    tally.record('exponential mapping at apply', { clean, halfApplied: n !== 0 });
    expect(error).toBeInstanceOf(AgencyValidationError);
    expect(message).toContain(
      '$.adapter.mappings.submitRequest: mapping "submitRequest" ran longer than its time budget of 200 ms (adapter.limits.mappingTimeMs) on the bridge\'s sample dossier',
    );
    expect(n).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('dead-letters the dossier the mapping cannot map in time, while every other dossier is filed', async () => {
    await registerAgencies(db!.dataSource, [
      restAgencyDoc(BAD, bad!.url, { mappings: { submitRequest: COSTS_WHAT_THE_INPUT_SAYS } }),
      restAgencyDoc(GOOD, good!.url),
    ]);
    stack = await BridgeStack.start('standalone', {
      DATABASE_URL: db!.url,
      BRIDGE_NAMESPACE: ns,
      LOG_LEVEL: 'info',
    });

    const hostile = withDistrict(collectedEvent(BAD), 'Quận Hải Châu, thành phố Đà Nẵng, Việt Nam');
    const badButHarmless = collectedEvent(BAD);
    const others = Array.from({ length: 5 }, () => collectedEvent(GOOD));
    await publishPostal(`${ns}.postal.inbound`, [hostile]);
    await publishPostal(`${ns}.postal.inbound`, [badButHarmless, ...others]);

    // Everyone else is filed: the other agency's dossiers, and the same agency's other dossier.
    for (const event of [...others, badButHarmless]) {
      await waitForDossier(db!.dataSource, itemIdOf(event), 'received', 90_000).catch(
        async (error: Error) => {
          const letters = await db!.dataSource.query('SELECT agency_code, reason FROM dead_letters');
          throw new Error(`${error.message}\n${JSON.stringify(letters)}\n${stack?.logs()}`);
        },
      );
    }
    const dossier = await waitForDossier(db!.dataSource, itemIdOf(hostile));
    const deadLetter = await waitForDeadLetter(dossier.id, 60_000);
    const after = await waitForDossier(db!.dataSource, itemIdOf(hostile));
    const filed = await bad!.filedCount(dossier.id);
    const clean =
      deadLetter?.error_code === 'PERMANENT' &&
      /mapping "submitRequest" ran longer than its time budget of 200 ms/.test(deadLetter.reason) &&
      filed === 0;
    tally.record('mapping exponential on one dossier', { clean, halfApplied: filed !== 0 });
    expect(deadLetter).toMatchObject({
      agency_code: BAD,
      error_code: 'PERMANENT',
      reason: expect.stringContaining(
        'mapping "submitRequest" ran longer than its time budget of 200 ms (adapter.limits.mappingTimeMs)',
      ),
    });
    expect({ status: after.status, filed }).toEqual({ status: 'collected', filed: 0 });
    // Given up at once, PERMANENT: one attempt, not the agency's retries one after the other.
    expect(deadLetter.attempts).toBe(1);
  }, 240_000);

  async function waitForDeadLetter(dossierId: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const [row] = await db!.dataSource.query<
        { agency_code: string; error_code: string; reason: string; attempts: number }[]
      >(
        `SELECT agency_code, error_code, reason, jsonb_array_length(attempts)::int AS attempts
           FROM dead_letters WHERE dossier_id = $1`,
        [dossierId],
      );
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`no dead letter for dossier ${dossierId} within ${timeoutMs} ms\n${stack?.logs()}`);
  }
});
