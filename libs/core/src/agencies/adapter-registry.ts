import { AdapterFactory, AdapterKind } from '@bridge/adapter-sdk';
import { csvDropAdapterFactory } from '@bridge/adapter-csv-drop';
import { igateLegacyAdapterFactory } from '@bridge/adapter-igate-legacy';
import { restAdapterFactory } from '@bridge/adapter-rest';
import { soapAdapterFactory } from '@bridge/adapter-soap';

/**
 * THE registry of adapter kinds: one line per kind. Typed `satisfies Record<AdapterKind, ...>`,
 * so adding a value to AdapterKind without its line here does not compile.
 */
export const ADAPTER_FACTORIES = {
  [AdapterKind.Soap]: soapAdapterFactory,
  [AdapterKind.Rest]: restAdapterFactory,
  [AdapterKind.CsvDrop]: csvDropAdapterFactory,
  [AdapterKind.IgateLegacy]: igateLegacyAdapterFactory,
} satisfies Record<AdapterKind, AdapterFactory>;
