/** The SDK's vendor date parser: fixed-width numeric formats without Luxon's per-call cost. */
export { createVendorDateParser } from '@bridge/adapter-sdk';
export type { VendorDateParser } from '@bridge/adapter-sdk';
