import { maskPersonalData, maskPersonalValues } from './personal-data-mask';

describe('maskPersonalData', () => {
  it('masks a standalone citizen id number in a log sentence', () => {
    const out = maskPersonalData('nộp hồ sơ cho công dân 001089012345 tại bưu cục');
    expect(out).toBe('nộp hồ sơ cho công dân 0010******** tại bưu cục');
    expect(out).not.toContain('001089012345');
  });

  it('masks citizen ids in JSON, XML and form fields whatever their length', () => {
    expect(maskPersonalData('{"citizenId":"001089012345","soCMND":"012345678"}')).toBe(
      '{"citizenId":"0010********","soCMND":"0123*****"}',
    );
    expect(maskPersonalData('<ns:SoCCCD>079203001234</ns:SoCCCD>')).toBe(
      '<ns:SoCCCD>0792********</ns:SoCCCD>',
    );
    expect(maskPersonalData('soDinhDanh=001089012345&x=1')).toBe('soDinhDanh=0010********&x=1');
  });

  it('masks Vietnamese phone numbers in their usual spellings', () => {
    expect(maskPersonalData('gọi 0912345689 để hẹn')).toBe('gọi 09******89 để hẹn');
    expect(maskPersonalData('SĐT: 0912 345 689.')).toBe('SĐT: 09******89.');
    expect(maskPersonalData('tel +84912345689')).toBe('tel +84*******89');
    expect(maskPersonalData('{"soDienThoai":"(024) 3826-1234"}')).toBe('{"soDienThoai":"02*******34"}');
  });

  it('leaves UUIDs, hashes, agency codes, dates and amounts alone', () => {
    const text =
      'id 3f2b9c1e-7d4a-4e6b-9a1c-123456789012 hash ab123456789012cd code 000.00.53.H48 ' +
      'date 2025-03-14T08:30:00.000Z fee 50000 item EA123456785VN';
    expect(maskPersonalData(text)).toBe(text);
  });
});

describe('maskPersonalValues', () => {
  it('masks named fields whatever their type, personal tax codes, and numbers in any text', () => {
    const out = maskPersonalValues({
      payload: {
        applicant: {
          kind: 'organization',
          taxCode: '048190007777',
          phone: 905771234,
          citizenId: 48190007777,
        },
        branch: { taxCode: '0101243150-001' },
        note: 'gọi 0905 771 234 hoặc CCCD 048190007777',
      },
      attempts: [{ message: 'soDienThoai=0905771234' }],
      deep: JSON.parse(`${'{"a":'.repeat(40)}"048190007777"${'}'.repeat(40)}`) as unknown,
    });
    const text = JSON.stringify(out);
    for (const secret of ['048190007777', '905771234', '48190007777', '0905 771 234', '0905771234'])
      expect(text).not.toContain(secret);
    expect(text).toContain('0101243150-001');
    expect(out).toMatchObject({ payload: { applicant: { taxCode: '0481********', kind: 'organization' } } });
  });
});
