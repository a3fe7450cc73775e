/** Real bridge processes for end-to-end tests: the simulator's launcher, re-exported. */
export { BridgeProcess, freePort } from '@bridge/simulator';
export type { BridgeProcessOptions } from '@bridge/simulator';
