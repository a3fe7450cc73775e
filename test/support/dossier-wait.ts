import { DataSource } from 'typeorm';
import { DeadLetterEntity, DossierEntity } from '@bridge/persistence';

/**
 * Waits until the dossier of a postal item exists (and, when `status` is given, has reached
 * it); names the status it is stuck in when it never does.
 */
export async function waitForDossier(
  dataSource: DataSource,
  itemId: string,
  status?: string,
  timeoutMs = 30_000,
): Promise<DossierEntity> {
  const deadline = Date.now() + timeoutMs;
  let last: DossierEntity | null = null;
  while (Date.now() < deadline) {
    last = await dataSource.getRepository(DossierEntity).findOneBy({ inboundItemId: itemId });
    if (last && (status === undefined || last.status === status)) return last;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(
    `dossier ${itemId} did not reach ${status ?? 'the bridge'} within ${timeoutMs} ms (it is ${last?.status ?? 'unknown'})`,
  );
}

/** The dead letters whose kept message mentions `text` (an event id, an item id). */
export function deadLettersMentioning(dataSource: DataSource, text: string): Promise<DeadLetterEntity[]> {
  return dataSource
    .getRepository(DeadLetterEntity)
    .createQueryBuilder('d')
    .where('CAST(d.payload AS text) LIKE :text', { text: `%${text}%` })
    .getMany();
}
