import { startBridge } from '@bridge/core';

startBridge('worker').catch((error: unknown) => {
  process.stderr.write(
    `bridge worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
