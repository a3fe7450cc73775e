import { isValidAgencyCode, parseAgencyCode } from './agency-code';
import { isValidDossierCode, parseDossierCode } from './dossier-code';
import { isValidProcedureCode, parseProcedureCode } from './procedure-code';

describe('parseAgencyCode', () => {
  it("splits a provincial People's Committee code into its QCVN 102 levels", () => {
    expect(parseAgencyCode('000.00.00.H48')).toEqual({
      ok: true,
      value: '000.00.00.H48',
      normalized: false,
      level4: '000',
      level3: '00',
      level2: '00',
      level1: 'H48',
      levelLetter: 'H',
      levelKind: 'provincial_peoples_committee',
    });
  });

  it('knows G (ministries) and K (provincial councils) and accepts any other letter as other', () => {
    expect(parseAgencyCode('000.00.00.G09')).toMatchObject({ levelKind: 'ministry' });
    expect(parseAgencyCode('000.00.00.K48')).toMatchObject({ levelKind: 'provincial_peoples_council' });
    expect(parseAgencyCode('000.00.00.X12')).toMatchObject({
      ok: true,
      levelLetter: 'X',
      levelKind: 'other',
    });
  });

  it('refuses codes of the wrong shape, naming the standard', () => {
    for (const bad of ['00.00.00.H48', '000.00.00.48', '000-00-00-H48', 'H48', '000.00.00.H4']) {
      const result = parseAgencyCode(bad);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toContain('QCVN 102:2016');
    }
  });

  it('upper-cases and normalises full-width input', () => {
    expect(parseAgencyCode(' ０００.００.５３.ｈ４８ ')).toMatchObject({
      ok: true,
      value: '000.00.53.H48',
      normalized: true,
    });
    expect(isValidAgencyCode('000.00.53.h48')).toBe(true);
  });
});

describe('parseDossierCode', () => {
  it('recognises the Circular 01/2018 form and reads agency, date and serial', () => {
    expect(parseDossierCode('000.00.53.H48-220921-0099')).toEqual({
      ok: true,
      value: '000.00.53.H48-220921-0099',
      normalized: false,
      standard: true,
      agencyCode: '000.00.53.H48',
      date: '2022-09-21',
      serial: '0099',
    });
  });

  it('accepts a code a newer portal issued, marked non-standard', () => {
    expect(parseDossierCode('G09.20-20260609-0092637')).toEqual({
      ok: true,
      value: 'G09.20-20260609-0092637',
      normalized: false,
      standard: false,
    });
  });

  it('treats a standard-looking code with an impossible date as non-standard, not as an error', () => {
    expect(parseDossierCode('000.00.53.H48-221341-0099')).toMatchObject({ ok: true, standard: false });
  });

  it('refuses only empty, control-character and over-long codes', () => {
    expect(parseDossierCode('   ')).toEqual({ ok: false, error: 'dossier code is empty' });
    expect(parseDossierCode('ABC\u0007')).toEqual({
      ok: false,
      error: 'dossier code contains control characters',
    });
    expect(parseDossierCode('A'.repeat(65))).toEqual({
      ok: false,
      error: 'dossier code is 65 characters long; at most 64 are accepted',
    });
    expect(isValidDossierCode('A'.repeat(64))).toBe(true);
  });
});

describe('parseProcedureCode', () => {
  it('accepts a national code', () => {
    expect(parseProcedureCode('1.001612')).toEqual({
      ok: true,
      value: '1.001612',
      normalized: false,
      baseCode: '1.001612',
    });
  });

  it('accepts local variants joined by "." or "-" and gives both the same canonical value', () => {
    const dotted = parseProcedureCode('1.001612.000.00.00.H48');
    const dashed = parseProcedureCode('1.001612-000.00.00.H48');
    const expected = {
      ok: true,
      value: '1.001612.000.00.00.H48',
      baseCode: '1.001612',
      agencyCode: '000.00.00.H48',
    };
    expect(dotted).toMatchObject(expected);
    expect(dashed).toMatchObject(expected);
  });

  it('refuses other shapes with the expected form in the message', () => {
    for (const bad of ['1001612', '1.00161', '12.001612', '1.001612.H48']) {
      const result = parseProcedureCode(bad);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toContain('d.dddddd');
    }
    expect(isValidProcedureCode('1.001612')).toBe(true);
  });
});
