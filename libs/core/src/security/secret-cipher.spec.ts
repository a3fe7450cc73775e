import { SecretCipher } from './secret-cipher';

describe('SecretCipher', () => {
  const cipher = new SecretCipher('a-secret-key-of-enough-length');

  it('round-trips a secret and never stores it in clear', () => {
    const stored = cipher.encrypt('mật-khẩu-cơ-quan');
    expect(stored).not.toContain('mật');
    expect(SecretCipher.isEncrypted(stored)).toBe(true);
    expect(cipher.decrypt(stored)).toBe('mật-khẩu-cơ-quan');
  });

  it('gives a different ciphertext each time', () => {
    expect(cipher.encrypt('x')).not.toBe(cipher.encrypt('x'));
  });

  it('refuses a value encrypted under another key', () => {
    const other = new SecretCipher('another-secret-key-entirely').encrypt('x');
    expect(() => cipher.decrypt(other)).toThrow(/wrong key or tampered/);
  });

  it('refuses a tampered value', () => {
    const stored = cipher.encrypt('secret');
    const tampered = stored.slice(0, -2) + (stored.endsWith('A') ? 'BB' : 'AA');
    expect(() => cipher.decrypt(tampered)).toThrow(/tampered/);
  });
});
