import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AdapterSpec, MemoryAdapterStore, silentAdapterLogger } from '@bridge/adapter-sdk';
import { ADAPTER_FACTORIES } from '../agencies/adapter-registry';
import { loadConfig } from '@bridge/config';
import { AgencyQueueManager } from '@bridge/queues';
import { CsvAgencySimulator, exampleAgency } from '@bridge/simulator';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { BridgeMetrics } from '../metrics/bridge-metrics';
import { MetricsCollector } from '../metrics/metrics-collector';
import { AgencyChangesService } from './agency-changes.service';
import { AgencyPoller } from './agency-poller';
import { DeadLetterService } from './dead-letter.service';
import { PollHealthRecorder, readPollHealth } from './poll-health';

const AGENCY = '000.00.21.H48';
const INTERVAL = 60_000;

describe('poll health of an agency (PostgreSQL, CSV agency simulator)', () => {
  let db: TestDatabase;
  let agency: CsvAgencySimulator;
  let poller: AgencyPoller;

  beforeAll(async () => {
    db = await createTestDatabase('poll_health');
    agency = await CsvAgencySimulator.start({ pollMs: INTERVAL });
    const doc = exampleAgency('csv-drop') as { adapter: AdapterSpec };
    const spec: AdapterSpec = {
      ...doc.adapter,
      pollIntervalMs: INTERVAL,
      options: {
        ...doc.adapter.options,
        inboxDir: agency.inboxDir,
        outboxDir: agency.outboxDir,
        archiveDir: path.join(agency.rootDir, 'luu-tru'),
        failedDir: path.join(agency.rootDir, 'loi'),
        rejectDir: path.join(agency.rootDir, 'dong-loi'),
        filePattern: '*.csv',
      },
    };
    await db.dataSource.query(
      `INSERT INTO agencies (code, name, level, spec_version) VALUES ($1, 'UBND phường Sơn Trà', 'commune', 1)`,
      [AGENCY],
    );
    await db.dataSource.query(
      `INSERT INTO adapter_specs (agency_code, version, kind, spec, content_hash) VALUES ($1, 1, 'csv-drop', $2, 'h')`,
      [AGENCY, JSON.stringify(spec)],
    );
    const store = new MemoryAdapterStore();
    const adapter = ADAPTER_FACTORIES['csv-drop'].create(
      { code: AGENCY, name: 'UBND phường Sơn Trà' },
      spec,
      {
        logger: silentAdapterLogger,
        store,
      },
    );
    poller = new AgencyPoller(
      db.dataSource,
      { adapterFor: () => adapter, specOf: () => spec },
      new AgencyChangesService(db.dataSource, new DeadLetterService(db.dataSource)),
      store,
      () => undefined,
      new PollHealthRecorder(db.dataSource),
    );
  });
  afterAll(async () => {
    await poller?.stop();
    await agency?.close();
    await db?.drop();
  });

  const health = async (now = new Date()) => (await readPollHealth(db.dataSource, 5, now)).get(AGENCY)!;
  const scrape = async () => {
    const metrics = new BridgeMetrics();
    const queues = { agencies: () => [] } as unknown as AgencyQueueManager;
    return new MetricsCollector(metrics, queues, db.dataSource, loadConfig({})).scrape();
  };

  it('is healthy after a poll, failing while the share is gone, and healthy again once it is back', async () => {
    await poller.pollOnce(AGENCY);
    expect(await health()).toMatchObject({ state: 'healthy', healthy: true, lastSuccessVia: 'poll' });
    expect(await scrape()).toMatch(
      new RegExp(
        `bridge_agency_last_poll_success_timestamp_seconds\\{agency="${AGENCY.replace(/\./g, '\\.')}"\\} \\d+`,
      ),
    );

    // The agency's folder disappears (share unmounted): every poll fails.
    await fs.rename(agency.outboxDir, `${agency.outboxDir}.gone`);
    await poller.pollOnce(AGENCY);
    await poller.pollOnce(AGENCY);
    const failing = await health();
    expect(failing).toMatchObject({ state: 'failing', healthy: false, consecutiveFailures: 2 });
    expect(failing.reason).toMatch(/the last 2 poll\(s\) failed: .+/);
    expect(await scrape()).toContain(`bridge_agency_poll_unhealthy{agency="${AGENCY}",state="failing"} 1`);

    await fs.rename(`${agency.outboxDir}.gone`, agency.outboxDir);
    await poller.pollOnce(AGENCY);
    expect(await health()).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
  });

  it('goes stale when nothing succeeded for more than the allowed number of intervals', async () => {
    const lastSuccess = new Date((await health()).lastSuccessAt!);
    expect((await health(new Date(lastSuccess.getTime() + 4 * INTERVAL))).state).toBe('healthy');
    const stale = await health(new Date(lastSuccess.getTime() + 6 * INTERVAL));
    expect(stale).toMatchObject({ state: 'stale', healthy: false });
    expect(stale.reason).toMatch(/no successful poll or callback since .* \(limit 5 intervals of 60000 ms\)/);
  });
});
