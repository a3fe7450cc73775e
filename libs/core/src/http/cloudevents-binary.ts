import { BadRequestException } from '@nestjs/common';

/** Prefix of the HTTP headers that carry CloudEvent attributes in binary mode. */
const ATTRIBUTE_PREFIX = 'ce-';

/** Content types of structured mode: the whole event is the body. */
const STRUCTURED_TYPES = ['application/cloudevents+json', 'application/cloudevents-batch+json'];

/** Media type of the body without its parameters, lower-cased. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The CloudEvent a binary-mode request carries (CloudEvents HTTP protocol binding 1.0, §3.1):
 * each attribute in a `ce-<name>` header, percent-encoded, the data as the body and its media
 * type as `Content-Type`. Returns undefined for a structured-mode request — a CloudEvents
 * content type, or no `ce-` header at all — which the caller reads as before. The event is
 * validated afterwards like any other; here only what the headers cannot say is refused:
 * `ce-` headers without `ce-specversion`, a value that does not decode, a name given twice.
 */
export function binaryModeEvent(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): unknown {
  const type = mediaType(firstValue(headers['content-type']));
  const names = Object.keys(headers).filter((h) => h.toLowerCase().startsWith(ATTRIBUTE_PREFIX));
  if (STRUCTURED_TYPES.includes(type) || names.length === 0) return undefined;
  if (!names.some((h) => h.toLowerCase() === 'ce-specversion')) {
    throw new BadRequestException(
      `binary-mode CloudEvent without ce-specversion: the ce- headers (${names.slice(0, 5).join(', ')}) need ce-specversion: 1.0`,
    );
  }
  const event: Record<string, unknown> = {};
  for (const header of names) {
    const value = headers[header];
    if (Array.isArray(value))
      throw new BadRequestException(
        `header ${header} is given ${value.length} times; a CloudEvent attribute has one value`,
      );
    const name = header.toLowerCase().slice(ATTRIBUTE_PREFIX.length);
    if (name === 'data' || name === 'datacontenttype')
      throw new BadRequestException(
        `header ${header} is not an attribute: in binary mode the data is the body and its type is Content-Type`,
      );
    event[name] = decode(header, value ?? '');
  }
  event.datacontenttype = type;
  event.data = body;
  return event;
}

/** Header values are percent-encoded (§3.1.3.2); a value that does not decode is named. */
function decode(header: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new BadRequestException(`header ${header} is not valid percent-encoded UTF-8`);
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
