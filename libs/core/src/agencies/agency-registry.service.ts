import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { AdapterSpec } from '@bridge/adapter-sdk';
import { agencyFilesSettings, AgencyFilesSettings } from '@bridge/config';
import { AdapterSpecEntity, AgencyEntity } from '@bridge/persistence';
import { SECRET_CIPHER, SecretCipher } from '../security/secret-cipher';
import { ADAPTER_FACTORIES_TOKEN, AdapterFactoryRegistry } from './adapter-factories';
import { decryptSecrets, maskSecrets } from './adapter-secrets';
import { AgencyDocument } from './agency-file';
import { loadAgencyFiles } from './agency-file-loader';
import { AgencyNotFoundError, AgencyProblem, AgencyValidationError } from './agency-problem';
import { storeValidatedAgency } from './agency-store';
import { mappingBudgetProblems } from './mapping-examples';
import { AgencyValidationResult, validateAgencyDocuments } from './agency-validator';
import { ActiveAgencySpec, AgencyRegistry, AgencyView, ApplyOptions, AppliedAgency } from './agency-views';

/** Settings of the registry; all optional. */
export interface AgencyRegistryOptions {
  /**
   * When set, agency files read by {@link AgencyRegistryService.loadFiles} must lie below this
   * directory. Unset (the default), an operator's command reads any path it names.
   */
  configRoot?: string;
  /** Where `${env:NAME}` secrets are read (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** What agency files may reach (default: read from the environment, see {@link agencyFilesSettings}). */
  files?: AgencyFilesSettings;
}

/** Injection token of {@link AgencyRegistryOptions}. */
export const AGENCY_REGISTRY_OPTIONS = 'AGENCY_REGISTRY_OPTIONS';

/** Serialises concurrent applies, so two operators cannot both create version N + 1. */
const APPLY_LOCK = "SELECT pg_advisory_xact_lock(hashtext('bridge.agency-registry.apply'))";

/**
 * The agency registry: reads agency files, validates them completely, applies a batch in one
 * transaction (all or nothing), and serves agencies to operators (secrets masked) and to workers
 * (secrets decrypted, with a cheap version map to poll for changes).
 */
