import { randomUUID } from 'node:crypto';
import { Dossier } from '@bridge/domain';

/** A plausible dossier for an agency's first procedure taken by post; files nothing by itself. */
export function sampleDossierFor(agencyCode: string, procedureCode: string): Dossier {
  return {
    id: randomUUID(),
    inboundItemId: 'EC136431858VN',
    agencyCode,
    procedureCode,
    serviceOption: 'both',
    applicant: {
      kind: 'person',
      fullName: 'Nguyễn Văn Kiểm Thử',
      citizenId: '048090000001',
      phone: '0905000001',
      address: { line: '1 Bạch Đằng', commune: 'Phường Hải Châu', province: 'Đà Nẵng' },
    },
    returnAddress: { line: '1 Bạch Đằng', commune: 'Phường Hải Châu', province: 'Đà Nẵng' },
    documents: [{ name: 'Tờ khai (hồ sơ kiểm tra kết nối)', form: 'original', count: 1 }],
    fees: [],
    status: 'collected',
    sequence: 1,
    timestamps: { collected: new Date().toISOString() },
  };
}
