import { AgencyProcedure } from '@bridge/persistence';
import { normalizeDeep } from '@bridge/domain';
import { AdapterFactoryRegistry } from './adapter-factories';
import { checkAdapterSection } from './adapter-spec-checks';
import { canonicalAgencyCode, canonicalProcedureCode } from './agency-code-shapes';
import { AgencyDocument, AgencyFile, ValidatedAgency } from './agency-file';
import { AGENCY_FILE_SCHEMA } from './agency-file.schema';
import { AgencyProblem, jsonPath } from './agency-problem';
import { PathProblem, createSchemaValidator, schemaProblems } from './schema-problems';
import { AgencyFileAccess } from './agency-file-access';

const validateFileSchema = createSchemaValidator(true).compile(AGENCY_FILE_SCHEMA);

/** What validation needs besides the files. */
export interface AgencyValidationContext {
  factories: AdapterFactoryRegistry;
  /** Codes of the agencies already registered: a parent may be one of them or in the batch. */
  knownCodes: ReadonlySet<string>;
  /** Where `${env:NAME}` secrets are read from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Which variables and folders the files may reach (docs/security.md). */
  access: AgencyFileAccess;
}

/** Every problem of a batch, and the agencies ready to store when there are none. */
export interface AgencyValidationResult {
  problems: AgencyProblem[];
  agencies: ValidatedAgency[];
}

/**
 * Validates a batch of agency files completely — every file, every rule — before anything is
 * stored: the file schema, code shapes, validity dates, the adapter section (see
 * {@link checkAdapterSection}), then across the batch: duplicate codes, parents that exist,
 * parent chains without cycles. Pure: the registered codes come in through `context`.
 */
export function validateAgencyDocuments(
  docs: readonly AgencyDocument[],
  context: AgencyValidationContext,
): AgencyValidationResult {
  const problems: AgencyProblem[] = [];
  const agencies: ValidatedAgency[] = [];
  const identities: AgencyIdentityInFile[] = [];
  for (const doc of docs) {
    const result = validateOne(doc, context);
    problems.push(...result.problems);
    if (result.agency) agencies.push(result.agency);
    if (result.identity) identities.push(result.identity);
  }
  // Across files, every file with a readable code counts, even one with other problems.
  problems.push(...batchProblems(identities, context.knownCodes));
  return { problems, agencies: problems.length === 0 ? agencies : [] };
}

/** What the checks across files need to know of each file. */
type AgencyIdentityInFile = Pick<ValidatedAgency, 'file' | 'code' | 'parentCode'>;

function validateOne(
  doc: AgencyDocument,
  context: AgencyValidationContext,
): { problems: AgencyProblem[]; agency?: ValidatedAgency; identity?: AgencyIdentityInFile } {
  const inFile = (found: PathProblem[]): AgencyProblem[] => found.map((p) => ({ file: doc.file, ...p }));
  if (doc.problems.length > 0) return { problems: doc.problems };

  const data = normalizeDeep(doc.data);
  const found = schemaProblems(validateFileSchema, data);
  const adapterSchemaValid = !found.some((p) => p.path.startsWith('$.adapter'));
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { problems: inFile(found) };
  const file = data as Partial<AgencyFile>;

  const code =
    typeof file.code === 'string' ? shape(canonicalAgencyCode(file.code), ['code'], found) : undefined;
  const parent =
    typeof file.parent === 'string' ? shape(canonicalAgencyCode(file.parent), ['parent'], found) : undefined;
  if (code && parent === code)
    found.push({ path: '$.parent', message: 'an agency cannot be its own parent' });
  if (isDate(file.validFrom) && isDate(file.validTo) && file.validTo < file.validFrom) {
    found.push({ path: '$.validTo', message: `${file.validTo} is before validFrom ${file.validFrom}` });
  }
  const mergedInto =
    typeof file.mergedInto === 'string'
      ? shape(canonicalAgencyCode(file.mergedInto), ['mergedInto'], found)
      : undefined;
  if (mergedInto && !file.validTo)
    found.push({ path: '$.mergedInto', message: 'a unit merged into another needs the validTo it ended on' });
  if (mergedInto && mergedInto === code)
    found.push({ path: '$.mergedInto', message: 'a unit cannot be merged into itself' });
  const procedures = procedureList(file.procedures, found);
  const adapter = checkAdapterSection(
    file.adapter,
    adapterSchemaValid,
    context.factories,
    context.env,
    context.access,
  );
  found.push(...adapter.problems);

  if (!code) return { problems: inFile(found) };
  const identity = { file: doc.file, code, parentCode: parent ?? null };
  if (found.length > 0) return { problems: inFile(found), identity };
  return {
    problems: [],
    identity,
    agency: {
      file: doc.file,
      code,
      name: file.name!,
      level: file.level!,
      parentCode: parent ?? null,
      province: file.province ?? null,
      validFrom: file.validFrom ?? null,
      validTo: file.validTo ?? null,
      mergedInto: mergedInto ?? null,
      procedures,
      spec: adapter.spec ?? null,
      ...(file.adapter?.examples ? { examples: file.adapter.examples } : {}),
    },
  };
}

