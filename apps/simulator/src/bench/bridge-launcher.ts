import { BridgeProcess } from '../support';

/** A compiled bridge process (dist/apps/<role>/src/main.js) as production runs it. */
export type BridgeLauncher = BridgeProcess;

/** Starts the bench's bridge processes and waits until they are ready. */
export const BridgeLauncher = {
  start(
    role: 'standalone' | 'gateway' | 'worker',
    env: Record<string, string>,
    nodeArgs: string[] = [],
  ): Promise<BridgeLauncher> {
    return BridgeProcess.start({ role, env, nodeArgs });
  },
};
