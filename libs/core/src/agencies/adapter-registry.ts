import { AdapterFactory, AdapterKind, AdapterSpec } from '@bridge/adapter-sdk';
import { csvDropAdapterFactory } from '@bridge/adapter-csv-drop';
import { igateLegacyAdapterFactory } from '@bridge/adapter-igate-legacy';
import { decodeCallbackBody, restAdapterFactory, RestDialect } from '@bridge/adapter-rest';
import { parseSafeXml, readEnvelope, soapAdapterFactory, SoapDialect } from '@bridge/adapter-soap';

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
 * What the mapping workbench reads logged messages with, for the kinds whose history it replays
 * (libs/core/src/workbench/*-replayer.ts name the dialects' types only).
 */
export const REPLAY_READERS = {
  [AdapterKind.Soap]: {
    dialect: (spec: AdapterSpec) => new SoapDialect('workbench', spec),
    envelope: (xml: string) => readEnvelope(parseSafeXml(xml)),
  },
  [AdapterKind.Rest]: {
    dialect: (spec: AdapterSpec) => new RestDialect(spec),
    decodeCallbackBody,
  },
};
