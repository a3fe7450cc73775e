import { compileMapping, MappingBudgetError } from '@bridge/adapter-sdk';
import { ValidatedAgency } from './agency-file';
import { AgencyProblem, jsonPath } from './agency-problem';
import { sampleDossierFor } from './sample-dossier';

/** One input a mapping is tried on at apply time, and how a problem names it. */
interface ExampleInput {
  label: string;
  input: unknown;
}

/**
 * The inputs the bridge itself builds for an agency's request mappings, from the same sample
 * dossier `agencies test` files: what each mapping is given in production, in canonical form,
 * whatever the agency's vendor.
 */
function bridgeInputs(agency: ValidatedAgency): Record<string, ExampleInput[]> {
  const procedure = agency.procedures.find((p) => p.byPost) ?? agency.procedures[0];
  const dossier = sampleDossierFor(agency.code, procedure?.code ?? '1.000000');
  const idempotencyKey = dossier.id;
  const agencyDossierCode = 'HS-VIDU-000001';
  const at = dossier.timestamps.collected!;
  const sample = (input: unknown) => [{ label: "the bridge's sample dossier", input }];
  return {
    submitRequest: sample({ idempotencyKey, dossier }),
    supplementRequest: sample({
      idempotencyKey,
      agencyDossierCode,
      documents: dossier.documents,
      collectedAt: at,
    }),
    deliveryRequest: sample({
      idempotencyKey,
      agencyDossierCode,
      resultItemId: 'RR000000005VN',
      deliveredAt: at,
    }),
    lookupRequest: sample({ idempotencyKey }),
    pollRequest: sample({}),
    probeRequest: sample({}),
  };
}

/**
 * Problems of mappings that go over their time or depth budget on the agency's example inputs:
 * for each mapping, the bridge's sample input when it builds that mapping's input (see
 * {@link bridgeInputs}), an empty object (an answer it cannot invent — a mapping whose cost does
 * not depend on its input shows it there), and the file's own `adapter.examples.<mapping>`
 * (recorded answers, for instance). Only the budget is judged here; other failures on these
 * inputs are not problems, since an empty answer is not a real one.
 */
export async function mappingBudgetProblems(agency: ValidatedAgency): Promise<AgencyProblem[]> {
  const spec = agency.spec;
  if (!spec) return [];
  const problems: AgencyProblem[] = [];
  const ownExamples = agency.examples ?? {};
  for (const name of Object.keys(ownExamples)) {
    if (!spec.mappings[name]) {
      const path = jsonPath(['adapter', 'examples', name]);
      problems.push({ file: agency.file, path, message: `there is no mapping "${name}" to try them on` });
    }
  }
  const bridge = bridgeInputs(agency);
  const context = { dates: spec.dates, statusCodes: spec.statusCodes, limits: spec.limits };
  for (const [name, expression] of Object.entries(spec.mappings)) {
    if (!expression) continue;
    const mapping = compileMapping(name, expression, context);
    const inputs: ExampleInput[] = [
      ...(bridge[name] ?? []),
      { label: 'an empty answer {}', input: {} },
      ...(ownExamples[name] ?? []).map((input, i) => ({ label: `adapter.examples.${name}[${i}]`, input })),
    ];
    for (const { label, input } of inputs) {
      const failure = await mapping(input).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (failure instanceof MappingBudgetError) {
        const path = jsonPath(['adapter', 'mappings', name]);
        problems.push({ file: agency.file, path, message: `${failure.message} on ${label}` });
        break;
      }
    }
  }
  return problems;
}
