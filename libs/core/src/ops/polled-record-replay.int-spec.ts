import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MemoryAdapterStore } from '@bridge/adapter-sdk';
import { DossierStatus } from '@bridge/domain';
import { DeadLetterEntity, DossierEntity, OutboxMessageEntity } from '@bridge/persistence';
import { ProvincialSoapService, RestAgencySimulator } from '@bridge/simulator';
import {
  collectedEvent,
  createTestDatabase,
  filedAtAgency,
  loadedRuntime,
  registerAgencies,
  restAgencyDoc,
  TEST_AGENCY_API_KEY,
  TEST_SECRET_KEY,
  TestDatabase,
  withOverrides,
} from '@bridge/testing';
import { AgencyChangesService } from '../delivery/agency-changes.service';
import { AgencyPoller } from '../delivery/agency-poller';
import { AgencyRuntime } from '../delivery/agency-runtime';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { PostalIngressService } from '../ingress/postal-ingress.service';
import { PostalTrackingService } from '../ingress/postal-tracking.service';
import { DeadLetterActionsService } from './dead-letter-actions.service';

const ADAPTERS = join(__dirname, '..', '..', '..', '..', 'adapters');

/** An agency on its simulator, and the status word its officers use for "processing". */
interface PolledAgency {
  code: string;
  procedureCode: string;
  /** The agency file as applied at first, without `processingWord` in its status table. */
  file: Record<string, unknown>;
  processingWord: string;
  drive(agencyDossierCode: string, status: DossierStatus): Promise<void>;
  close(): Promise<void>;
}

/** The provincial service served by the `soap` package, polled with LayTrangThaiThayDoi. */
async function soapAgency(): Promise<PolledAgency> {
  const credentials = { username: 'buudien-danang', password: 'Mat-Khau-Tinh' };
  const service = await ProvincialSoapService.start({
    wsdl: readFileSync(join(ADAPTERS, 'soap', 'fixtures', 'third-party', 'dich-vu-cong-tinh.wsdl'), 'utf8'),
    credentials,
  });
  const file = parse(
    readFileSync(join(ADAPTERS, 'soap', 'fixtures', 'third-party', 'agency.yaml'), 'utf8'),
  ) as Record<string, unknown>;
  return {
    code: file.code as string,
    procedureCode: '2.000635',
    file: withOverrides(file, {
      parent: undefined,
      adapter: {
        endpoint: service.url,
        auth: { type: 'ws-security', ...credentials, passwordType: 'PasswordText' },
      },
    }),
    processingWord: 'DANG_XU_LY',
    drive: (code, status) => service.driveStatus(code, status),
    close: () => service.close(),
  };
}

