import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Files git tracks, as the repository ships them (code, scripts, configuration, docs). */
function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => /\.(ts|js|mjs|sh|ya?ml|json|md)$/.test(file) && !file.endsWith('package-lock.json'))
    .concat(['.ci/run']);
}

/**
 * Someone who clones the repository must be able to follow every reference: a comment or a
 * document may cite the rules in docs/, never a document that is not in the repository.
 */
describe('the repository speaks of itself', () => {
  const files = trackedFiles();
  const lines = files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .map((text, index) => ({ where: `${file}:${index + 1}`, text })),
  );

  it('reads the files it checks', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files).toContain('libs/core/src/lifecycle/dossier-ledger.ts');
  });

  it('cites no design, domain or style document from outside the repository', () => {
    const outside = lines.filter(({ text }) => /\b(DESIGN|DOMAIN|STYLE)\.md\b/.test(text));
    expect(outside.map(({ where, text }) => `${where}: ${text.trim()}`)).toEqual([]);
  });

  it('cites a numbered rule only together with the document that numbers it', () => {
    const uncited = lines.filter(
      ({ where, text }) =>
        !where.startsWith('docs/architecture.md:') &&
        /\brules? \d+\b/i.test(text) &&
        !/docs\/\w+\.md|\w+\.md,/.test(text),
    );
    expect(uncited.map(({ where, text }) => `${where}: ${text.trim()}`)).toEqual([]);
  });
});
