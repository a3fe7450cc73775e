import { Address, Applicant, DossierDocument, Fee } from '@bridge/domain';
import { citizenId, phoneNumber, pick, Random, taxCode } from './postal-identities';

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
];
const MIDDLE_F = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Hoài', 'Minh'];
const MIDDLE_M = ['Văn', 'Hữu', 'Minh', 'Đức', 'Quốc', 'Công'];
const GIVEN_F = ['Hạnh', 'Hương', 'Lan', 'Linh', 'Mai', 'Ngân', 'Thảo', 'Thủy', 'Trang', 'Vy', 'Yến', 'Hà'];
const GIVEN_M = ['An', 'Bình', 'Dũng', 'Hải', 'Hùng', 'Khánh', 'Long', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Tuấn'];

/** Streets and the wards they run through, by district (the pre-2025 three-level addresses). */
const PLACES: Record<string, [street: string, ward: string][]> = {
  'Quận Hải Châu': [
    ['Lê Duẩn', 'Phường Thạch Thang'],
    ['Trần Phú', 'Phường Hải Châu 1'],
    ['Hùng Vương', 'Phường Hải Châu 2'],
  ],
  'Quận Thanh Khê': [
    ['Điện Biên Phủ', 'Phường Chính Gián'],
    ['Hà Huy Tập', 'Phường Hòa Khê'],
  ],
  'Quận Sơn Trà': [
    ['Ngô Quyền', 'Phường An Hải Bắc'],
    ['Võ Nguyên Giáp', 'Phường Phước Mỹ'],
  ],
  'Quận Ngũ Hành Sơn': [
    ['Lê Văn Hiến', 'Phường Khuê Mỹ'],
    ['Trường Sa', 'Phường Hòa Hải'],
  ],
  'Quận Liên Chiểu': [
    ['Nguyễn Lương Bằng', 'Phường Hòa Khánh Bắc'],
    ['Tôn Đức Thắng', 'Phường Hòa Minh'],
  ],
  'Quận Cẩm Lệ': [
    ['Ông Ích Đường', 'Phường Khuê Trung'],
    ['Cách Mạng Tháng Tám', 'Phường Hòa Thọ Đông'],
  ],
  'Huyện Hòa Vang': [
    ['Quốc lộ 14B', 'Xã Hòa Phước'],
    ['ĐT602', 'Xã Hòa Sơn'],
  ],
};
const COMPANY_KIND = ['Công ty TNHH', 'Công ty Cổ phần', 'Công ty TNHH MTV'];
const COMPANY_TRADE = ['Thương mại Dịch vụ', 'Xây dựng', 'Du lịch', 'Vận tải', 'Thực phẩm', 'Y tế'];
const COMPANY_NAME = ['Hải Vân', 'Sông Hàn', 'Sơn Trà', 'Non Nước', 'Bà Nà', 'Mỹ Khê', 'Cầu Rồng'];
const FEES = [8_000, 50_000, 100_000, 150_000, 200_000];

/** A street address somewhere in Đà Nẵng. */
export function danangAddress(random: Random): Address {
  const district = pick(random, Object.keys(PLACES));
  const [street, ward] = pick(random, PLACES[district]);
  return {
    line: `${1 + Math.floor(random() * 400)} ${street}`,
    commune: ward,
    district,
    province: 'Thành phố Đà Nẵng',
    provinceCode: '48',
  };
}

/** A person with a full Vietnamese name, a citizen id and a mobile number. */
export function personApplicant(random: Random): Extract<Applicant, { kind: 'person' }> {
  const female = random() < 0.5;
  const fullName = [
    pick(random, FAMILY),
    pick(random, female ? MIDDLE_F : MIDDLE_M),
    pick(random, female ? GIVEN_F : GIVEN_M),
  ].join(' ');
  return {
    kind: 'person',
    fullName,
    citizenId: citizenId(random, female),
    phone: phoneNumber(random),
    address: danangAddress(random),
  };
}

/** A person or (one time in five) a company with a valid tax code and its representative. */
export function randomApplicant(random: Random): Applicant {
  if (random() >= 0.2) return personApplicant(random);
  const representative = personApplicant(random);
  return {
    kind: 'organization',
    name: `${pick(random, COMPANY_KIND)} ${pick(random, COMPANY_TRADE)} ${pick(random, COMPANY_NAME)}`,
    taxCode: taxCode(random),
    representative: representative.fullName,
    phone: representative.phone,
    address: danangAddress(random),
  };
}

/** The documents a postal worker tallies for a procedure: the form, an id copy, one more. */
export function dossierDocuments(random: Random, procedureName: string): DossierDocument[] {
  const documents: DossierDocument[] = [
    { name: `Tờ khai/đơn đề nghị: ${procedureName}`, form: 'original', count: 1 },
    { name: 'Bản sao Căn cước công dân của người nộp', form: 'copy', count: 1 },
  ];
  if (random() < 0.6) {
    documents.push({
      name: pick(random, [
        'Giấy ủy quyền',
        'Bản vẽ hiện trạng',
        'Giấy chứng nhận quyền sử dụng đất',
        'Ảnh 4x6',
      ]),
      form: random() < 0.5 ? 'original' : 'copy',
      count: 1 + Math.floor(random() * 3),
    });
  }
  return documents;
}

/** The fee the post collects on the agency's behalf (none for some procedures). */
export function dossierFees(random: Random): Fee[] {
  if (random() < 0.25) return [];
  return [{ name: 'Lệ phí giải quyết thủ tục hành chính', amount: pick(random, FEES), currency: 'VND' }];
}
