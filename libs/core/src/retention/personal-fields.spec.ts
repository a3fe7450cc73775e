import { Dossier } from '@bridge/domain';
import { withoutPersonalData } from './personal-fields';

const base = {
  id: 'd1',
  agencyCode: '000.00.53.H48',
  procedureCode: '1.001612',
  serviceOption: 'send',
  documents: [{ name: 'Tờ khai', form: 'original', count: 1 }],
  fees: [],
  status: 'completed',
  sequence: 7,
  timestamps: { completed: '2025-10-01T10:00:00+07:00' },
} as const;

describe('withoutPersonalData', () => {
  it("keeps a firm's tax code but masks a person's 12-digit one, the representative and the phone", () => {
    const firm = (taxCode: string): Dossier =>
      ({
        ...base,
        applicant: {
          kind: 'organization',
          name: 'Công ty TNHH Hải Châu',
          taxCode,
          representative: 'Trần Văn Bình',
          phone: '0236 3812 345',
          address: { line: '5 Bạch Đằng', province: 'Đà Nẵng' },
        },
      }) as unknown as Dossier;
    expect(withoutPersonalData(firm('0401234567')).applicant).toEqual({
      kind: 'organization',
      name: 'Công ty TNHH Hải Châu',
      taxCode: '0401234567',
      representative: 'T. V. B.',
      phone: '02*******45',
      address: { line: '***', province: 'Đà Nẵng' },
    });
    expect(withoutPersonalData(firm('001089012345')).applicant).toMatchObject({ taxCode: '0010********' });
  });

  it('leaves status, documents and dates as they were', () => {
    const dossier = {
      ...base,
      applicant: {
        kind: 'person',
        fullName: 'Lê Thị Hồng',
        citizenId: '001089012345',
        phone: '0912345678',
        address: { line: '12 Trần Phú', province: 'Đà Nẵng' },
      },
    } as unknown as Dossier;
    const masked = withoutPersonalData(dossier);
    expect({ ...masked, applicant: undefined }).toEqual({ ...dossier, applicant: undefined });
    expect(masked.applicant).not.toHaveProperty('email');
  });
});
