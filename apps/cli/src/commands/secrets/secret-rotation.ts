import { SecretCipher } from '@bridge/core';

/**
 * A copy of `value` (any JSON) with every encrypted string (`enc:v1:...`) decrypted with `from`
 * and encrypted again with `to`, wherever it sits; `count` says how many were re-encrypted.
 * Walking generically, rather than by the known secret fields, also catches credentials an
 * adapter kind keeps in a place the registry learns about later.
 */
export function reencryptDeep(
  value: unknown,
  from: SecretCipher,
  to: SecretCipher,
): { value: unknown; count: number } {
  let count = 0;
  const walk = (node: unknown): unknown => {
    if (SecretCipher.isEncrypted(node)) {
      count += 1;
      return to.encrypt(from.decrypt(node));
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item)]));
    }
    return node;
  };
  return { value: walk(value), count };
}
