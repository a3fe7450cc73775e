import { AdapterKind } from '@bridge/adapter-sdk';
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADAPTER_FACTORIES } from './adapter-registry';
import { parseAgencyYaml } from './agency-file-loader';
import { validateAgencyDocuments } from './agency-validator';

const ROOT = join(__dirname, '..', '..', '..', '..');
const read = (kind: string) => {
  const file = join(ROOT, 'adapters', kind, 'fixtures', 'lookup-only', 'agency.yaml');
  return parseAgencyYaml(file, readFileSync(file, 'utf8'));
};
const validate = (...docs: ReturnType<typeof read>[]) =>
  validateAgencyDocuments(docs, {
    factories: ADAPTER_FACTORIES,
    knownCodes: new Set(['000.00.00.H51']),
    env: {},
    access: { settings: { envAllow: new Set(), apiMayReadEnv: false, filesRoot: tmpdir() }, viaApi: false },
  });

describe('agency files of agencies whose status comes by look-up', () => {
  // The kinds whose factories say they look up; each needs a fixtures/lookup-only example.
  const lookupKinds = Object.values(AdapterKind).filter((kind) => ADAPTER_FACTORIES[kind].looksUpStatus);

  it.each(lookupKinds)(
    'the %s example is valid with only submit, look-up and delivered, and gets its idle defaults',
    (kind) => {
      const { problems, agencies } = validate(read(kind));
      expect(problems).toEqual([]);
      expect(agencies[0].spec?.statusLookup).toMatchObject({ idleAfterMs: 259_200_000 });
    },
  );

  it('refuses statusLookup for a kind that cannot look a dossier up', () => {
    const doc = read('rest');
    const data = doc.data as { adapter: Record<string, unknown> };
    data.adapter.kind = 'csv-drop';
    const messages = validate(doc).problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toContain(
      '$.adapter.statusLookup: kind "csv-drop" cannot look a dossier\'s status up (only soap and rest can)',
    );
  });

  it('refuses a successor without the date the unit ended', () => {
    const doc = read('rest');
    (doc.data as Record<string, unknown>).mergedInto = '000.00.01.H51';
    expect(validate(doc).problems.map((p) => `${p.path}: ${p.message}`)).toContain(
      '$.mergedInto: a unit merged into another needs the validTo it ended on',
    );
  });
});
