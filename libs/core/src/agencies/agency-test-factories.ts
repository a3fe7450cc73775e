import { AdapterFactory, AdapterKind, AdapterSpec } from '@bridge/adapter-sdk';
import { AdapterFactoryRegistry } from './adapter-factories';

/**
 * A factory that validates like a real kind (an options schema, a `check`) but builds no
 * adapter: the registry's tests exercise validation and storage, never an agency connection.
 */
function validatingFactory(optionsSchema: object, check?: (spec: AdapterSpec) => string[]): AdapterFactory {
  return {
    optionsSchema,
    check,
    create: () => {
      throw new Error('this factory only validates agency files; it creates no adapter');
    },
  };
}

/** The kinds whose test rules are more than "options is an object"; they mirror the fixtures. */
const STRICTER: Partial<AdapterFactoryRegistry> = {
  [AdapterKind.Soap]: validatingFactory(
    {
      type: 'object',
      required: ['operation'],
      additionalProperties: false,
      properties: { operation: { type: 'string' }, soapVersion: { enum: ['1.1', '1.2'] } },
    },
    (spec) =>
      spec.mappings.submitRequest ? [] : ['mappings.submitRequest: a soap agency needs it to file dossiers'],
  ),
  [AdapterKind.Rest]: validatingFactory({
    type: 'object',
    required: ['operations'],
    properties: {
      operations: {
        type: 'object',
        required: ['submit', 'lookup'],
        additionalProperties: { type: 'object', required: ['method', 'path'] },
      },
    },
  }),
};

/**
 * A registry for tests, independent of the adapter packages, with one entry for every value of
 * AdapterKind: a new kind is validated here without another line.
 */
export const TEST_ADAPTER_FACTORIES = Object.fromEntries(
  Object.values(AdapterKind).map((kind) => [kind, STRICTER[kind] ?? validatingFactory({ type: 'object' })]),
) as AdapterFactoryRegistry;
