import * as iconv from 'iconv-lite';
import fc from 'fast-check';
import { IntegrationErrorCode } from '@bridge/adapter-sdk';
import { EncodingDetector, decodingFor, encodeForAgency, toWindows1258Spelling } from './text-encoding';

const decode1258 = (bytes: Buffer) => iconv.decode(bytes, 'windows-1258').normalize('NFC');

function detect(bytes: Buffer, chunk = bytes.length) {
  const detector = new EncodingDetector();
  for (let i = 0; i < bytes.length; i += chunk) detector.push(bytes.subarray(i, i + chunk));
  return detector.result();
}

describe('Windows-1258 encoding of NFC Vietnamese', () => {
  it('loses toned letters when handed to iconv-lite as they are (why the spelling step exists)', () => {
    expect(decode1258(iconv.encode('Nguyễn Thị Thủy', 'windows-1258'))).toBe('Nguy?n Th? Th?y');
  });

  it.each([
    'Nguyễn Thị Thủy',
    'Đà Nẵng',
    'Lê Văn Hưng',
    'Phạm Quốc Việt',
    'Ủy ban nhân dân phường Hải Châu',
    'ỨNG DỤNG Ỹ',
  ])('round-trips "%s"', (text) => {
    const bytes = encodeForAgency(text, 'windows-1258');
    expect(bytes.includes(0x3f)).toBe(false); // no "?"
    expect(decode1258(bytes)).toBe(text.normalize('NFC'));
  });

  it('round-trips any text over the Vietnamese alphabet, NFC or NFD', () => {
    const letters = [
      ...'aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters), { maxLength: 40 }), fc.boolean(), (chars, nfd) => {
        const text = chars.join('');
        const input = nfd ? text.normalize('NFD') : text;
        expect(decode1258(encodeForAgency(input, 'windows-1258'))).toBe(text.normalize('NFC'));
      }),
    );
  });

  it('keeps characters the code page holds whole and splits the others into base + tone', () => {
    expect(toWindows1258Spelling('à')).toBe('à');
    expect(toWindows1258Spelling('ễ')).toBe('ê\u0303');
    expect(toWindows1258Spelling('ặ')).toBe('ă\u0323');
  });

  it('refuses a character Windows-1258 cannot hold instead of writing "?"', () => {
    expect(() => encodeForAgency('Hồ sơ 漢', 'windows-1258')).toThrow(
      expect.objectContaining({
        code: IntegrationErrorCode.PERMANENT,
        message: expect.stringContaining('U+6F22'),
      }),
    );
  });

  it('writes UTF-8 with a BOM, in NFC', () => {
    const bytes = encodeForAgency('Đà Nẵng'.normalize('NFD'), 'utf-8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('Đà Nẵng'.normalize('NFC'));
  });
});

describe('encoding detection', () => {
  const text = 'MaHoSo;GhiChu\r\nA-1;Nguyễn Thị Thủy ở Đà Nẵng\r\n';

  it('says UTF-8 with BOM, UTF-8, or Windows-1258 — even when a character straddles chunks', () => {
    expect(detect(encodeForAgency(text, 'utf-8'), 7)).toEqual({ encoding: 'utf-8-bom' });
    expect(detect(Buffer.from(text, 'utf8'), 5)).toEqual({ encoding: 'utf-8' });
    expect(detect(encodeForAgency(text, 'windows-1258'), 3)).toEqual({ encoding: 'windows-1258' });
  });

  it('refuses a file pieced together from UTF-8 and Windows-1258, wherever the chunks split', () => {
    const mixed = Buffer.concat([
      Buffer.from(text, 'utf8'),
      encodeForAgency('A-2;Trần Văn Ước\r\n', 'windows-1258'),
    ]);
    for (const chunk of [1, 2, 3, 7, 64])
      expect(detect(mixed, chunk)).toEqual({
        problem: expect.stringContaining('mixes UTF-8 and Windows-1258'),
      });
    // Windows-1258 text of every Vietnamese letter is still read as Windows-1258.
    const alphabet = 'aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ';
    const all = `${alphabet} ${alphabet.toUpperCase()}`;
    expect(detect(encodeForAgency(all, 'windows-1258'), 5)).toEqual({ encoding: 'windows-1258' });
  });

  it('calls a file with NUL bytes or a BOM before invalid UTF-8 unreadable', () => {
    expect(detect(Buffer.from([0x50, 0x4b, 0x00, 0x01]))).toEqual({
      problem: expect.stringContaining('NUL'),
    });
    expect(detect(Buffer.from([0xef, 0xbb, 0xbf, 0xe0, 0x41]))).toEqual({
      problem: expect.stringContaining('BOM'),
    });
  });

  it('tells whether some bytes have no character in the encoding, wherever the chunks split', () => {
    const flags = (bytes: Buffer, size: number) => {
      const detector = new EncodingDetector();
      for (let i = 0; i < bytes.length; i += size) detector.push(bytes.subarray(i, i + size));
      return [detector.mayHoldUndecodable('utf-8'), detector.mayHoldUndecodable('windows-1258')];
    };
    // UTF-8 Vietnamese holds 0x81 and friends as continuation bytes: no cause for alarm in UTF-8.
    expect(flags(Buffer.from(text, 'utf8'), 2)).toEqual([false, true]);
    expect(flags(encodeForAgency(text, 'windows-1258'), 2)).toEqual([false, false]);
    for (const size of [1, 2, 3]) {
      expect(flags(Buffer.from(`${text}\uFFFD`, 'utf8'), size)[0]).toBe(true);
      expect(
        flags(Buffer.concat([encodeForAgency(text, 'windows-1258'), Buffer.from([0x81])]), size)[1],
      ).toBe(true);
    }
  });

  it('trusts the bytes over the declaration, but refuses non-UTF-8 declared as UTF-8', () => {
    expect(decodingFor('windows-1258', 'utf-8')).toEqual({ encoding: 'utf-8' });
    expect(decodingFor('auto', 'windows-1258')).toEqual({ encoding: 'windows-1258' });
    expect(decodingFor('utf-8', 'windows-1258')).toEqual({
      problem: expect.stringContaining('declared UTF-8'),
    });
  });
});
