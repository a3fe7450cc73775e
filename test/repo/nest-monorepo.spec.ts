import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const nestCli = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as {
  monorepo: boolean;
  projects: Record<string, { type: string; root: string; entryFile: string; sourceRoot: string }>;
};
const folders = (parent: string) =>
  readdirSync(join(ROOT, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`);

/** `nest build <app>` and `nest start <app>` read nest-cli.json: every app and lib must be in it. */
describe('the Nest monorepo layout', () => {
  const roots = Object.values(nestCli.projects).map((project) => project.root);

  it('is a monorepo naming every app, lib and adapter folder as a project', () => {
    expect(nestCli.monorepo).toBe(true);
    expect(roots.sort()).toEqual([...folders('apps'), ...folders('libs'), ...folders('adapters')].sort());
  });

  it('gives every Nest application a main.ts, an app.module.ts and a tsconfig the CLI builds with', () => {
    const apps = Object.values(nestCli.projects).filter((project) => project.type === 'application');
    expect(apps.length).toBeGreaterThanOrEqual(4);
    for (const app of apps) {
      expect(existsSync(join(ROOT, `${app.entryFile}.ts`))).toBe(true);
      const main = readFileSync(join(ROOT, `${app.entryFile}.ts`), 'utf8');
      if (app.root !== 'apps/cli') {
        expect(existsSync(join(ROOT, app.sourceRoot, 'app.module.ts'))).toBe(true);
        expect(main).toMatch(/from '\.\/app\.module'/);
      }
      expect(existsSync(join(ROOT, app.root, 'tsconfig.app.json'))).toBe(true);
    }
  });

  it('maps every library project to the path alias the code imports it by', () => {
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    const aliased = new Set(Object.values(tsconfig.compilerOptions.paths).map(([target]) => target));
    for (const project of Object.values(nestCli.projects).filter((p) => p.type === 'library')) {
      expect(aliased).toContain(project.sourceRoot);
    }
  });
});
