import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
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
    const docs = await loadAgencyFiles('agencies', { confineTo: root });
    expect(docs.map((d) => [d.file, (d.data as { code: string }).code])).toEqual([
      [join('agencies', '48', 'b.yaml'), '000.00.02.H48'],
      [join('agencies', '48', 'quan', 'a.yml'), '000.00.53.H48'],
    ]);
  });

  it('refuses a path outside the configuration root', async () => {
    await expect(loadAgencyFiles('../outside.yaml', { confineTo: root })).rejects.toThrow(
      /outside the agency configuration root/,
    );
    await expect(loadAgencyFiles(join(base, 'outside.yaml'), { confineTo: root })).rejects.toThrow(/outside/);
  });

  it('refuses a symbolic link inside the root that leads out of it', async () => {
    await symlink(join(base, 'outside.yaml'), join(root, 'agencies', '48', 'link.yaml'));
    await expect(loadAgencyFiles('agencies', { confineTo: root })).rejects.toThrow(/link\.yaml is outside/);
  });

  it("reads any path its caller names when no root confines it (the operator's own files)", async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'etc-bridge-'));
    try {
      await writeFile(join(elsewhere, 'x.yaml'), 'code: 000.00.07.H48\n');
      const absolute = await loadAgencyFiles(elsewhere, { cwd: root });
      expect(absolute.map((d) => [d.file, (d.data as { code: string }).code])).toEqual([
        [join(await realpath(elsewhere), 'x.yaml'), '000.00.07.H48'],
      ]);
      const relativeToCwd = await loadAgencyFiles('x.yaml', { cwd: elsewhere });
      expect(relativeToCwd.map((d) => d.file)).toEqual(['x.yaml']);
      await symlink(join(base, 'outside.yaml'), join(root, 'agencies', '48', 'link.yaml'));
      expect(await loadAgencyFiles('agencies', { cwd: root })).toHaveLength(3);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not YAML, and a path that does not exist', async () => {
    await expect(loadAgencyFiles('agencies/48/README.md', { confineTo: root })).rejects.toThrow(
      /is not an agency file \(\*\.yaml or \*\.yml\)/,
    );
    await expect(loadAgencyFiles('agencies/49', { confineTo: root })).rejects.toThrow(/does not exist/);
  });
});
