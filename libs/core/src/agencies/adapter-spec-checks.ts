import { ValidateFunction } from 'ajv';
import { AdapterFactory, AdapterKind, AdapterSpec, compileMapping } from '@bridge/adapter-sdk';
import { isDossierStatus } from '@bridge/domain';
import { AdapterFactoryRegistry } from './adapter-factories';
import { resolveEnvSecrets } from './adapter-secrets';
import { ADAPTER_DEFAULTS, withAdapterDefaults } from './adapter-spec-defaults';
import { AgencyFileAccess, envRefusal, folderProblems } from './agency-file-access';
import { AgencyFileAdapter } from './agency-file';
import { jsonPath } from './agency-problem';
import { PathProblem, createSchemaValidator, schemaProblems } from './schema-problems';

const optionsAjv = createSchemaValidator(false);
const optionsValidators = new WeakMap<AdapterFactory, ValidateFunction | Error>();

/**
 * Checks of an `adapter:` section that its JSON Schema cannot make: `${env:NAME}` secrets are
 * set and may be read by agency files, folders lie under the agency files root, the kind is registered, `options` fit the kind's own schema, every JSONata mapping
 * compiles, and the kind's `check(spec)` passes. `schemaValid` says whether the section passed
 * the file schema; the kind's `check` runs only then, as it may rely on the shape.
 * Returns the finished spec (defaults filled, secrets resolved) only when nothing is wrong.
 */
export function checkAdapterSection(
  raw: unknown,
  schemaValid: boolean,
  factories: AdapterFactoryRegistry,
  env: Readonly<Record<string, string | undefined>>,
  access: AgencyFileAccess,
): { problems: PathProblem[]; spec?: AdapterSpec } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { problems: [] };
  const problems: PathProblem[] = [];
  const section = resolveEnvSecrets(
    raw as AgencyFileAdapter,
    env,
    (path, name, refused) =>
      problems.push({
        path: jsonPath(['adapter', ...path]),
        message: refused ?? `environment variable ${name} is not set (referenced as \${env:${name}})`,
      }),
    (name) => envRefusal(name, access),
  );
  problems.push(...folderProblems(section.options, access));

  const factory = Object.values(AdapterKind).includes(section.kind) ? factories[section.kind] : undefined;
  if (Object.values(AdapterKind).includes(section.kind) && !factory) {
    problems.push({
      path: '$.adapter.kind',
      message: `no adapter factory is registered for kind "${section.kind}"`,
    });
  }
  if (factory) problems.push(...optionsProblems(factory, section.options ?? {}));
  if (factory && section.statusLookup && !factory.looksUpStatus) {
    problems.push({
      path: '$.adapter.statusLookup',
      message: `kind "${section.kind}" cannot look a dossier's status up (only soap and rest can)`,
    });
  }
  problems.push(...mappingProblems(section));

  if (!schemaValid || problems.length > 0 || !factory) return { problems };
  const spec = withAdapterDefaults(section);
  problems.push(...kindCheckProblems(factory, spec));
  return problems.length > 0 ? { problems } : { problems, spec };
}

function optionsProblems(factory: AdapterFactory, options: unknown): PathProblem[] {
  let validate = optionsValidators.get(factory);
  if (!validate) {
    try {
      validate = optionsAjv.compile(factory.optionsSchema);
    } catch (error) {
      validate = error instanceof Error ? error : new Error(String(error));
    }
    optionsValidators.set(factory, validate);
  }
  if (validate instanceof Error) {
    return [
      { path: '$.adapter.options', message: `the kind's options schema is unusable: ${validate.message}` },
    ];
  }
  return schemaProblems(validate, options, ['adapter', 'options']);
}

/** Compiles each mapping on its own, so every broken one is named, not just the first. */
function mappingProblems(section: AgencyFileAdapter): PathProblem[] {
  const mappings = section.mappings;
  if (mappings === null || typeof mappings !== 'object') return [];
  const statusCodes = Object.fromEntries(
    Object.entries(section.statusCodes ?? {}).filter(([, status]) => isDossierStatus(status)),
  );
  const dates = { ...ADAPTER_DEFAULTS.dates, ...section.dates };
  const problems: PathProblem[] = [];
  for (const [name, expression] of Object.entries(mappings)) {
    if (typeof expression !== 'string' || expression === '') continue;
    try {
      compileMapping(name, expression, { dates, statusCodes });
    } catch (error) {
      problems.push({ path: jsonPath(['adapter', 'mappings', name]), message: (error as Error).message });
    }
  }
  return problems;
}

/** `check` reports `path: message` strings with paths inside the adapter section. */
function kindCheckProblems(factory: AdapterFactory, spec: AdapterSpec): PathProblem[] {
  let found: string[];
  try {
    found = factory.check?.(spec) ?? [];
  } catch (error) {
    return [{ path: '$.adapter', message: `the kind's check failed: ${(error as Error).message}` }];
  }
  return found.map((text) => {
    const match = /^(?:adapter\.)?([A-Za-z_$][\w$.[\]"-]*):\s+(.*)$/s.exec(text);
    return match
      ? { path: `$.adapter.${match[1]}`, message: match[2] }
      : { path: '$.adapter', message: text };
  });
}
