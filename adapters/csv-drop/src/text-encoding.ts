import * as iconv from 'iconv-lite';
import { IntegrationError } from '@bridge/adapter-sdk';

/** The encodings a status file may turn out to be in. */
export type DetectedEncoding = 'utf-8-bom' | 'utf-8' | 'windows-1258';

/** Windows-1258 writes these five tone marks as separate combining characters. */
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const WINDOWS_1258 = 'windows-1258';
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** U+FFFD as UTF-8 bytes: a decoder's "could not decode", written into the file itself. */
const REPLACEMENT_UTF8 = Buffer.from('\uFFFD', 'utf8');
/** The bytes Windows-1258 leaves undefined (iconv-lite decodes each as U+FFFD). */
const UNDEFINED_IN_1258 = Array.from({ length: 128 }, (_, i) => 0x80 + i).filter(
  (byte) => iconv.decode(Buffer.from([byte]), WINDOWS_1258) === '\uFFFD',
);

const spellingCache = new Map<string, string>();

function encodesDirectly(char: string): boolean {
  return iconv.decode(iconv.encode(char, WINDOWS_1258), WINDOWS_1258) === char;
}

function spellOne(char: string): string {
  let spelled = spellingCache.get(char);
  if (spelled !== undefined) return spelled;
  if (encodesDirectly(char)) spelled = char;
  else {
    const decomposed = char.normalize('NFD');
    const tones = decomposed.match(TONE_MARKS) ?? [];
    spelled = decomposed.replace(TONE_MARKS, '').normalize('NFC') + tones.join('');
    for (const part of spelled) {
      if (!encodesDirectly(part)) {
        throw IntegrationError.permanent(
          `character "${char}" (U+${char.codePointAt(0)!.toString(16).toUpperCase()}) cannot be written in Windows-1258`,
        );
      }
    }
  }
  spellingCache.set(char, spelled);
  return spelled;
}

/**
 * Rewrites NFC text into the spelling Windows-1258 can hold. iconv-lite maps code points one
 * to one and does not decompose: "ễ" (U+1EC5) has no Windows-1258 byte and would become "?".
 * The code page holds the bases with circumflex, breve and horn (ê, ă, ơ, ư...) plus five
 * combining tone marks, so each character without its own byte is split into its base (NFC
 * without the tone) followed by the tone mark. Characters already in the code page (à, é...)
 * stay whole. Decoding and NFC-normalising gives the original text back. A character the code
 * page cannot hold at all (Chinese, emoji) is a PERMANENT error rather than a silent "?".
 */
export function toWindows1258Spelling(text: string): string {
  return text.normalize('NFC').replace(/[^\x00-\x7f]/gu, spellOne);
}

/** Encodes text for a file the agency reads: UTF-8 with BOM, or Windows-1258. */
export function encodeForAgency(text: string, encoding: 'utf-8' | 'windows-1258'): Buffer {
  if (encoding === 'windows-1258') return iconv.encode(toWindows1258Spelling(text), WINDOWS_1258);
  return Buffer.concat([UTF8_BOM, Buffer.from(text.normalize('NFC'), 'utf8')]);
}

/**
 * Streaming encoding detector: feed it every chunk of a file, then ask `result()`.
 * A BOM means UTF-8; otherwise valid UTF-8 is UTF-8; otherwise Windows-1258. NUL bytes mean the
 * file is not text at all; UTF-8 Vietnamese letters in a file that is not valid UTF-8 mean it
 * was pieced together from both encodings.
 */
export class EncodingDetector {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private first = true;
  private bom = false;
  private validUtf8 = true;
  private binary = false;
  /** Saw a UTF-8 Vietnamese letter (U+1EA0–U+1EFF: E1 BA/BB xx), as the "áº"/"á»" a Windows-1258 file never holds. */
  private utf8Vietnamese = false;
  /** Saw bytes that decode to U+FFFD as UTF-8 / as Windows-1258. */
  private replacementUtf8 = false;
  private undefined1258 = false;
  private tail = Buffer.alloc(0);

  push(chunk: Buffer): void {
    if (this.first) {
      this.bom = chunk.subarray(0, 3).equals(UTF8_BOM);
      this.first = false;
    }
    if (chunk.includes(0)) this.binary = true;
    // The last two bytes of the previous chunk go along: a sequence may straddle chunks.
    const bytes = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    if (!this.utf8Vietnamese) {
      for (let i = bytes.indexOf(0xe1); i !== -1 && i + 2 < bytes.length; i = bytes.indexOf(0xe1, i + 1)) {
        const second = bytes[i + 1];
        if ((second === 0xba || second === 0xbb) && bytes[i + 2] >= 0x80 && bytes[i + 2] <= 0xbf) {
          this.utf8Vietnamese = true;
          break;
        }
      }
    }
    this.replacementUtf8 ||= bytes.includes(REPLACEMENT_UTF8);
    this.undefined1258 ||= UNDEFINED_IN_1258.some((byte) => chunk.includes(byte));
    this.tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2)));
    if (this.validUtf8) {
      try {
        this.utf8.decode(chunk, { stream: true });
      } catch {
        this.validUtf8 = false;
      }
    }
  }

  /**
   * Whether some bytes decode to U+FFFD in `encoding` (so their lines must be found and the
   * file refused); false means every byte decodes to a real character.
   */
  mayHoldUndecodable(encoding: DetectedEncoding): boolean {
    return encoding === 'windows-1258' ? this.undefined1258 : this.replacementUtf8;
  }

  /** The detected encoding, or a reason why the bytes are not a text file. */
  result(): { encoding: DetectedEncoding } | { problem: string } {
    if (this.binary) return { problem: 'file holds NUL bytes: not a text (CSV) file' };
    if (this.validUtf8) {
      try {
        this.utf8.decode();
      } catch {
        this.validUtf8 = false;
      }
    }
    if (this.bom) {
      return this.validUtf8
        ? { encoding: 'utf-8-bom' }
        : { problem: 'file starts with a UTF-8 BOM but is not valid UTF-8' };
    }
    if (!this.validUtf8 && this.utf8Vietnamese) {
      // Decoding it either way would garble part of it silently.
      return {
        problem:
          'file mixes UTF-8 and Windows-1258 text: it holds UTF-8 Vietnamese letters but is not valid UTF-8',
      };
    }
    return { encoding: this.validUtf8 ? 'utf-8' : 'windows-1258' };
  }
}

/**
 * Chooses how to decode a file given the agency's declared encoding and what was detected.
 * What the bytes prove wins over the declaration: a BOM is UTF-8, and Windows-1258 Vietnamese
 * text practically never forms valid multi-byte UTF-8, so valid UTF-8 is read as UTF-8 even
 * when the agency declared Windows-1258 (pure ASCII reads the same either way). Only a file
 * declared UTF-8 that is not valid UTF-8 is refused rather than reinterpreted.
 */
export function decodingFor(
  declared: 'auto' | 'utf-8' | 'windows-1258',
  detected: DetectedEncoding,
): { encoding: DetectedEncoding } | { problem: string } {
  if (declared === 'utf-8' && detected === 'windows-1258') {
    return { problem: 'agency declared UTF-8 but the file is not valid UTF-8' };
  }
  return { encoding: detected };
}
