import { IntegrationError, IntegrationErrorCode } from '@bridge/adapter-sdk';
import { mapFileSystemError } from './csv-drop-errors';

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

describe('mapFileSystemError', () => {
  it.each([
    ['ENOENT', IntegrationErrorCode.TEMPORARY],
    ['ENOSPC', IntegrationErrorCode.TEMPORARY],
    ['ESTALE', IntegrationErrorCode.TEMPORARY],
    ['EIO', IntegrationErrorCode.TEMPORARY],
    ['EACCES', IntegrationErrorCode.AUTH],
    ['EPERM', IntegrationErrorCode.AUTH],
    ['EROFS', IntegrationErrorCode.AUTH],
    ['ENOTDIR', IntegrationErrorCode.PERMANENT],
    ['ENAMETOOLONG', IntegrationErrorCode.PERMANENT],
  ])('%s → %s', (code, expected) => {
    const mapped = mapFileSystemError(errno(code), 'dropping NOP_1.csv');
    expect(mapped.code).toBe(expected);
    expect(mapped.vendorCode).toBe(code);
    expect(mapped.message).toContain('dropping NOP_1.csv');
  });

  it('keeps an IntegrationError and calls other failures PERMANENT', () => {
    const original = IntegrationError.rateLimited('slow down', 1000);
    expect(mapFileSystemError(original, 'x')).toBe(original);
    expect(mapFileSystemError(new TypeError('bug'), 'x').code).toBe(IntegrationErrorCode.PERMANENT);
  });
});
