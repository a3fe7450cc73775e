import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MemoryAdapterStore, silentAdapterLogger } from '@bridge/adapter-sdk';
import {
  ADAPTER_FACTORIES,
  AgencyChangesService,
  AgencyRegistryService,
  AgencyRuntime,
  DossierLedger,
  PostalIngressService,
  SecretCipher,
} from '@bridge/core';
import { DossierEntity } from '@bridge/persistence';

/**
 * Shared by the tests of agency records (replays, look-ups): a dossier the agency accepted
 * under `agencyDossierCode` and then reported `received` (as a poll would have brought it).
 */
export async function receivedAtAgency(
  dataSource: DataSource,
  changes: AgencyChangesService,
  agencyCode: string,
  dossierId: string,
  agencyDossierCode: string,
): Promise<void> {
  await dataSource.transaction((m) =>
    new DossierLedger(m).apply({
      event: 'agency.submission.accepted',
      origin: 'agency',
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      agencyCode,
      ref: dossierId,
      patch: { agencyDossierCode },
    }),
  );
  await changes.apply(agencyCode, [
    {
      bridgeId: dossierId,
      status: 'received',
      agencyStatusCode: 'TN',
      at: new Date().toISOString(),
      changeId: `tn-${dossierId}`,
    },
  ]);
}

/** The adapters of the agencies registered in the schema, loaded as a worker loads them. */
export async function loadedRuntime(dataSource: DataSource, secretKey: string): Promise<AgencyRuntime> {
  const registry = new AgencyRegistryService(dataSource, new SecretCipher(secretKey), ADAPTER_FACTORIES);
  const runtime = new AgencyRuntime(registry, ADAPTER_FACTORIES, {
    logger: silentAdapterLogger,
    store: new MemoryAdapterStore(),
  });
  await runtime.refresh();
  return runtime;
}

/**
 * A postal event taken in, the dossier filed at the agency for real (through its adapter) and
 * received there; returns the bridge id and the agency's code.
 */
export async function filedAtAgency(
  dataSource: DataSource,
  runtime: AgencyRuntime,
  changes: AgencyChangesService,
  agencyCode: string,
  collected: object,
): Promise<{ id: string; code: string }> {
  const accepted = await new PostalIngressService(dataSource).accept(collected);
  const id = (accepted as { result: { dossierId: string } }).result.dossierId;
  const { snapshot } = await dataSource.getRepository(DossierEntity).findOneByOrFail({ id });
  const receipt = await runtime
    .adapterFor(agencyCode)
    .submit(
      { idempotencyKey: id, dossier: snapshot },
      { correlationId: randomUUID(), record: () => undefined },
    );
  await receivedAtAgency(dataSource, changes, agencyCode, id, receipt.agencyDossierCode);
  return { id, code: receipt.agencyDossierCode };
}
