import {
  AdapterFactory,
  AdapterKind,
  AdapterDependencies,
  ConformanceReport,
  runConformance,
} from '@bridge/adapter-sdk';
import { ActiveAgencySpec } from '../agencies';
import { sampleDossierFor } from '../agencies/sample-dossier';

export { sampleDossierFor };

/**
 * The live conformance check of `bridge agencies test` and `POST /agencies/:code/test`: the
 * same checks the adapter suites run, against the agency's sandbox endpoint when its file
 * names one, otherwise against its real endpoint in dry-run mode (only checks that file
 * nothing: the probe and a look-up of an unknown id).
 */
export async function checkAgencyLive(
  agency: ActiveAgencySpec & { procedureCode: string },
  factories: Record<AdapterKind, AdapterFactory>,
  dependencies: AdapterDependencies,
): Promise<ConformanceReport & { target: string; dryRun: boolean }> {
  const factory = factories[agency.spec.kind];
  const endpoint = agency.spec.sandboxEndpoint;
  // Each kind says what its test system is (a CSV agency's is a set of folders, not a URL).
  const sandbox = factory.sandboxSpec
    ? factory.sandboxSpec(agency.spec)
    : endpoint
      ? { ...agency.spec, endpoint }
      : null;
  const spec = sandbox ?? agency.spec;
  const adapter = factory.create({ code: agency.code, name: agency.name }, spec, dependencies);
  try {
    const report = await runConformance({
      adapter,
      dryRun: !sandbox,
      sampleDossier: () => sampleDossierFor(agency.code, agency.procedureCode),
    });
    return { ...report, target: spec.endpoint, dryRun: !sandbox };
  } finally {
    await adapter.close().catch(() => undefined);
  }
}
