import { AdapterSpec } from '@bridge/adapter-sdk';
import { AgencyProcedure } from '@bridge/persistence';
import { AgencyDocument } from './agency-file';
import { AgencyProblem } from './agency-problem';

/** What `apply` did to one agency; `version` is its adapter spec version (null: no adapter). */
export interface AppliedAgency {
  code: string;
  file: string;
  action: 'created' | 'updated' | 'unchanged';
  version: number | null;
}

/** Who applies, recorded with every new spec version. */
export interface ApplyOptions {
  appliedBy: string;
  /**
   * The files came over the HTTP API: `${env:...}` is refused unless the operator set
   * BRIDGE_AGENCY_API_ENV=true.
   */
  viaApi?: boolean;
}

/** An agency as shown to operators: every secret of its spec is masked. */
export interface AgencyView {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  province: string | null;
  validFrom: string | null;
  validTo: string | null;
  procedures: AgencyProcedure[];
  paused: boolean;
  retiredAt: Date | null;
  specVersion: number | null;
  /** The current spec with secrets replaced by `********`; null for a unit without adapter. */
  spec: AdapterSpec | null;
  specAppliedBy: string | null;
  specAppliedAt: Date | null;
}

/** What a worker needs to run an agency's adapter: the current spec with secrets in clear. */
export interface ActiveAgencySpec {
  code: string;
  name: string;
  paused: boolean;
  version: number;
  spec: AdapterSpec;
}

/** The operations behind `bridge agencies ...` and the admin API. */
export interface AgencyRegistry {
  loadFiles(pathOrDir: string, cwd?: string): Promise<AgencyDocument[]>;
  validate(docs: readonly AgencyDocument[]): Promise<AgencyProblem[]>;
  apply(docs: readonly AgencyDocument[], options: ApplyOptions): Promise<AppliedAgency[]>;
  list(): Promise<AgencyView[]>;
  show(code: string): Promise<AgencyView>;
  retire(code: string): Promise<{ code: string; retiredAt: Date }>;
  currentSpecs(): Promise<ActiveAgencySpec[]>;
  specVersions(): Promise<Map<string, number>>;
}
