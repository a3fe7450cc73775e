import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The synchronous evaluator (jsonata-sync) reads JSONata's parse tree, which is no public
 * interface: a new JSONata version may change it. The version is pinned exactly, and what is
 * installed is what was pinned, so an upgrade is a deliberate change with its tests run.
 */
describe('jsonata version', () => {
  const root = join(__dirname, '..', '..', '..');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };

  it('is pinned to an exact version, without ^ or ~', () => {
    expect(manifest.dependencies.jsonata).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is installed at the pinned version', () => {
    const installed = JSON.parse(
      readFileSync(join(root, 'node_modules', 'jsonata', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(installed.version).toBe(manifest.dependencies.jsonata);
  });
});
