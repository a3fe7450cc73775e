import { computeS10CheckDigit, computeTaxCodeCheckDigit } from '@bridge/domain';

/** A source of randomness, so a run can be repeated with a seed. */
export type Random = () => number;

/** A small seeded generator (mulberry32): the same seed gives the same dossiers. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of a list, at random. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** `n` random decimal digits. */
export function digits(random: Random, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(Math.floor(random() * 10));
  return out;
}

/**
 * Issues UPU S10 item ids (two service letters, eight serial digits, the check digit, `VN`),
 * never the same one twice in a run.
 */
export class S10Issuer {
  private readonly issued = new Set<string>();

  constructor(private readonly random: Random) {}

  next(service = 'EC'): string {
    for (;;) {
      const serial = digits(this.random, 8);
      const id = `${service}${serial}${computeS10CheckDigit(serial)}VN`;
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }
}

/** Province codes of citizen ids the post meets in Đà Nẵng (Đà Nẵng itself most often). */
const BIRTH_PROVINCES = ['048', '048', '048', '049', '051', '046', '045', '001', '079'];

/**
 * A 12-digit citizen id number (CCCD): province of birth registration, century-and-sex digit,
 * two digits of the birth year, six serial digits; an adult aged 18 to 80.
 */
export function citizenId(random: Random, female: boolean, now = new Date()): string {
  const birthYear = now.getFullYear() - 18 - Math.floor(random() * 62);
  const century = birthYear >= 2000 ? 2 : 0;
  const centurySex = century + (female ? 1 : 0);
  return `${pick(random, BIRTH_PROVINCES)}${centurySex}${String(birthYear % 100).padStart(2, '0')}${digits(random, 6)}`;
}

/** A 10-digit enterprise tax code (MST) with a correct check digit; Đà Nẵng codes start 04. */
export function taxCode(random: Random): string {
  for (;;) {
    const first9 = `04${digits(random, 7)}`;
    if (first9.slice(2) === '0000000') continue;
    const check = computeTaxCodeCheckDigit(first9);
    if (check !== null) return `${first9}${check}`;
  }
}

/** A Vietnamese mobile number (Viettel, Vinaphone, MobiFone prefixes). */
export function phoneNumber(random: Random): string {
  return `${pick(random, ['090', '091', '093', '094', '096', '097', '098', '070', '077', '079'])}${digits(random, 7)}`;
}
