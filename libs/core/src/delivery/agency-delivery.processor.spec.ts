import { IntegrationError, IntegrationErrorCode } from '@bridge/adapter-sdk';
import type { DataSource } from 'typeorm';
import { AgencyJob, AgencyJobName } from '@bridge/queues';
import type { DeliveryStats } from '../metrics/delivery-stats';
import type { AdapterProvider } from './adapter-provider';
import { AgencyDeliveryProcessor, bridgeSideAsTemporary } from './agency-delivery.processor';
import type { DeadLetterService } from './dead-letter.service';

describe('bridgeSideAsTemporary', () => {
  it('keeps what an adapter decided', () => {
    const permanent = IntegrationError.permanent('the agency refused the dossier');
    expect(bridgeSideAsTemporary(permanent)).toBe(permanent);
  });

  it('retries failures of the bridge itself, such as the database pool timing out', () => {
    const result = bridgeSideAsTemporary(
      new Error('timeout exceeded when trying to connect'),
    ) as IntegrationError;
    expect(result).toBeInstanceOf(IntegrationError);
    expect(result.code).toBe(IntegrationErrorCode.TEMPORARY);
    expect(result.message).toMatch(/timeout exceeded when trying to connect/);
  });
});

describe('AgencyDeliveryProcessor statistics', () => {
  it('ends a successful job without waiting for its statistics to be written', async () => {
    // A dossier already submitted: the job succeeds at once without calling the agency.
    const row = { id: '7d1c3c0e-9a51-4c52-9a0e-6b0c2c1f0a11', status: 'submitted', snapshot: {} };
    // Every query answers this row: the lease taken (its dossier_id), then the dossier read.
    const dataSource = {
      query: () => Promise.resolve([{ ...row, dossier_id: row.id }]),
    } as unknown as DataSource;
    const record = jest.fn(() => new Promise<void>(() => undefined)); // a Redis that never answers
    const stats = { record } as unknown as DeliveryStats;
    const processor = new AgencyDeliveryProcessor(
      dataSource,
      {} as AdapterProvider,
      {} as DeadLetterService,
      undefined,
      undefined,
      stats,
    );
    const job = {
      id: 'job-1',
      name: AgencyJobName.SubmitDossier,
      attemptsMade: 0,
      payload: { agencyCode: '000.00.53.H48', dossierId: row.id, correlationId: 'c-1' },
    } as AgencyJob;

    const outcome = await Promise.race([
      processor.handle(job, new AbortController().signal).then(() => 'ended'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1_000)),
    ]);
    expect(outcome).toBe('ended');
    expect(record).toHaveBeenCalledWith('000.00.53.H48', expect.any(Number));
  });
});
