import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { encodeFields, parseAnswer, signedForm } from './igate-legacy-protocol';

const fixtures = join(__dirname, '..', 'fixtures');

describe('iGate fixed-width answers', () => {
  it('cuts an HS record into its columns, trimming the padding', () => {
    const answer = parseAnswer(readFileSync(join(fixtures, 'nophs-answer.txt'), 'utf8'));
    expect(answer).toMatchObject({ code: '0000', message: 'Tiep nhan thanh cong' });
    expect(answer.records[0]).toEqual({
      type: 'HS',
      fields: {
        maHoSo: '000.00.61.H48-250922-0003',
        ngayHenTra: '20250927',
        trangThai: '01',
        maLienThong: 'b1a4c2d0-3e5f-4a6b-8c7d-9e0f1a2b3c4d',
        ngayNhan: '20250922140531',
        rest: '',
      },
    });
  });

  it('refuses an answer that is not iGate text (TEMPORARY: e.g. a proxy error page)', () => {
    expect(() => parseAnswer('<html>502 Bad Gateway</html>')).toThrow(
      expect.objectContaining({ code: 'TEMPORARY' }),
    );
  });

  it('refuses a record type it does not know', () => {
    expect(() => parseAnswer('0000OK\r\nXX123')).toThrow(/line 2 has unknown record type "XX"/);
  });
});

describe('signed iGate requests', () => {
  it('signs cmd|user|ts|data with the key, ts in Vietnam time', () => {
    const at = DateTime.fromISO('2025-09-22T07:05:31Z') as DateTime<true>;
    const form = signedForm('TRACUU', 'BUUDIEN_HV', 'khoa', 'abc', at);
    expect(form.get('ts')).toBe('20250922140531');
    expect(form.get('sig')).toBe(
      createHmac('sha256', 'khoa').update('TRACUU|BUUDIEN_HV|20250922140531|abc').digest('hex'),
    );
  });

  it('cannot be broken by a pipe or a line break inside a field, and sends NFC', () => {
    expect(encodeFields(['a|b', 'c\r\nd', undefined, 3, 'Hòa Vang'.normalize('NFD')])).toBe(
      'a b|c d||3|Hòa Vang'.normalize('NFC'),
    );
  });
});
