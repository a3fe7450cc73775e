import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { ADAPTER_FACTORIES, AgencyRegistryService, parseAgencyYaml, SecretCipher } from '@bridge/core';

/** The secret key the bench's bridge processes run with (the bench database is its own). */
export const BENCH_SECRET_KEY = 'bench-secret-key-0123456789abcdef';

/** The repository root (the folder holding package.json), from source or from dist/. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** An adapter kind's example agency file, parsed. */
export function exampleAgency(kind: 'rest' | 'soap' | 'csv-drop'): Record<string, unknown> {
  const file = join(projectRoot(), 'adapters', kind, 'fixtures', 'agency.example.yaml');
  return parseAgencyYaml(file, readFileSync(file, 'utf8')).data as Record<string, unknown>;
}

/** Deep-merges `overrides` into a copy of `base`; an `undefined` override removes the key. */
export function withOverrides(
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(current)) out[key] = withOverrides(current, value);
    else out[key] = value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Registers agencies (agency-file objects), as `bridge agencies apply` would. */
export async function registerAgencies(
  dataSource: DataSource,
  agencies: Record<string, unknown>[],
): Promise<void> {
  const registry = new AgencyRegistryService(
    dataSource,
    new SecretCipher(BENCH_SECRET_KEY),
    ADAPTER_FACTORIES,
  );
  await registry.apply(
    agencies.map((data, i) => ({ file: `bench-agency-${i}`, data, problems: [] })),
    { appliedBy: 'bench' },
  );
}

let serial = Math.floor(Math.random() * 50_000_000);

/** A fresh, valid UPU S10 item id. */
export function nextItemId(): string {
  serial = (serial + 1) % 100_000_000;
  const digits = serial.toString().padStart(8, '0');
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = digits.split('').reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  let check = 11 - (sum % 11);
  if (check === 10) check = 0;
  if (check === 11) check = 5;
  return `BB${digits}${check}VN`;
}

/** A `postal.dossier.collected` CloudEvent as the postal system sends it. */
export function collectedEvent(agencyCode: string): {
  id: string;
  type: string;
  itemId: string;
  body: object;
} {
  const id = randomUUID();
  const itemId = nextItemId();
  const now = new Date().toISOString();
  return {
    id,
    type: 'postal.dossier.collected',
    itemId,
    body: {
      specversion: '1.0',
      id,
      source: '/vnpost/tracking',
      type: 'postal.dossier.collected',
      time: now,
      datacontenttype: 'application/json',
      data: {
        itemId,
        agencyCode,
        procedureCode: '1.001612',
        serviceOption: 'both',
        office: 'Bưu cục Hải Châu',
        at: now,
        applicant: {
          kind: 'person',
          fullName: 'Nguyễn Thị Thủy',
          citizenId: '048190001234',
          phone: '0905123456',
          address: { line: '12 Lê Duẩn', commune: 'Phường Hải Châu', province: 'Đà Nẵng' },
        },
        returnAddress: { line: '12 Lê Duẩn', commune: 'Phường Hải Châu', province: 'Đà Nẵng' },
        documents: [{ name: 'Tờ khai đăng ký khai sinh', form: 'original', count: 1 }],
        fees: [{ name: 'Lệ phí', amount: 8000, currency: 'VND' }],
      },
    },
  };
}
