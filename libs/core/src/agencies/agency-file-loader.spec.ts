import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgencyFiles } from './agency-file-loader';

describe('loading agency files', () => {
  let base: string;
  let root: string;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'agency-files-'));
    root = join(base, 'config');
    await mkdir(join(root, 'agencies', '48', 'quan'), { recursive: true });
    await writeFile(join(root, 'agencies', '48', 'b.yaml'), 'code: 000.00.02.H48\n');
    await writeFile(join(root, 'agencies', '48', 'quan', 'a.yml'), 'code: 000.00.53.H48\n');
    await writeFile(join(root, 'agencies', '48', 'README.md'), '# not an agency\n');
    await writeFile(join(base, 'outside.yaml'), 'code: 000.00.09.H48\n');
  });

  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('reads every YAML file below a directory, recursively and in path order, skipping others', async () => {
    const docs = await loadAgencyFiles('agencies', root);
    expect(docs.map((d) => [d.file, (d.data as { code: string }).code])).toEqual([
      [join('agencies', '48', 'b.yaml'), '000.00.02.H48'],
      [join('agencies', '48', 'quan', 'a.yml'), '000.00.53.H48'],
    ]);
  });

  it('refuses a path outside the configuration root', async () => {
    await expect(loadAgencyFiles('../outside.yaml', root)).rejects.toThrow(
      /outside the agency configuration root/,
    );
    await expect(loadAgencyFiles(join(base, 'outside.yaml'), root)).rejects.toThrow(/outside/);
  });

  it('refuses a symbolic link inside the root that leads out of it', async () => {
    await symlink(join(base, 'outside.yaml'), join(root, 'agencies', '48', 'link.yaml'));
    await expect(loadAgencyFiles('agencies', root)).rejects.toThrow(/link\.yaml is outside/);
  });

  it('refuses a file that is not YAML, and a path that does not exist', async () => {
    await expect(loadAgencyFiles('agencies/48/README.md', root)).rejects.toThrow(
      /is not an agency file \(\*\.yaml or \*\.yml\)/,
    );
    await expect(loadAgencyFiles('agencies/49', root)).rejects.toThrow(/does not exist/);
  });
});
