import { IntegrationError } from './integration-error';

/** A response body as fetch (a web stream) or undici's `request` (a Node stream) gives it. */
export type AnswerBody = AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => unknown };

/**
 * The failure of an answer larger than its agency's cap. PERMANENT: the same request gets the
 * same answer again, so retrying only downloads it again; an operator who finds the answer
 * legitimate raises `adapter.limits.maxResponseBytes` and replays the dead letter.
 */
export function answerTooLarge(what: string, maxBytes: number, declared?: number): IntegrationError {
  const size = declared === undefined ? 'more than' : `${declared} bytes, more than`;
  return IntegrationError.permanent(
    `${what}: the agency's answer is ${size} the limit of ${maxBytes} bytes (adapter.limits.maxResponseBytes); reading stopped there`,
    { vendorCode: 'ANSWER_TOO_LARGE' },
  );
}

/**
 * Reads an agency's answer into memory, at most `maxBytes` of it: a declared Content-Length
 * over the cap is refused before reading, and a body that grows past it (chunked, endless) is
 * abandoned at the chunk that crosses it — the stream is cancelled and the connection closed,
 * so memory stays bounded whatever the agency sends.
 */
export async function readBoundedAnswer(
  body: AnswerBody | null | undefined,
  maxBytes: number,
  what: string,
  declaredLength?: string | number | null,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const declared = declaredLength === null || declaredLength === undefined ? NaN : Number(declaredLength);
    if (declared > maxBytes) throw answerTooLarge(what, maxBytes, declared);
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      size += next.value.byteLength;
      if (size > maxBytes) throw answerTooLarge(what, maxBytes);
      chunks.push(next.value);
    }
  } catch (error) {
    // A web stream is cancelled by `return`; a Node stream whose iteration has not started
    // is not, so it is destroyed as well (which closes the socket).
    await Promise.resolve(iterator.return?.()).catch(() => undefined);
    body.destroy?.();
    throw error;
  }
  return Buffer.concat(chunks, size);
}

const utf8 = new TextDecoder('utf-8');

/** An answer as text, UTF-8 as fetch's `text()` decodes it (byte order mark dropped). */
export function answerText(bytes: Buffer): string {
  return utf8.decode(bytes);
}
