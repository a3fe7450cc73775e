import { EntityManager } from 'typeorm';
import { AdapterSpec } from '@bridge/adapter-sdk';
import { AdapterSpecEntity, AgencyEntity } from '@bridge/persistence';
import { SecretCipher } from '../security/secret-cipher';
import { decryptSecrets, encryptSecrets } from './adapter-secrets';
import { ValidatedAgency } from './agency-file';
import { AppliedAgency } from './agency-views';
import { canonicalJson, sameSpec, specContentHash } from './spec-fingerprint';

/**
 * Stores one validated agency inside the caller's transaction: the agency row is created or
 * updated, and its adapter spec gets a new version only when its content differs from the
 * current one (secrets compared decrypted, stored encrypted). Touches nothing when the agency
 * and its spec are unchanged, so re-applying a file is a no-op.
 */
export async function storeValidatedAgency(
  manager: EntityManager,
  cipher: SecretCipher,
  agency: ValidatedAgency,
  appliedBy: string,
): Promise<AppliedAgency> {
  const agencies = manager.getRepository(AgencyEntity);
  const existing = await agencies.findOne({
    where: { code: agency.code },
    lock: { mode: 'pessimistic_write' },
  });
  const current =
    existing?.specVersion != null
      ? await currentSpec(manager, cipher, agency.code, existing.specVersion)
      : null;
  const specChanged = agency.spec
    ? !(current && sameSpec(current, agency.spec))
    : existing?.specVersion != null;
  const version = agency.spec
    ? specChanged
      ? (await latestVersion(manager, agency.code)) + 1
      : existing!.specVersion
    : null;

  if (existing && !specChanged && sameAgency(existing, agency)) {
    return { code: agency.code, file: agency.file, action: 'unchanged', version };
  }
  await agencies.save({
    code: agency.code,
    name: agency.name,
    level: agency.level,
    parentCode: agency.parentCode,
    province: agency.province,
    validFrom: agency.validFrom,
    validTo: agency.validTo,
    mergedInto: agency.mergedInto,
    procedures: agency.procedures,
    specVersion: version,
    // Applying a retired agency's file again brings it back.
    retiredAt: null,
  });
  if (agency.spec && specChanged) {
    const specs = manager.getRepository(AdapterSpecEntity);
    const row = specs.create({
      agencyCode: agency.code,
      version: version!,
      kind: agency.spec.kind,
      spec: encryptSecrets(agency.spec, cipher) as unknown as Record<string, unknown>,
      contentHash: specContentHash(agency.spec),
      appliedBy,
    });
    await specs.insert(row);
  }
  return { code: agency.code, file: agency.file, action: existing ? 'updated' : 'created', version };
}

async function currentSpec(
  manager: EntityManager,
  cipher: SecretCipher,
  code: string,
  version: number,
): Promise<AdapterSpec | null> {
  const row = await manager.getRepository(AdapterSpecEntity).findOneBy({ agencyCode: code, version });
  if (!row) return null;
  try {
    return decryptSecrets(row.spec as unknown as AdapterSpec, cipher);
  } catch {
    // Stored under another key: the file's secrets cannot be compared, so store them anew.
    return null;
  }
}

async function latestVersion(manager: EntityManager, code: string): Promise<number> {
  const row = await manager
    .getRepository(AdapterSpecEntity)
    .createQueryBuilder('s')
    .select('MAX(s.version)', 'max')
    .where('s.agencyCode = :code', { code })
    .getRawOne<{ max: number | null }>();
  return Number(row?.max ?? 0);
}

function sameAgency(row: AgencyEntity, agency: ValidatedAgency): boolean {
  return (
    row.retiredAt === null &&
    row.name === agency.name &&
    row.level === agency.level &&
    row.parentCode === agency.parentCode &&
    row.province === agency.province &&
    row.validFrom === agency.validFrom &&
    row.validTo === agency.validTo &&
    row.mergedInto === agency.mergedInto &&
    canonicalJson(row.procedures) === canonicalJson(agency.procedures)
  );
}
