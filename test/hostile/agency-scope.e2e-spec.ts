import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { AgencyStatusChange } from '@bridge/adapter-sdk';
import { AgencyChangesService } from '@bridge/core';
import { collectedEvent } from '@bridge/testing';
import {
  csvFolders,
  dropStatusFile,
  exampleCsvAdapter,
  recordingContext,
  STATUS_HEADER,
} from './csv-drop-kit';
import { HostileGateway, OTHER_AGENCY, SOAP_AGENCY, startHostileGateway } from './hostile-gateway';
import { HostileTally } from './hostile-tally';
import { faultOf, statusPush } from './soap-push-kit';

const tally = new HostileTally('agency scope');

/** The dead letter's reason for a change of B naming A's dossier by `ref`. */
const foreignReason = (ref: string) =>
  `${ref} names a dossier of agency ${SOAP_AGENCY}, not of ${OTHER_AGENCY}: an agency may change only its own dossiers`;

/** One dossier as stored, with what was published about it. */
interface Footprint {
  status: string;
  sequence: number;
  outbox: number;
  timeline: number;
}

/**
 * Agency B (000.00.21.H48, the SOAP adapter under another code, and the example CSV agency)
 * tries to change agency A's dossier by every path an agency has: a push naming it by its S10
 * or by its bridge id, a polled page, a row of a status file. Each is refused, A's dossier and
 * its events stay as they were, and the polled and file records land in the dead letters with
 * the reason.
 */
