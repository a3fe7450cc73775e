/** Postal events for tests: the simulator's builders, under the names tests have always used. */
export { collectedEvent, nextS10, postalEvent } from '@bridge/simulator';
export type { CollectedEventOverrides } from '@bridge/simulator';
