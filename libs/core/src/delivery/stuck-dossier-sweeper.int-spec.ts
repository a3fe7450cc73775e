import { AgencyEntity, DeadLetterEntity, DossierEntity, OutboxMessageEntity } from '@bridge/persistence';
import { collectedEvent, createTestDatabase, TestDatabase } from '@bridge/testing';
import { PostalIngressService } from '../ingress/postal-ingress.service';
import { StuckDossierSweeper } from './stuck-dossier-sweeper';

const AGENCY = '000.00.53.H48';

describe('stuck dossier sweeper (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('sweeper');
    await db.dataSource.getRepository(AgencyEntity).insert({
      code: AGENCY,
      name: 'UBND phường Hải Châu',
      level: 'commune',
      procedures: [{ code: '1.001612', name: 'Đăng ký khai sinh', byPost: true }],
      specVersion: 1,
    });
  });
  afterAll(() => db.drop());

  async function collectedLongAgo(): Promise<string> {
    const outcome = await new PostalIngressService(db.dataSource).accept(collectedEvent(AGENCY));
    const id = (outcome as { result: { dossierId: string } }).result.dossierId;
    // Its submission job was relayed long ago (and, say, lost with Redis's data).
    await db.dataSource.query(`UPDATE outbox SET published_at = now() WHERE dossier_id = $1`, [id]);
    await db.dataSource.query(`UPDATE dossiers SET updated_at = now() - interval '1 hour' WHERE id = $1`, [
      id,
    ]);
    return id;
  }

  const pendingJobs = (id: string) =>
    db.dataSource
      .getRepository(OutboxMessageEntity)
      .find({ where: { dossierId: id, kind: 'job', publishedAt: undefined } });

  it('re-enqueues the submission of a dossier stuck in collected, under its deterministic job id, once', async () => {
    const id = await collectedLongAgo();
    const first = (
      await db.dataSource.getRepository(OutboxMessageEntity).findOneByOrFail({ dossierId: id, kind: 'job' })
    ).messageId;
    const sweeper = new StuckDossierSweeper(db.dataSource, { stuckAfterMs: 60_000 });
    expect(await sweeper.sweepOnce()).toBeGreaterThanOrEqual(1);
    const jobs = (await pendingJobs(id)).filter((j) => j.publishedAt === null);
    expect(jobs.map((j) => j.messageId)).toEqual([first]);
    await sweeper.sweepOnce();
    expect((await pendingJobs(id)).filter((j) => j.publishedAt === null)).toHaveLength(1);
  });

  it('leaves a dossier with an open dead letter to a person, and a fresh one alone', async () => {
    const parked = await collectedLongAgo();
    await db.dataSource.getRepository(DeadLetterEntity).insert({
      origin: 'delivery',
      agencyCode: AGENCY,
      dossierId: parked,
      operation: 'submit-dossier',
      payload: {},
      errorCode: 'PERMANENT',
      errorSignature: 'PERMANENT: x',
      reason: 'x',
      attempts: [],
    });
    const fresh = (await new PostalIngressService(db.dataSource).accept(collectedEvent(AGENCY))) as {
      result: { dossierId: string };
    };
    await db.dataSource.query(`UPDATE outbox SET published_at = now()`);
    await new StuckDossierSweeper(db.dataSource, { stuckAfterMs: 60_000 }).sweepOnce();
    expect((await pendingJobs(parked)).filter((j) => j.publishedAt === null)).toHaveLength(0);
    expect((await pendingJobs(fresh.result.dossierId)).filter((j) => j.publishedAt === null)).toHaveLength(0);
    expect(await db.dataSource.getRepository(DossierEntity).countBy({ id: parked })).toBe(1);
  });
});
