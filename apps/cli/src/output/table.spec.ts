import { cellText, renderFields, renderTable } from './table';

describe('renderTable', () => {
  it('pads columns to the widest cell, Vietnamese text counted by characters', () => {
    const text = renderTable(
      [
        { code: '000.00.01.H48', name: 'Sở Tư pháp' },
        { code: 'H48', name: 'Ủy ban nhân dân thành phố Đà Nẵng' },
      ],
      [
        { header: 'code', value: (r) => r.code },
        { header: 'name', value: (r) => r.name },
      ],
      'no agencies',
    );
    expect(text.split('\n')).toEqual([
      'CODE           NAME',
      '000.00.01.H48  Sở Tư pháp',
      'H48            Ủy ban nhân dân thành phố Đà Nẵng',
      '',
    ]);
  });

  it('says so when there is nothing to show', () => {
    expect(renderTable([], [{ header: 'id', value: () => 1 }], 'no API keys')).toBe('no API keys\n');
  });

  it('renders empty, date and object cells readably', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(new Date('2025-07-01T00:00:00Z'))).toBe('2025-07-01T00:00:00.000Z');
    expect(cellText({ a: 1 })).toBe('{"a":1}');
    expect(cellText('two\nlines')).toBe('two lines');
  });

  it('aligns the values of a record', () => {
    expect(
      renderFields([
        ['id', 'x'],
        ['status', 'collected'],
      ]),
    ).toBe('id:     x\nstatus: collected\n');
  });
});