/** Vendor B's REST API, polled with `GET /api/thaydoi?sau={cursor}`. */
async function restAgency(): Promise<PolledAgency> {
  const code = '000.00.53.H48';
  const simulator = await RestAgencySimulator.start({
    agencyCode: code,
    auth: { mode: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
  });
  return {
    code,
    procedureCode: '1.001612',
    file: restAgencyDoc(code, simulator.url),
    processingWord: 'DANG_XU_LY',
    drive: (agencyDossierCode, status) => simulator.driveStatus(agencyDossierCode, status),
    close: () => simulator.close(),
  };
}

/** The agency file with `word` left out of (or put back into) its status table. */
function statusTable(file: Record<string, unknown>, word: string, known: boolean): Record<string, unknown> {
  const adapter = file.adapter as { statusCodes: Record<string, string> };
  const statusCodes = { ...adapter.statusCodes };
  if (!known) delete statusCodes[word];
  return { ...file, adapter: { ...adapter, statusCodes } };
}

/**
 * A record an agency reports in its "changes since" feed, with a status word its agency file
 * does not list yet, is dead-lettered whole. Replaying it is refused (changing nothing) until
 * the agency file is fixed; once the fixed file is applied, the replay reads the record again
 * through the current status table and the change applies, once.
 */
describe.each([
  ['soap (the soap package, LayTrangThaiThayDoi)', soapAgency],
  ['rest (vendor B, GET /api/thaydoi)', restAgency],
])('replaying a polled record of a %s agency', (_name, start) => {
  let db: TestDatabase;
  let agency: PolledAgency;
  let runtime: AgencyRuntime;
  let actions: DeadLetterActionsService;
  let changes: AgencyChangesService;
  let poller: AgencyPoller;
  const apply = (file: Record<string, unknown>) => registerAgencies(db.dataSource, [file]);

  beforeAll(async () => {
    db = await createTestDatabase('replay-polled');
    agency = await start();
    await apply(statusTable(agency.file, agency.processingWord, false));
    runtime = await loadedRuntime(db.dataSource, TEST_SECRET_KEY);
    const deadLetters = new DeadLetterService(db.dataSource);
    changes = new AgencyChangesService(db.dataSource, deadLetters);
    poller = new AgencyPoller(db.dataSource, runtime, changes, new MemoryAdapterStore());
    actions = new DeadLetterActionsService(
      db.dataSource,
      deadLetters,
      undefined as unknown as PostalIngressService,
      undefined as unknown as PostalTrackingService,
      runtime,
      changes,
    );
  });
  afterAll(async () => {
    await poller?.stop();
    await runtime?.stop();
    await agency?.close();
    await db?.drop();
  });

  /** A dossier filed at the agency for real, received there; returns its id and the agency's code. */
  function filedDossier(): Promise<{ id: string; code: string }> {
    const collected = collectedEvent(agency.code, { procedureCode: agency.procedureCode });
    return filedAtAgency(db.dataSource, runtime, changes, agency.code, collected);
  }

  const dossierOf = (id: string) => db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id });
  const eventsOf = async (id: string) =>
    (await db.dataSource.getRepository(OutboxMessageEntity).findBy({ dossierId: id, kind: 'event' })).map(
      (e) => e.topic,
    );

  it('refuses the replay while the status is unknown, applies it once after the agency file is fixed', async () => {
    const dossier = await filedDossier();
    expect((await dossierOf(dossier.id)).status).toBe('received');

    // An officer moves the dossier on; the agency reports a status word its file does not list.
    await agency.drive(dossier.code, 'processing');
    await poller.pollOnce(agency.code);
    const letters = await db.dataSource
      .getRepository(DeadLetterEntity)
      .findBy({ origin: 'agency-record', agencyCode: agency.code });
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter.reason).toContain(`"${agency.processingWord}"`);
    expect(JSON.stringify(letter.payload.record)).toContain(dossier.code);
    const eventsBefore = await eventsOf(dossier.id);

    const refused = await actions.replay(letter.id, 'operator');
    expect(refused).toEqual({
      kind: 'refused',
      reason: expect.stringMatching(new RegExp(`still unusable.*"${agency.processingWord}"`)),
    });
    expect(
      (await db.dataSource.getRepository(DeadLetterEntity).findOneByOrFail({ id: letter.id })).state,
    ).toBe('open');
    expect((await dossierOf(dossier.id)).status).toBe('received');
    expect(await eventsOf(dossier.id)).toEqual(eventsBefore);

    // The operator applies the fixed agency file; the replay reads the record with it.
    await apply(statusTable(agency.file, agency.processingWord, true));
    expect(await actions.replay(letter.id, 'operator')).toEqual({ kind: 'done' });
    expect((await dossierOf(dossier.id)).status).toBe('processing');
    const eventsAfter = await eventsOf(dossier.id);
    expect(eventsAfter.filter((t) => t === 'dossier.processing')).toHaveLength(1);
    expect(eventsAfter.length).toBe(eventsBefore.length + 1);
    expect(
      (await db.dataSource.getRepository(DeadLetterEntity).findOneByOrFail({ id: letter.id })).state,
    ).toBe('replayed');

    // Once is once: the dead letter is closed, and the same record polled again is a duplicate.
    expect(await actions.replay(letter.id, 'operator')).toEqual({ kind: 'not_open', state: 'replayed' });
    await db.dataSource.query('DELETE FROM poll_cursors WHERE agency_code = $1', [agency.code]);
    await poller.pollOnce(agency.code);
    expect(await eventsOf(dossier.id)).toEqual(eventsAfter);
    expect(
      await db.dataSource
        .getRepository(DeadLetterEntity)
        .countBy({ origin: 'agency-record', agencyCode: agency.code }),
    ).toBe(1);
  });

  it('never replays a change that named a dossier of another agency, and says why', async () => {
    const otherCode = `${agency.code.slice(0, -3)}K99`;
    await registerAgencies(db.dataSource, [
      statusTable(agency.file, agency.processingWord, true),
      { ...agency.file, code: otherCode, name: 'Một cơ quan khác' },
    ]);
    const accepted = await new PostalIngressService(db.dataSource).accept(
      collectedEvent(otherCode, { procedureCode: agency.procedureCode }),
    );
    const otherId = (accepted as { result: { dossierId: string } }).result.dossierId;
    await changes.apply(agency.code, [
      {
        bridgeId: otherId,
        status: 'processing',
        agencyStatusCode: agency.processingWord,
        at: new Date().toISOString(),
      },
    ]);
    const letter = await db.dataSource
      .getRepository(DeadLetterEntity)
      .findOneByOrFail({ agencyCode: agency.code, operation: 'poll:foreign-dossier' });
    expect(await actions.replay(letter.id, 'operator')).toEqual({
      kind: 'refused',
      reason: expect.stringContaining('names a dossier of another agency'),
    });
    expect(
      (await db.dataSource.getRepository(DeadLetterEntity).findOneByOrFail({ id: letter.id })).state,
    ).toBe('open');
  });
});
