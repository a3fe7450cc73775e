/** Which rule of the safe XML reader a document broke. */
export type UnsafeXmlReason =
  'too-big' | 'invalid-utf8' | 'doctype' | 'too-deep' | 'malformed' | 'empty' | 'encoding';

/** A document was refused before or while parsing; `reason` says which rule it broke. */
export class UnsafeXmlError extends Error {
  constructor(
    readonly reason: UnsafeXmlReason,
    message: string,
  ) {
    super(message);
    this.name = 'UnsafeXmlError';
  }
}
