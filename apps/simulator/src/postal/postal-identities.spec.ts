import { isValidCitizenId, isValidS10, isValidTaxCode, parseCitizenId } from '@bridge/domain';
import { personApplicant, randomApplicant } from './postal-applicants';
import { citizenId, S10Issuer, seededRandom, taxCode } from './postal-identities';

describe('the postal simulator’s identities', () => {
  const random = seededRandom(2019);

  it('issues valid, never repeated S10 item ids with the asked service letters', () => {
    const issuer = new S10Issuer(random);
    const ids = Array.from({ length: 2000 }, () => issuer.next('EC'));
    expect(ids.every(isValidS10)).toBe(true);
    expect(ids.every((id) => id.startsWith('EC') && id.endsWith('VN'))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes citizen ids of adults whose sex digit matches the person', () => {
    for (let i = 0; i < 500; i++) {
      const female = i % 2 === 0;
      const id = parseCitizenId(citizenId(random, female, new Date('2025-06-01')));
      expect(id.ok).toBe(true);
      if (!id.ok) continue;
      expect(id.sex).toBe(female ? 'female' : 'male');
      expect(2025 - id.birthYear).toBeGreaterThanOrEqual(18);
      expect(2025 - id.birthYear).toBeLessThanOrEqual(80);
    }
  });

  it('makes tax codes whose check digit the domain accepts', () => {
    const codes = Array.from({ length: 1000 }, () => taxCode(random));
    expect(codes.filter((c) => !isValidTaxCode(c))).toEqual([]);
  });

  it('gives every applicant a Vietnamese name in NFC and a valid identifier', () => {
    for (let i = 0; i < 300; i++) {
      const a = randomApplicant(random);
      if (a.kind === 'person') {
        expect(a.fullName.split(' ')).toHaveLength(3);
        expect(a.fullName).toBe(a.fullName.normalize('NFC'));
        expect(isValidCitizenId(a.citizenId)).toBe(true);
      } else {
        expect(isValidTaxCode(a.taxCode)).toBe(true);
        expect(a.representative).toBeTruthy();
      }
      expect(a.phone).toMatch(/^0\d{9}$/);
    }
  });

  it('repeats the same applicants for the same seed', () => {
    expect(personApplicant(seededRandom(7))).toEqual(personApplicant(seededRandom(7)));
  });
});
