import { startBridge } from '@bridge/core';

startBridge('all').catch((error: unknown) => {
  process.stderr.write(
    `bridge all failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
