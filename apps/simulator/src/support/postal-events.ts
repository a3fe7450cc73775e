import { randomUUID } from 'node:crypto';
import { CloudEvent } from '@bridge/domain';

/** Serial numbers for valid S10 ids. */
let serial = Math.floor(Math.random() * 50_000_000);

/** A fresh, valid UPU S10 item id (check digit computed). */
export function nextS10(prefix = 'EC'): string {
  serial = (serial + 1) % 100_000_000;
  const digits = serial.toString().padStart(8, '0');
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = digits.split('').reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  let check = 11 - (sum % 11);
  if (check === 10) check = 0;
  if (check === 11) check = 5;
  return `${prefix}${digits}${check}VN`;
}

/** What may differ between two `postal.dossier.collected` events. */
export interface CollectedEventOverrides {
  itemId?: string;
  procedureCode?: string;
  serviceOption?: 'send' | 'both';
  id?: string;
}

/** A realistic `postal.dossier.collected` event, as the postal system sends it. */
export function collectedEvent(agencyCode: string, overrides: CollectedEventOverrides = {}): CloudEvent {
  return {
    specversion: '1.0',
    id: overrides.id ?? randomUUID(),
    source: '/vnpost/tracking',
    type: 'postal.dossier.collected',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {
      itemId: overrides.itemId ?? nextS10(),
      agencyCode,
      procedureCode: overrides.procedureCode ?? '1.001612',
      serviceOption: overrides.serviceOption ?? 'both',
      office: 'Bưu cục Hải Châu',
      at: new Date().toISOString(),
      applicant: {
        kind: 'person',
        fullName: 'Nguyễn Thị Thủy',
        citizenId: '048190001234',
        phone: '0905123456',
        address: { line: '12 Lê Duẩn', commune: 'Phường Hải Châu', province: 'Đà Nẵng' },
      },
      returnAddress: { line: '12 Lê Duẩn', commune: 'Phường Hải Châu', province: 'Đà Nẵng' },
      documents: [{ name: 'Tờ khai đăng ký khai sinh', form: 'original', count: 1 }],
      fees: [{ name: 'Lệ phí', amount: 8000, currency: 'VND' }],
    },
  };
}

/** Any other postal event naming its dossier by item id (or dossier ref). */
export function postalEvent(type: string, itemId: string, data: Record<string, unknown> = {}): CloudEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/vnpost/tracking',
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { itemId, at: new Date().toISOString(), ...data },
  };
}