describe('hostile: an agency changes only its own dossiers', () => {
  let gateway: HostileGateway;
  let postalKey: string;
  let otherAgencyKey: string;
  let victim: { id: string; itemId: string };

  beforeAll(async () => {
    gateway = await startHostileGateway('scope', { agencyB: true });
    postalKey = (await gateway.keys.create({ name: 'vnpost', role: 'postal' })).key;
    otherAgencyKey = (await gateway.keys.create({ name: 'Sơn Trà', role: `agency:${OTHER_AGENCY}` })).key;
    victim = await collected(SOAP_AGENCY);
  });

  afterAll(async () => {
    tally.print();
    await gateway?.close();
  });

  /** A dossier the post collected for `agencyCode`. */
  async function collected(agencyCode: string): Promise<{ id: string; itemId: string }> {
    const event = collectedEvent(agencyCode);
    const response = await request(gateway.server())
      .post('/api/v1/postal/events')
      .set('Authorization', `Bearer ${postalKey}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(event));
    expect(response.status).toBe(202);
    const itemId = (event.data as { itemId: string }).itemId;
    const [row] = await gateway.db.dataSource.query<{ id: string }[]>(
      `SELECT id FROM dossiers WHERE inbound_item_id = $1`,
      [itemId],
    );
    return { id: row.id, itemId };
  }

  async function footprint(id: string): Promise<Footprint> {
    const [row] = await gateway.db.dataSource.query<Footprint[]>(
      `SELECT status, sequence,
              (SELECT count(*)::int FROM outbox WHERE dossier_id = $1) AS outbox,
              (SELECT count(*)::int FROM dossier_timeline WHERE dossier_id = $1) AS timeline
         FROM dossiers WHERE id = $1`,
      [id],
    );
    return row;
  }

  /** The reasons of B's dead letters of one batch, sorted. */
  async function deadLetterReasons(correlationId: string): Promise<string[]> {
    const rows = await gateway.db.dataSource.query<{ reason: string }[]>(
      `SELECT reason FROM dead_letters WHERE agency_code = $1 AND correlation_id = $2 ORDER BY reason`,
      [OTHER_AGENCY, correlationId],
    );
    return rows.map((r) => r.reason);
  }

  /**
   * B pushes "cancelled" (code 7) naming A's dossier, to the SOAP route or the callback route:
   * 403 (with a Client fault on the SOAP route) and nothing stored.
   */
  async function pushRefused(
    label: string,
    record: Parameters<typeof statusPush>[0],
    route = `/soap/agencies/${OTHER_AGENCY}`,
  ): Promise<void> {
    const before = await gateway.rowCounts();
    const victimBefore = await footprint(victim.id);
    const response = await request(gateway.server())
      .post(route)
      .set('Authorization', `Bearer ${otherAgencyKey}`)
      .set('Content-Type', 'text/xml; charset=utf-8')
      .send(statusPush({ TrangThai: '7', GhiChu: 'Công dân rút hồ sơ', ...record }));
    const after = await gateway.rowCounts();
    const soap = route.startsWith('/soap/');
    const message = soap ? faultOf(response.text)?.message : (response.body as { message?: string }).message;
    const faultCode = soap ? faultOf(response.text)?.code : 'Client';
    const victimAfter = await footprint(victim.id);
    tally.record(label, {
      clean: response.status === 403 && faultCode === 'Client',
      crashed: response.status >= 500,
      halfApplied: JSON.stringify(after) !== JSON.stringify(before) || victimAfter.status !== 'collected',
    });
    expect({ label, status: response.status, faultCode }).toEqual({
      label,
      status: 403,
      faultCode: 'Client',
    });
    expect(message).toMatch(/is not a dossier of agency 000\.00\.21\.H48; nothing was applied/);
    expect(message).not.toContain(SOAP_AGENCY); // whose dossier it is stays unsaid
    expect(victimAfter).toEqual(victimBefore);
    expect(after).toEqual(before);
  }

  it("refuses a push naming another agency's dossier by its S10 with 403, applying nothing", async () => {
    await pushRefused('push by S10', { MaHoSo: victim.itemId, MaHoSoLienThong: undefined });
  });

  it("refuses a push naming another agency's dossier by its bridge id with 403, applying nothing", async () => {
    await pushRefused('push by bridge id', { MaHoSo: 'SONTRA-0001', MaHoSoLienThong: victim.id });
  });

  it('refuses the same push on the callback route with 403', async () => {
    await pushRefused(
      'push on the callback route',
      { MaHoSo: victim.itemId, MaHoSoLienThong: undefined },
      `/api/v1/agencies/${OTHER_AGENCY}/callback`,
    );
  });

  it("dead-letters a polled change naming another agency's dossier and applies the rest of the page", async () => {
    const own = await collected(OTHER_AGENCY);
    const victimBefore = await footprint(victim.id);
    const correlationId = randomUUID();
    const change = (ref: Partial<AgencyStatusChange>, changeId: string): AgencyStatusChange => ({
      ...ref,
      status: 'cancelled',
      agencyStatusCode: '7',
      at: new Date().toISOString(),
      changeId,
    });
    const outcomes = await gateway.app
      .get(AgencyChangesService)
      .apply(
        OTHER_AGENCY,
        [
          change({ agencyDossierCode: victim.itemId }, 'poll-s10'),
          change({ bridgeId: victim.id }, 'poll-id'),
          change({ agencyDossierCode: own.itemId }, 'poll-own'),
        ],
        { via: 'poll', correlationId },
      );
    const reasons = await deadLetterReasons(correlationId);
    const victimAfter = await footprint(victim.id);
    const refused = outcomes.slice(0, 2).every((o) => o.outcome === 'refused');
    tally.record('poll page by S10 and by bridge id', {
      clean: refused && reasons.length === 2,
      halfApplied: victimAfter.status !== victimBefore.status || victimAfter.outbox !== victimBefore.outbox,
    });
    expect(outcomes.map((o) => o.outcome)).toEqual(['refused', 'refused', 'applied']);
    expect(reasons).toEqual([victim.itemId, victim.id].map(foreignReason).sort());
    expect(victimAfter).toEqual(victimBefore);
    expect((await footprint(own.id)).status).toBe('cancelled'); // B's own change still flows
  });

  it("dead-letters a status-file row naming another agency's dossier, with the reason", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'hostile-scope-'));
    try {
      const folders = await csvFolders(root);
      await dropStatusFile(
        folders,
        'TRANGTHAI_huy.csv',
        `${STATUS_HEADER}\r\n${victim.itemId};;HUY;23/09/2025 14:20;;rút hồ sơ\r\n;${victim.id};HUY;23/09/2025 14:21;;rút hồ sơ\r\n`,
      );
      const adapter = exampleCsvAdapter(folders); // the example CSV agency is 000.00.21.H48
      const victimBefore = await footprint(victim.id);
      const correlationId = randomUUID();
      const page = await adapter.poll(undefined, recordingContext());
      const outcomes = await gateway.app
        .get(AgencyChangesService)
        .apply(OTHER_AGENCY, page.changes, { rejected: page.rejected, via: 'poll', correlationId });
      await page.commit?.();
      await adapter.close?.();
      const reasons = await deadLetterReasons(correlationId);
      const victimAfter = await footprint(victim.id);
      tally.record('status file rows by S10 and by bridge id', {
        clean: outcomes.every((o) => o.outcome === 'refused') && reasons.length === 2,
        halfApplied: JSON.stringify(victimAfter) !== JSON.stringify(victimBefore),
      });
      expect(outcomes.map((o) => o.outcome)).toEqual(['refused', 'refused']);
      expect(reasons).toEqual([victim.itemId, victim.id].map(foreignReason).sort());
      expect(victimAfter).toEqual(victimBefore);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
