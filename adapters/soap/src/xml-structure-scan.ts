import { UnsafeXmlError } from './unsafe-xml-error';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;

/**
 * Decodes the five predefined XML entities and character references. The parser itself never
 * expands entities (so no declared entity can), which leaves this small, fixed table.
 */
export function decodeXmlEntities(value: string): string {
  if (value.indexOf('&') === -1) return value;
  return value.replace(ENTITY, (whole, ref: string) => {
    if (ref.charCodeAt(0) !== 35 /* # */) return PREDEFINED[ref];
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function malformed(message: string): UnsafeXmlError {
  return new UnsafeXmlError('malformed', `the document is not well-formed XML: ${message}`);
}

/** Index of the `>` closing the tag that starts at `start`, skipping quoted attribute values. */
function tagEnd(text: string, start: number): number {
  const gt = text.indexOf('>', start);
  if (gt === -1) return -1;
  const slice = text.slice(start, gt);
  if (slice.indexOf('"') === -1 && slice.indexOf("'") === -1) return gt;
  let quote = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i;
  }
  return -1;
}

function tagName(text: string, from: number, to: number): string {
  let end = from;
  while (end < to) {
    const c = text.charCodeAt(end);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47 /* / */) break;
    end++;
  }
  return text.slice(from, end);
}

function checkDeclaration(declaration: string): void {
  const encoding = /encoding\s*=\s*["']([^"']+)["']/.exec(declaration)?.[1];
  if (encoding && !/^(utf-?8|us-ascii)$/i.test(encoding)) {
    throw new UnsafeXmlError(
      'encoding',
      `the document declares encoding "${encoding}"; only UTF-8 is accepted`,
    );
  }
}

/**
 * One cheap pass over the markup (indexOf jumps, no tree): refuses DOCTYPE and ENTITY
 * declarations, nesting deeper than `maxDepth`, truncated documents, mismatched closing tags
 * and more than one root. The parser alone would silently accept a truncated document.
 */
export function scanXmlStructure(text: string, maxDepth: number): void {
  const stack: string[] = [];
  let rootClosed = false;
  let i = text.indexOf('<');
  if (i === -1) throw malformed('no element found');
  if (text.slice(0, i).trim() !== '') throw malformed('text before the root element');
  while (i !== -1) {
    let end: number;
    const next = text.charCodeAt(i + 1);
    if (next === 63 /* ? */) {
      end = text.indexOf('?>', i + 2);
      if (end === -1) throw malformed('unterminated processing instruction');
      if (text.startsWith('<?xml ', i)) checkDeclaration(text.slice(i, end));
      end += 1;
    } else if (next === 33 /* ! */) {
      if (text.startsWith('<!--', i)) {
        end = text.indexOf('-->', i + 4);
        if (end === -1) throw malformed('unterminated comment');
        end += 2;
      } else if (text.startsWith('<![CDATA[', i)) {
        if (stack.length === 0) throw malformed('CDATA outside the root element');
        end = text.indexOf(']]>', i + 9);
        if (end === -1) throw malformed('unterminated CDATA section');
        end += 2;
      } else {
        const word = text.slice(i + 2, i + 9).toUpperCase();
        if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) {
          throw new UnsafeXmlError(
            'doctype',
            'the document contains a DOCTYPE or ENTITY declaration, which is refused',
          );
        }
        throw malformed(`unexpected markup "${text.slice(i, i + 12)}"`);
      }
    } else if (next === 47 /* / */) {
      end = text.indexOf('>', i);
      if (end === -1) throw malformed('the document ends inside a closing tag (truncated?)');
      const name = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (open !== name) {
        throw malformed(
          open ? `closing tag </${name}> does not match <${open}>` : `unexpected closing tag </${name}>`,
        );
      }
      if (stack.length === 0) rootClosed = true;
    } else {
      if (rootClosed) throw malformed('more than one root element');
      end = tagEnd(text, i + 1);
      if (end === -1) throw malformed('the document ends inside a tag (truncated?)');
      const selfClosing = text.charCodeAt(end - 1) === 47;
      const name = tagName(text, i + 1, selfClosing ? end - 1 : end);
      if (name === '') throw malformed(`a tag without a name at offset ${i}`);
      if (stack.length + 1 > maxDepth) {
        throw new UnsafeXmlError('too-deep', `elements are nested deeper than the limit of ${maxDepth}`);
      }
      if (selfClosing) rootClosed = stack.length === 0;
      else stack.push(name);
    }
    i = text.indexOf('<', end + 1);
    if (rootClosed && text.slice(end + 1, i === -1 ? undefined : i).trim() !== '') {
      throw malformed('text after the root element');
    }
  }
  if (stack.length > 0)
    throw malformed(`the document ends before </${stack[stack.length - 1]}> (truncated?)`);
  if (!rootClosed) throw malformed('no root element');
}
