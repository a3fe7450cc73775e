import {
  constantTimeEquals,
  generateApiKey,
  hashApiKey,
  prefixOfApiKey,
  verifyApiKeyHash,
} from './api-key-secret';
import { InvalidApiRoleError, isApiRole, parseApiRole } from './api-key-role';

describe('API key secrets', () => {
  it('generates pob_<prefix8>_<secret32> keys whose prefix can be read back', () => {
    const { key, prefix } = generateApiKey();
    expect(key).toMatch(/^pob_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$/);
    expect(prefixOfApiKey(key)).toBe(prefix);
    expect(generateApiKey().key).not.toBe(key);
    expect(prefixOfApiKey('pob_short_x')).toBeUndefined();
  });

  it('stores a salted scrypt hash that verifies only the same key', async () => {
    const { key } = generateApiKey();
    const stored = await hashApiKey(key);
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain(key.slice(13));
    expect(await hashApiKey(key)).not.toBe(stored);
    expect(await verifyApiKeyHash(key, stored)).toBe(true);
    expect(await verifyApiKeyHash(`${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`, stored)).toBe(false);
    expect(await verifyApiKeyHash(key, 'plain-text')).toBe(false);
  });

  it('compares strings of different lengths without throwing', () => {
    expect(constantTimeEquals('abc', 'abc')).toBe(true);
    expect(constantTimeEquals('abc', 'abcd')).toBe(false);
  });
});

describe('API key roles', () => {
  it('accepts the four forms', () => {
    for (const role of ['admin', 'operator', 'postal', 'agency:000.00.00.H26'])
      expect(parseApiRole(role)).toBe(role);
  });

  it('refuses anything else with a message listing the valid forms', () => {
    for (const role of ['Admin', 'agency:', 'agency:H 26', 'superuser', '']) {
      expect(isApiRole(role)).toBe(false);
      expect(() => parseApiRole(role)).toThrow(InvalidApiRoleError);
    }
    expect(() => parseApiRole('root')).toThrow(
      'invalid role "root": expected one of admin, operator, postal, agency:<code> (agency code non-empty, no spaces)',
    );
  });
});
