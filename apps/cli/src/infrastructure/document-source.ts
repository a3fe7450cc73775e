import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from './cli-error';

/** Limits of reading a WSDL or an OpenAPI document: real ones are tens to hundreds of kilobytes. */
export interface DocumentSourceLimits {
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentSourceLimits = { maxBytes: 5 * 1024 * 1024, timeoutMs: 15_000 };

/** Reads a WSDL or OpenAPI document from an http(s) URL or a file path; refuses anything larger than the limit. */
export async function readDocumentSource(source: string, limits = DEFAULT_DOCUMENT_LIMITS): Promise<string> {
  if (/^https?:\/\//i.test(source)) return fetchDocument(source, limits);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    throw new CliError(`${source}: only http(s) URLs and file paths are supported`);
  }
  const path = resolve(source);
  const info = await stat(path).catch(() => {
    throw new CliError(`${source}: no such file`);
  });
  if (!info.isFile()) throw new CliError(`${source} is not a file`);
  if (info.size > limits.maxBytes) throw new CliError(`${source} is larger than ${limits.maxBytes} bytes`);
  return readFile(path, 'utf8');
}

async function fetchDocument(url: string, limits: DocumentSourceLimits): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs), redirect: 'follow' });
  } catch (error) {
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${limits.timeoutMs} ms`
        : String((error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message);
    throw new CliError(`cannot fetch ${url}: ${reason}`);
  }
  if (!response.ok) throw new CliError(`cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limits.maxBytes) throw new CliError(`${url} is larger than ${limits.maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += (chunk as Uint8Array).byteLength;
    if (size > limits.maxBytes) {
      throw new CliError(`${url} is larger than ${limits.maxBytes} bytes`);
    }
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks).toString('utf8');
}
