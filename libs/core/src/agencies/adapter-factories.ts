import { AdapterFactory, AdapterKind } from '@bridge/adapter-sdk';

/** One factory per adapter kind; the bridge's own map is `ADAPTER_FACTORIES` (adapter-registry.ts). */
export type AdapterFactoryRegistry = Readonly<Record<AdapterKind, AdapterFactory>>;

/**
 * Injection token of the {@link AdapterFactoryRegistry}. Kept apart from the registry itself so
 * that code and tests needing only the token do not load every adapter package.
 */
export const ADAPTER_FACTORIES_TOKEN = 'ADAPTER_FACTORIES';
