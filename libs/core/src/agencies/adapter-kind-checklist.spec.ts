import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdapterKind } from '@bridge/adapter-sdk';
import { ADAPTER_FACTORIES } from './adapter-registry';

/** Keeps docs/adding-an-adapter-kind.md true for every kind the bridge has. */
const ROOT = join(__dirname, '../../../..');
const DOC = readFileSync(join(ROOT, 'docs/adding-an-adapter-kind.md'), 'utf8');
const KINDS = Object.values(AdapterKind);

/** Every path the checklist asks of a kind: the backticked ones that name `<kind>`. */
const ASKED = [...new Set([...DOC.matchAll(/`([^`\s]*<kind>[^`\s]*)`/g)].map((m) => m[1]))].filter((path) =>
  path.startsWith('adapters/'),
);

interface ProjectFiles {
  compilerOptions: { paths: Record<string, string[]> };
  projects: Record<string, { type: string; sourceRoot: string }>;
}
const json = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as ProjectFiles;

describe('docs/adding-an-adapter-kind.md', () => {
  it('asks for the uniform file names, the conformance suite and the fixtures', () => {
    expect(ASKED).toEqual(
      expect.arrayContaining([
        'adapters/<kind>/src/<kind>-adapter.ts',
        'adapters/<kind>/src/<kind>-adapter.factory.ts',
        'adapters/<kind>/src/<kind>-errors.ts',
        'adapters/<kind>/src/<kind>-options.ts',
        'adapters/<kind>/src/index.ts',
        'adapters/<kind>/src/<kind>-adapter.int-spec.ts',
        'adapters/<kind>/fixtures/agency.example.yaml',
      ]),
    );
  });

  describe.each(KINDS)('the %s kind', (kind) => {
    it('has every file the checklist asks for', () => {
      const missing = ASKED.map((path) => path.replaceAll('<kind>', kind)).filter(
        (path) => !existsSync(join(ROOT, path)),
      );
      expect(missing).toEqual([]);
    });

    it('runs the conformance suite', () => {
      const spec = readFileSync(join(ROOT, `adapters/${kind}/src/${kind}-adapter.int-spec.ts`), 'utf8');
      expect(spec).toContain('describeAdapterConformance(');
    });

    it('has its registry line, the factory its package exports', async () => {
      const pkg = (await import(join(ROOT, `adapters/${kind}/src/index.ts`))) as Record<string, unknown>;
      expect(Object.values(pkg)).toContain(ADAPTER_FACTORIES[kind]);
    });

    it('has its aliases in tsconfig.json and nest-cli.json', () => {
      expect(json('tsconfig.json').compilerOptions.paths[`@bridge/adapter-${kind}`]).toEqual([
        `adapters/${kind}/src`,
      ]);
      expect(json('nest-cli.json').projects[`adapter-${kind}`]).toMatchObject({
        type: 'library',
        sourceRoot: `adapters/${kind}/src`,
      });
    });
  });
});
