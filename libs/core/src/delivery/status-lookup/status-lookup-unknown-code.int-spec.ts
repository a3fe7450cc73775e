import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DeadLetterEntity, DossierEntity, OutboxMessageEntity } from '@bridge/persistence';
import { RestAgencySimulator } from '@bridge/simulator';
import {
  collectedEvent,
  createTestDatabase,
  filedAtAgency,
  loadedRuntime,
  registerAgencies,
  TEST_AGENCY_API_KEY,
  TEST_SECRET_KEY,
  TestDatabase,
  withOverrides,
} from '@bridge/testing';
import { AgencyChangesService } from '../agency-changes.service';
import { AgencyRuntime } from '../agency-runtime';
import { DeadLetterService } from '../dead-letter.service';
import { StatusLookupRounds } from './status-lookup-rounds';

const FILE = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'adapters',
  'rest',
  'fixtures',
  'lookup-only',
  'agency.yaml',
);

/**
 * A look-up that answers a status code the agency file does not list is not dead-lettered: the
 * dossier is asked again every round, the failure reported each round, and once the fixed file
 * is applied the next round applies the change (once), with nothing to replay.
 */
describe('a status look-up answering a status code the agency file does not know', () => {
  let db: TestDatabase;
  let rest: RestAgencySimulator;
  let runtime: AgencyRuntime;
  let rounds: StatusLookupRounds;
  let changes: AgencyChangesService;
  const failures: string[] = [];
  const base = parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
  const code = base.code as string;
  const file = (knowsProcessing: boolean) => {
    const doc = withOverrides(base, {
      parent: undefined,
      adapter: {
        endpoint: rest.url,
        auth: { type: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
        statusLookup: { intervalMs: 1000 },
      },
    });
    // Replaced, not merged: the table without the code lacks it.
    const adapter = doc.adapter as { statusCodes: Record<string, string> };
    const statusCodes = { ...adapter.statusCodes };
    if (!knowsProcessing) delete statusCodes.DANG_XU_LY;
    return { ...doc, adapter: { ...adapter, statusCodes } };
  };

  beforeAll(async () => {
    db = await createTestDatabase('lookup-unknown');
    rest = await RestAgencySimulator.start({
      agencyCode: code,
      auth: { mode: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
      dedupe: false,
    });
    await registerAgencies(db.dataSource, [file(false)]);
    runtime = await loadedRuntime(db.dataSource, TEST_SECRET_KEY);
    changes = new AgencyChangesService(db.dataSource, new DeadLetterService(db.dataSource));
    rounds = new StatusLookupRounds({
      dataSource: db.dataSource,
      runtime,
      changes,
      onError: (_agency, error) => failures.push(String(error)),
      enrolMs: 0,
    });
  });
  afterAll(async () => {
    await rounds?.stop();
    await runtime?.stop();
    await rest?.close();
    await db?.drop();
  });

  /** Runs rounds until `done` holds (each claims what is due). */
  async function roundsUntil(what: string, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await rounds.tick();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('reports it every round, changes nothing, and applies the change once the file is fixed', async () => {
    const ds = db.dataSource;
    const { id, code: agencyDossierCode } = await filedAtAgency(
      ds,
      runtime,
      changes,
      code,
      collectedEvent(code),
    );
    const status = async () => (await ds.getRepository(DossierEntity).findOneByOrFail({ id })).status;
    const processingEvents = () =>
      ds
        .getRepository(OutboxMessageEntity)
        .countBy({ dossierId: id, kind: 'event', topic: 'dossier.processing' });

    await rest.driveStatus(agencyDossierCode, 'processing');
    await roundsUntil('two rounds to fail on the unknown code', async () => failures.length >= 2);
    expect(failures[0]).toContain('"DANG_XU_LY"');
    expect(await status()).toBe('received');
    expect(await processingEvents()).toBe(0);
    expect(await ds.getRepository(DeadLetterEntity).countBy({ agencyCode: code })).toBe(0);

    await registerAgencies(ds, [file(true)]);
    await runtime.refresh();
    await roundsUntil('the dossier to move on', async () => (await status()) === 'processing');
    const failed = failures.length;
    // Later rounds find the same code again: nothing more happens.
    const lookups = rest.lookupCount;
    await roundsUntil('two more look-ups', async () => rest.lookupCount >= lookups + 2);
    expect(await processingEvents()).toBe(1);
    expect(failures).toHaveLength(failed);
  });
});
