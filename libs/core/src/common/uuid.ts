const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a reference is a UUID (a bridge id, a key id) rather than an S10 or agency code. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
