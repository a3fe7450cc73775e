import { IntegrationErrorCode } from '@bridge/adapter-sdk';
import { escapeFormulaCell, renderCsv } from './csv-file-writer';

describe('formula injection', () => {
  it.each(['=HYPERLINK("x")', '+84905', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'prefixes %j with a quote',
    (cell) => {
      expect(escapeFormulaCell(cell)).toBe(`'${cell}`);
    },
  );

  it('leaves ordinary text alone', () => {
    expect(escapeFormulaCell('Nguyễn Thị Thủy')).toBe('Nguyễn Thị Thủy');
    expect(escapeFormulaCell('0905987654')).toBe('0905987654');
  });
});

describe('renderCsv', () => {
  it('takes the header from the keys, quotes what needs it and escapes formulas', () => {
    const text = renderCsv(
      [
        { MaHoSo: 'A-1', GhiChu: 'hai\ndòng; "trích"', SoTien: -5000 },
        { MaHoSo: 'A-2', Them: '=1+1' },
      ],
      ';',
    );
    expect(text).toBe(
      ['MaHoSo;GhiChu;SoTien;Them', 'A-1;"hai\ndòng; ""trích""";\'-5000;', "A-2;;;'=1+1", ''].join('\r\n'),
    );
  });

  it('quotes a cell holding a lone line break, so no row can be split into two', () => {
    const text = renderCsv([{ DiaChi: '12 Lê Duẩn\nEC136431858VN;;KQ', GhiChu: 'x\r' }], ';');
    expect(text).toBe(['DiaChi;GhiChu', '"12 Lê Duẩn\nEC136431858VN;;KQ";"x\r"', ''].join('\r\n'));
  });

  it('refuses nested values and empty row lists with a PERMANENT error', () => {
    expect(() => renderCsv([{ A: { b: 1 } }], ';')).toThrow(
      expect.objectContaining({ code: IntegrationErrorCode.PERMANENT }),
    );
    expect(() => renderCsv([], ';')).toThrow('no rows');
  });
});
