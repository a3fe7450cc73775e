import { isHiddenOrTemporary, outboundFileName, pathInFolder, unsafeFileNameReason } from './safe-folder';

describe('file names from a shared folder', () => {
  it.each([
    ['../evil.csv', 'file name holds ".."'],
    ['..\\evil.csv', 'file name holds ".."'],
    ['a/b.csv', 'file name holds a path separator'],
    ['sub\\b.csv', 'file name holds a path separator'],
    ['/etc/passwd', 'file name holds a path separator'],
    ['C:evil.csv', 'file name is an absolute path'],
    ['nul\0.csv', 'file name holds a NUL byte'],
    ['', 'empty file name'],
  ])('refuses %j', (name, reason) => {
    expect(unsafeFileNameReason(name)).toBe(reason);
    expect(() => pathInFolder('/srv/ra', name)).toThrow(reason);
  });

  it('accepts an ordinary status file name', () => {
    expect(unsafeFileNameReason('TRANGTHAI_20250926_0001.csv')).toBeNull();
    expect(pathInFolder('/srv/ra', 'TRANGTHAI_1.csv')).toBe('/srv/ra/TRANGTHAI_1.csv');
  });

  it('skips hidden, temporary and partial files', () => {
    expect(['.NOP_1.csv.ab12.tmp', '~lock.csv', 'a.csv.part', 'a.csv.tmp'].every(isHiddenOrTemporary)).toBe(
      true,
    );
    expect(isHiddenOrTemporary('TRANGTHAI_1.csv')).toBe(false);
  });
});

describe('outbound file names', () => {
  it('uses the key as it is when it is safe', () => {
    expect(outboundFileName('NOP', '7b3e9a10-4c2d-4f8e-a1b6-0d5c9e2f7a31')).toBe(
      'NOP_7b3e9a10-4c2d-4f8e-a1b6-0d5c9e2f7a31.csv',
    );
  });

  it('replaces unsafe characters and adds a hash so different keys never share a file', () => {
    const a = outboundFileName('BOSUNG', 'abc:supplement:1');
    const b = outboundFileName('BOSUNG', 'abc_supplement_1');
    const evil = outboundFileName('NOP', '../../etc/passwd');
    expect(a).toMatch(/^BOSUNG_abc_supplement_1-[0-9a-f]{10}\.csv$/);
    expect(b).toBe('BOSUNG_abc_supplement_1.csv');
    expect(a).not.toBe(b);
    expect(unsafeFileNameReason(evil)).toBeNull();
  });
});