function shape(
  result: { ok: true; value: string } | { ok: false; error: string },
  path: (string | number)[],
  found: PathProblem[],
): string | undefined {
  if (result.ok) return result.value;
  found.push({ path: jsonPath(path), message: result.error });
  return undefined;
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

function procedureList(raw: unknown, found: PathProblem[]): AgencyProcedure[] {
  if (!Array.isArray(raw)) return [];
  const seen = new Map<string, number>();
  const out: AgencyProcedure[] = [];
  raw.forEach((item: Partial<AgencyProcedure> | null, index) => {
    if (item === null || typeof item !== 'object' || typeof item.code !== 'string') return;
    const code = shape(canonicalProcedureCode(item.code), ['procedures', index, 'code'], found);
    if (!code) return;
    const first = seen.get(code);
    if (first !== undefined) {
      found.push({
        path: jsonPath(['procedures', index, 'code']),
        message: `${code} is already listed at $.procedures[${first}]`,
      });
      return;
    }
    seen.set(code, index);
    const procedure: AgencyProcedure = { code, name: String(item.name), byPost: item.byPost ?? true };
    if (item.processingDays !== undefined) procedure.processingDays = item.processingDays;
    out.push(procedure);
  });
  return out;
}

function batchProblems(agencies: AgencyIdentityInFile[], knownCodes: ReadonlySet<string>): AgencyProblem[] {
  const problems: AgencyProblem[] = [];
  const byCode = new Map<string, AgencyIdentityInFile>();
  for (const agency of agencies) {
    const first = byCode.get(agency.code);
    if (first) {
      problems.push({
        file: agency.file,
        path: '$.code',
        message: `${agency.code} is also defined in ${first.file}`,
      });
    } else {
      byCode.set(agency.code, agency);
    }
  }
  for (const agency of byCode.values()) {
    if (agency.parentCode && !byCode.has(agency.parentCode) && !knownCodes.has(agency.parentCode)) {
      problems.push({
        file: agency.file,
        path: '$.parent',
        message: `${agency.parentCode} is neither registered nor in the files being applied`,
      });
    } else if (inCycle(agency, byCode)) {
      problems.push({
        file: agency.file,
        path: '$.parent',
        message: `the parent chain of ${agency.code} loops back to it`,
      });
    }
  }
  return problems;
}

function inCycle(start: AgencyIdentityInFile, byCode: Map<string, AgencyIdentityInFile>): boolean {
  const visited = new Set<string>([start.code]);
  let next = start.parentCode ? byCode.get(start.parentCode) : undefined;
  while (next) {
    if (visited.has(next.code)) return next.code === start.code;
    visited.add(next.code);
    next = next.parentCode ? byCode.get(next.parentCode) : undefined;
  }
  return false;
}
