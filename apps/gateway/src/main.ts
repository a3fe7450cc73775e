import { startBridge } from '@bridge/core';

startBridge('gateway').catch((error: unknown) => {
  process.stderr.write(
    `bridge gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
