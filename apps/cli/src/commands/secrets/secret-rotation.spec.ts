import { SecretCipher } from '@bridge/core';
import { reencryptDeep } from './secret-rotation';

describe('reencryptDeep', () => {
  const oldCipher = new SecretCipher('the-old-secret-key-0001');
  const newCipher = new SecretCipher('the-new-secret-key-0002');

  it('re-encrypts every encrypted value at any depth and leaves the rest as it was', () => {
    const spec = {
      kind: 'soap',
      endpoint: 'https://motcua.example/ws',
      auth: { type: 'ws-security', username: 'buudien', password: oldCipher.encrypt('Mật-khẩu-1') },
      options: { sftp: [{ host: 'h', passphrase: oldCipher.encrypt('p2') }] },
      timeoutMs: 15000,
    };
    const { value, count } = reencryptDeep(spec, oldCipher, newCipher);
    const rotated = value as typeof spec;
    expect(count).toBe(2);
    expect(newCipher.decrypt(rotated.auth.password)).toBe('Mật-khẩu-1');
    expect(newCipher.decrypt(rotated.options.sftp[0].passphrase)).toBe('p2');
    expect(() => oldCipher.decrypt(rotated.auth.password)).toThrow(/cannot be decrypted/);
    expect({ ...rotated, auth: { ...rotated.auth, password: 'x' }, options: {} }).toEqual({
      ...spec,
      auth: { ...spec.auth, password: 'x' },
      options: {},
    });
  });

  it('fails, naming the key, when a value was not encrypted with the current key', () => {
    const foreign = new SecretCipher('some-other-key-000003').encrypt('x');
    expect(() => reencryptDeep({ auth: { token: foreign } }, oldCipher, newCipher)).toThrow(
      /BRIDGE_SECRET_KEY/,
    );
  });
});
