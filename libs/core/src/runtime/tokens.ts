/** Injection tokens of the shared infrastructure. */
export const REDIS = Symbol('REDIS');
export const ADAPTER_STORE = Symbol('ADAPTER_STORE');

/** Which parts of the bridge a process runs. Gateway and worker are the same code. */
export type BridgeRole = 'gateway' | 'worker' | 'all';
export const BRIDGE_ROLE = Symbol('BRIDGE_ROLE');

export function runsWorker(role: BridgeRole): boolean {
  return role !== 'gateway';
}