@Injectable()
export class AgencyRegistryService implements AgencyRegistry {
  private readonly configRoot: string | undefined;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly files: AgencyFilesSettings;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    @Inject(ADAPTER_FACTORIES_TOKEN) private readonly factories: AdapterFactoryRegistry,
    @Optional() @Inject(AGENCY_REGISTRY_OPTIONS) options: AgencyRegistryOptions = {},
  ) {
    this.configRoot = options.configRoot;
    this.env = options.env ?? process.env;
    this.files = options.files ?? agencyFilesSettings(process.env).settings;
  }

  /**
   * Reads one agency file or every YAML file below a directory; relative paths from `cwd`
   * (default: the working directory); inside the configuration root when one is set.
   */
  async loadFiles(pathOrDir: string, cwd?: string): Promise<AgencyDocument[]> {
    return loadAgencyFiles(pathOrDir, { cwd, confineTo: this.configRoot });
  }

  /** Every problem of the batch (empty when it can be applied); changes nothing. */
  async validate(docs: readonly AgencyDocument[], viaApi = false): Promise<AgencyProblem[]> {
    return (await this.check(docs, await this.knownCodes(this.dataSource.manager), viaApi)).problems;
  }

  /** The batch's problems, and its agencies as they would be stored when there are none; changes nothing. */
  async validated(docs: readonly AgencyDocument[]): Promise<AgencyValidationResult> {
    return this.check(docs, await this.knownCodes(this.dataSource.manager), false);
  }

  /** The spec in force for an agency, secrets decrypted; {@link AgencyNotFoundError} when it has none. */
  async inForce(code: string): Promise<{ version: number; spec: AdapterSpec }> {
    const agency = await this.dataSource.getRepository(AgencyEntity).findOneBy({ code });
    const row =
      agency?.specVersion === null || !agency
        ? null
        : await this.dataSource
            .getRepository(AdapterSpecEntity)
            .findOneBy({ agencyCode: code, version: agency.specVersion });
    if (!row) throw new AgencyNotFoundError(code);
    return { version: row.version, spec: decryptSecrets(row.spec as unknown as AdapterSpec, this.cipher) };
  }

  /**
   * Applies a batch in one transaction. When any file has a problem nothing changes and an
   * {@link AgencyValidationError} lists every problem. Otherwise each agency is created or
   * updated, and a new spec version is stored only when its content changed.
   */
  async apply(docs: readonly AgencyDocument[], options: ApplyOptions): Promise<AppliedAgency[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(APPLY_LOCK);
      const { problems, agencies } = await this.check(
        docs,
        await this.knownCodes(manager),
        options.viaApi ?? false,
      );
      if (problems.length > 0) throw new AgencyValidationError(problems);
      const applied: AppliedAgency[] = [];
      for (const agency of agencies) {
        applied.push(await storeValidatedAgency(manager, this.cipher, agency, options.appliedBy));
      }
      return applied;
    });
  }

  /** Every agency, retired ones included, with its current spec masked. */
  async list(): Promise<AgencyView[]> {
    const agencies = await this.dataSource.getRepository(AgencyEntity).find({ order: { code: 'ASC' } });
    const specs = await this.currentSpecRows();
    return agencies.map((agency) => this.view(agency, specs.get(agency.code)));
  }

  /** One agency with its current spec masked; {@link AgencyNotFoundError} when unknown. */
  async show(code: string): Promise<AgencyView> {
    const agency = await this.dataSource.getRepository(AgencyEntity).findOneBy({ code });
    if (!agency) throw new AgencyNotFoundError(code);
    const spec =
      agency.specVersion === null
        ? undefined
        : await this.dataSource
            .getRepository(AdapterSpecEntity)
            .findOneBy({ agencyCode: code, version: agency.specVersion });
    return this.view(agency, spec ?? undefined);
  }

  /** Retires an agency: it takes no new dossiers, keeps the ones it has. Retiring again is a no-op. */
  async retire(code: string): Promise<{ code: string; retiredAt: Date }> {
    const repo = this.dataSource.getRepository(AgencyEntity);
    await repo.update({ code, retiredAt: IsNull() }, { retiredAt: new Date() });
    const agency = await repo.findOneBy({ code });
    if (!agency?.retiredAt) throw new AgencyNotFoundError(code);
    return { code, retiredAt: agency.retiredAt };
  }

  /** Every active (not retired) agency that has an adapter, with its decrypted current spec. */
  async currentSpecs(): Promise<ActiveAgencySpec[]> {
    const agencies = await this.activeAgencies();
    const specs = await this.currentSpecRows();
    return agencies.flatMap((agency) => {
      const row = specs.get(agency.code);
      if (!row) return [];
      const spec = decryptSecrets(row.spec as unknown as AdapterSpec, this.cipher);
      return [{ code: agency.code, name: agency.name, paused: agency.paused, version: row.version, spec }];
    });
  }

  /** Current spec version of every active agency with an adapter: cheap enough to poll often. */
  async specVersions(): Promise<Map<string, number>> {
    // Two columns, no entities: every process asks this every few seconds, for every agency.
    const rows = await this.dataSource.query<Array<{ code: string; version: number }>>(
      `SELECT code, spec_version AS version FROM agencies
        WHERE retired_at IS NULL AND spec_version IS NOT NULL ORDER BY code`,
    );
    return new Map(rows.map((row) => [row.code, Number(row.version)]));
  }

  /** Validation, then the mappings tried on the agencies' example inputs within their budget. */
  private async check(
    docs: readonly AgencyDocument[],
    knownCodes: ReadonlySet<string>,
    viaApi: boolean,
  ): Promise<AgencyValidationResult> {
    const valid = validateAgencyDocuments(docs, {
      factories: this.factories,
      knownCodes,
      env: this.env,
      access: { settings: this.files, viaApi },
    });
    if (valid.problems.length > 0) return valid;
    const problems: AgencyProblem[] = [];
    for (const agency of valid.agencies) problems.push(...(await mappingBudgetProblems(agency)));
    return problems.length > 0 ? { problems, agencies: [] } : valid;
  }

  private async knownCodes(manager: EntityManager): Promise<Set<string>> {
    const rows = await manager.getRepository(AgencyEntity).find({ select: { code: true } });
    return new Set(rows.map((row) => row.code));
  }

  private activeAgencies(): Promise<AgencyEntity[]> {
    return this.dataSource.getRepository(AgencyEntity).find({
      where: { retiredAt: IsNull(), specVersion: Not(IsNull()) },
      order: { code: 'ASC' },
    });
  }

  private async currentSpecRows(): Promise<Map<string, AdapterSpecEntity>> {
    const rows = await this.dataSource
      .getRepository(AdapterSpecEntity)
      .createQueryBuilder('s')
      .innerJoin(AgencyEntity, 'a', 'a.code = s.agencyCode AND a.specVersion = s.version')
      .getMany();
    return new Map(rows.map((row) => [row.agencyCode, row]));
  }

  private view(agency: AgencyEntity, spec: AdapterSpecEntity | undefined): AgencyView {
    return {
      code: agency.code,
      name: agency.name,
      level: agency.level,
      parentCode: agency.parentCode,
      province: agency.province,
      validFrom: agency.validFrom,
      validTo: agency.validTo,
      procedures: agency.procedures,
      paused: agency.paused,
      retiredAt: agency.retiredAt,
      specVersion: agency.specVersion,
      spec: spec ? maskSecrets(spec.spec as unknown as AdapterSpec) : null,
      specAppliedBy: spec?.appliedBy ?? null,
      specAppliedAt: spec?.createdAt ?? null,
    };
  }
}
