import { AdapterFactory, AdapterKind, AdapterSpec } from '@bridge/adapter-sdk';
import { csvDropAdapterFactory, CsvReplayDialect } from '@bridge/adapter-csv-drop';
import { igateLegacyAdapterFactory, IgateReplayDialect } from '@bridge/adapter-igate-legacy';
import { decodeCallbackBody, restAdapterFactory, RestDialect } from '@bridge/adapter-rest';
import { parseSafeXml, readEnvelope, soapAdapterFactory, SoapReplayDialect } from '@bridge/adapter-soap';

/**
 * THE registry of adapter kinds: one line per kind. Typed `satisfies Record<AdapterKind, ...>`,
 * so adding a value to AdapterKind without its line here does not compile. This file is the only
 * one in libs/core that may import an adapter package (eslint.config.mjs keeps it so).
 */
export const ADAPTER_FACTORIES = {
  [AdapterKind.Soap]: soapAdapterFactory,
  [AdapterKind.Rest]: restAdapterFactory,
  [AdapterKind.CsvDrop]: csvDropAdapterFactory,
  [AdapterKind.IgateLegacy]: igateLegacyAdapterFactory,
} satisfies Record<AdapterKind, AdapterFactory>;

/**
 * What the mapping workbench reads logged messages with, per kind (libs/core/src/workbench/
 * *-replayer.ts name the dialects' types only). `countAs`: the key the dialect's evaluations by
 * JSONata are counted under (none: not counted).
 */
export const REPLAY_READERS = {
  [AdapterKind.Soap]: {
    dialect: (spec: AdapterSpec, countAs?: string) => new SoapReplayDialect('workbench', spec, countAs),
    envelope: (xml: string) => readEnvelope(parseSafeXml(xml)),
  },
  [AdapterKind.Rest]: {
    dialect: (spec: AdapterSpec, countAs?: string) => new RestDialect(spec, countAs),
    decodeCallbackBody,
  },
  [AdapterKind.CsvDrop]: {
    dialect: (spec: AdapterSpec, countAs?: string) => new CsvReplayDialect(spec, countAs),
  },
  [AdapterKind.IgateLegacy]: {
    dialect: (spec: AdapterSpec) => new IgateReplayDialect(spec),
    accepted: (text: string) => IgateReplayDialect.accepted(text),
  },
} satisfies Record<
  AdapterKind,
  Record<string, unknown> & { dialect(spec: AdapterSpec, countAs?: string): unknown }
>;
