import { compileMapping } from '@bridge/adapter-sdk';
import { DossierStatus } from '@bridge/domain';
import { columnStatusMapper, jsonataStatusMapper } from './status-row-mapper';

const statusCodes: Record<string, DossierStatus> = { TN: 'received', XL: 'processing', TC: 'rejected' };
const dates = { format: 'dd/MM/yyyy HH:mm', zone: 'Asia/Ho_Chi_Minh' };
const columns = {
  agencyDossierCode: 'MaHoSo',
  bridgeId: 'MaHoSoLienThong',
  statusCode: 'TrangThai',
  at: 'NgayCapNhat',
  note: 'GhiChu',
  appointmentDate: 'NgayHenTra',
};
const row = (over: Record<string, string> = {}) => ({
  MaHoSo: ' 000.00.21.H48-250922-0017 ',
  MaHoSoLienThong: '',
  TrangThai: 'TN',
  NgayCapNhat: '22/09/2025 09:05',
  NgayHenTra: '29/09/2025 16:30',
  GhiChu: 'Tiếp nhận',
  ...over,
});

describe('columnStatusMapper', () => {
  const mapper = columnStatusMapper(columns, statusCodes, dates);

  it('maps a row to a canonical change, trimming and leaving empty fields out', async () => {
    expect(await mapper.map(row())).toEqual({
      change: {
        agencyDossierCode: '000.00.21.H48-250922-0017',
        status: 'received',
        agencyStatusCode: 'TN',
        at: '2025-09-22T09:05:00+07:00',
        appointmentDate: '2025-09-29T16:30:00+07:00',
        note: 'Tiếp nhận',
      },
    });
  });

  it.each([
    [{ MaHoSo: '' }, 'neither the agency dossier code nor the bridge id is filled'],
    [{ TrangThai: ' ' }, 'status code is empty'],
    [
      { TrangThai: 'DUYET' },
      'agency status code "DUYET" is not in the agency\'s status table (known: TN, XL, TC)',
    ],
    [{ NgayCapNhat: '' }, 'status date is empty'],
    [
      { NgayCapNhat: '2025-09-22 09:05' },
      'date "2025-09-22 09:05" does not match the agency\'s format dd/MM/yyyy HH:mm',
    ],
    [{ NgayHenTra: 'mai' }, 'date "mai" does not match'],
  ])('refuses %j: %s', async (over, reason) => {
    const outcome = await mapper.map(row(over));
    expect(outcome).toEqual({ reason: expect.stringContaining(reason) });
  });

  it('names the missing columns of a header, and accepts one without the optional ones', () => {
    expect(mapper.checkHeader(['MaHoSo', 'TrangThai'])).toEqual([
      'missing column(s) NgayCapNhat (header: MaHoSo, TrangThai)',
    ]);
    expect(mapper.checkHeader(['Ma', 'TrangThai', 'NgayCapNhat'])[0]).toContain('MaHoSo or MaHoSoLienThong');
    expect(mapper.checkHeader(['MaHoSoLienThong', 'TrangThai', 'NgayCapNhat'])).toEqual([]);
  });
});

describe('jsonataStatusMapper', () => {
  const expression = `{
    "agencyDossierCode": MaHoSo,
    "statusCode": $substringBefore(TrangThai, '-'),
    "at": $fromVendorDate(Ngay & ' ' & Gio),
    "note": $uppercase(GhiChu)
  }`;
  const mapper = jsonataStatusMapper(
    compileMapping('statusChange', expression, { dates, statusCodes }),
    statusCodes,
    dates,
  );

  it('maps through the agency expression and validates the result the same way', async () => {
    const ok = await mapper.map({
      MaHoSo: 'A-1',
      TrangThai: 'XL-2',
      Ngay: '23/09/2025',
      Gio: '14:20',
      GhiChu: 'đang xử lý',
    });
    expect(ok).toEqual({
      change: {
        agencyDossierCode: 'A-1',
        status: 'processing',
        agencyStatusCode: 'XL',
        at: '2025-09-23T14:20:00+07:00',
        note: 'ĐANG XỬ LÝ',
      },
    });
    const bad = await mapper.map({ MaHoSo: 'A-1', TrangThai: 'XL', Ngay: '99/99/2025', Gio: '14:20' });
    expect(bad).toEqual({ reason: expect.stringContaining('99/99/2025 14:20') });
  });
});
