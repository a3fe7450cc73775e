import { DASHBOARD_MESSAGES } from './assets/dashboard-messages';
import { DASHBOARD_ASSETS, DASHBOARD_PAGE } from './dashboard-assets';
import { apiKeyOfRequest } from './operator-auth.middleware';

/** Every `t('key')`, `tOr('key', …)` and `data-i18n="key"` the page's files use with a literal key. */
function usedKeys(): Set<string> {
  const sources = [DASHBOARD_PAGE.body, ...[...DASHBOARD_ASSETS.values()].map((a) => a.body)];
  const keys = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z_]+)'/g)) keys.add(match[1]);
    for (const match of source.matchAll(/data-i18n(?:-placeholder)?="([a-zA-Z]+\.[a-zA-Z_]+)"/g))
      keys.add(match[1]);
    for (const match of source.matchAll(/\['([a-zA-Z]+\.[a-zA-Z_]+)'(?:, '[a-zA-Z]+\.[a-zA-Z_]+')+\]/g))
      for (const key of match[0].matchAll(/'([^']+)'/g)) keys.add(key[1]);
  }
  return keys;
}

describe('dashboard assets', () => {
  it('has a Vietnamese and an English text for every key the page uses', () => {
    const keys = usedKeys();
    expect(keys.size).toBeGreaterThan(60);
    const missing = [...keys].filter((k) => !(k in DASHBOARD_MESSAGES.vi) || !(k in DASHBOARD_MESSAGES.en));
    expect(missing).toEqual([]);
  });

  it('writes Vietnamese with its diacritics, in NFC', () => {
    expect(DASHBOARD_MESSAGES.vi['deadLetters.title']).toBe('Thư chết / Lỗi giao nhận');
    expect(DASHBOARD_MESSAGES.vi['deadLetters.replay']).toBe('Phát lại');
    for (const text of Object.values(DASHBOARD_MESSAGES.vi)) expect(text).toBe(text.normalize('NFC'));
  });

  it('serves modules that import only files it serves', () => {
    for (const asset of DASHBOARD_ASSETS.values()) {
      for (const match of asset.body.matchAll(/from '\.\/([^']+)'/g))
        expect(DASHBOARD_ASSETS.has(match[1])).toBe(true);
    }
    for (const match of DASHBOARD_PAGE.body.matchAll(/\/ops\/assets\/([\w.-]+)/g))
      expect(DASHBOARD_ASSETS.has(match[1])).toBe(true);
  });
});

describe('apiKeyOfRequest', () => {
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('takes a Bearer key or the password of HTTP Basic, whatever the user name', () => {
    expect(apiKeyOfRequest('Bearer pob_key')).toBe('pob_key');
    expect(apiKeyOfRequest(basic('trực ca', 'pob_key:with:colons'))).toBe('pob_key:with:colons');
    expect(apiKeyOfRequest(basic('', 'pob_key'))).toBe('pob_key');
  });

  it('finds no key in a missing header, an empty password or another scheme', () => {
    expect(apiKeyOfRequest(undefined)).toBeUndefined();
    expect(apiKeyOfRequest(basic('operator', ''))).toBeUndefined();
    expect(apiKeyOfRequest('Digest username="x"')).toBeUndefined();
    expect(apiKeyOfRequest('Basic !!!')).toBeUndefined();
  });
});
