import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** The most lines a source file may have; a longer one holds more than one concern. */
const MAX_LINES = 400;

/** Test code: specs of every tier, and the test/ tree (suites, support, fault rigs). */
function isTest(file: string): boolean {
  return /\.(spec|int-spec|e2e-spec)\.ts$/.test(file) || file.startsWith('test/');
}

/** The TypeScript files of the repository, tracked or new (ignored ones, like dist/, left out). */
function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file.endsWith('.ts') && !isTest(file));
}

describe('source file size', () => {
  const files = sourceFiles();

  it('reads the files it checks', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files).toContain('libs/core/src/lifecycle/dossier-ledger.ts');
    expect(files).not.toContain('libs/core/src/runtime/drain-sequence.spec.ts');
  });

  it(`has no non-test .ts file over ${MAX_LINES} lines`, () => {
    const tooLong = files
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(tooLong).toEqual([]);
  });
});
