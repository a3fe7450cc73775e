import { DeadLetterService } from '@bridge/core';
import { createBridgeDataSource } from '@bridge/persistence';

/**
 * Replays dead letters the way an operator does: `POST /api/v1/ops/dead-letters/:id/replay`
 * with an admin key. When the gateway has no such route (404 for every id), it falls back to
 * the bridge's DeadLetterService on the same database and says so.
 */
export async function replayDeadLetters(
  ids: readonly string[],
  bridge: { url: string; adminKey: string; databaseUrl: string },
): Promise<{ replayed: number; via: string; failures: string[] }> {
  const failures: string[] = [];
  const missing: string[] = [];
  let replayed = 0;
  for (const id of ids) {
    const response = await fetch(`${bridge.url}/api/v1/ops/dead-letters/${id}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.adminKey}` },
    }).catch((error: Error) => error);
    if (response instanceof Error) failures.push(`${id}: ${response.message}`);
    else if (response.ok) replayed++;
    else {
      const text = await response.text().catch(() => '');
      // Express answers an unknown route with "Cannot POST /…"; a known route names the problem.
      if (response.status === 404 && text.includes('Cannot POST')) missing.push(id);
      else failures.push(`${id}: HTTP ${response.status} ${text}`);
    }
  }
  if (missing.length === 0) return { replayed, via: 'POST /api/v1/ops/dead-letters/:id/replay', failures };

  const dataSource = createBridgeDataSource({
    url: bridge.databaseUrl,
    poolSize: 2,
    applicationName: 'bridge-demo',
  });
  await dataSource.initialize();
  try {
    const service = new DeadLetterService(dataSource);
    for (const id of missing) {
      if (await service.replay(id, 'demo operator')) replayed++;
      else failures.push(`${id}: not open any more`);
    }
  } finally {
    await dataSource.destroy();
  }
  return { replayed, via: 'DeadLetterService.replay (the ops route answered 404)', failures };
}
