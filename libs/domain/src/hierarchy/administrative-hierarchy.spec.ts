import { AdministrativeHierarchy } from './administrative-hierarchy';
import { AdministrativeUnit, vietnamDate } from './administrative-unit';

const REFORM = '2025-07-01';

/** Đà Nẵng before the reform: city → district → ward, plus a city department (the pilot's shape). */
const PILOT: AdministrativeUnit[] = [
  { code: '48', name: 'Thành phố Đà Nẵng', level: 'province', validFrom: '1997-01-01' },
  {
    code: '490',
    name: 'Quận Hải Châu',
    level: 'district',
    parentCode: '48',
    validFrom: '1997-01-01',
    validTo: REFORM,
  },
  {
    code: '20227',
    name: 'Phường Thạch Thang',
    level: 'commune',
    parentCode: '490',
    validFrom: '1997-01-01',
    validTo: REFORM,
  },
  {
    code: '000.00.53.H48',
    name: 'Sở Tư pháp',
    level: 'department',
    parentCode: '48',
    validFrom: '2008-01-01',
  },
];

/** After the reform: province → commune; Quảng Nam merged into Đà Nẵng and closed. */
const TWO_LEVEL: AdministrativeUnit[] = [
  { code: '49', name: 'Tỉnh Quảng Nam', level: 'province', validFrom: '1997-01-01', validTo: REFORM },
  { code: '20194', name: 'Phường Hải Châu', level: 'commune', parentCode: '48', validFrom: REFORM },
  { code: '20314', name: 'Xã Hội An', level: 'commune', parentCode: '48', validFrom: REFORM },
];

describe('AdministrativeHierarchy', () => {
  const hierarchy = new AdministrativeHierarchy([...PILOT, ...TWO_LEVEL]);

  it('finds no problem in the three-level pilot and the two-level shape living side by side', () => {
    expect(new AdministrativeHierarchy(PILOT).validate()).toEqual([]);
    expect(hierarchy.validate()).toEqual([]);
  });

  it('walks the three-level structure on a date before the reform', () => {
    expect(hierarchy.parentOf('20227', '2024-05-01')?.name).toBe('Quận Hải Châu');
    expect(hierarchy.ancestors('20227', '2024-05-01').map((u) => u.code)).toEqual(['490', '48']);
    expect(hierarchy.children('48', '2024-05-01').map((u) => u.code)).toEqual(['490', '000.00.53.H48']);
  });

  it('walks the two-level structure after it', () => {
    expect(hierarchy.ancestors('20194', '2025-08-01').map((u) => u.code)).toEqual(['48']);
    expect(hierarchy.children('48', '2025-08-01').map((u) => u.code)).toEqual([
      '000.00.53.H48',
      '20194',
      '20314',
    ]);
  });

  it('still finds a unit closed on 2025-07-01 for a date before it, and not on or after it', () => {
    expect(hierarchy.get('490', '2025-06-30')?.name).toBe('Quận Hải Châu');
    expect(hierarchy.get('490', REFORM)).toBeUndefined();
    expect(hierarchy.get('49', '2025-07-02')).toBeUndefined();
    expect(hierarchy.get('490')?.name).toBe('Quận Hải Châu');
  });

  it('reads timestamps in Vietnam time: 30 June 20:00 UTC is already 1 July in Đà Nẵng', () => {
    expect(vietnamDate('2025-06-30T20:00:00Z')).toBe('2025-07-01');
    expect(hierarchy.get('490', new Date('2025-06-30T16:59:00Z'))).toBeDefined();
    expect(hierarchy.get('490', new Date('2025-06-30T17:00:00Z'))).toBeUndefined();
  });

  it('picks the version of a code in force at the date', () => {
    const renamed = new AdministrativeHierarchy([
      { code: '48', name: 'Đà Nẵng (cũ)', level: 'province', validFrom: '1997-01-01', validTo: REFORM },
      { code: '48', name: 'Đà Nẵng (mới)', level: 'province', validFrom: REFORM },
      { code: '20194', name: 'Phường Hải Châu', level: 'commune', parentCode: '48', validFrom: '2020-01-01' },
    ]);
    expect(renamed.validate()).toEqual([]);
    expect(renamed.get('48', '2020-01-01')?.name).toBe('Đà Nẵng (cũ)');
    expect(renamed.get('48')?.name).toBe('Đà Nẵng (mới)');
    expect(renamed.parentOf('20194', '2025-07-01')?.name).toBe('Đà Nẵng (mới)');
  });
});

describe('AdministrativeHierarchy.validate', () => {
  const kinds = (units: AdministrativeUnit[]) =>
    new AdministrativeHierarchy(units).validate().map((p) => p.kind);

  it('reports an unknown parent', () => {
    const problems = new AdministrativeHierarchy([
      { code: '20194', name: 'Phường Hải Châu', level: 'commune', parentCode: '99', validFrom: REFORM },
    ]).validate();
    expect(problems).toEqual([
      {
        kind: 'unknown-parent',
        code: '20194',
        message: '20194 "Phường Hải Châu" names parent 99, which is not in the hierarchy',
      },
    ]);
  });

  it('reports a cycle', () => {
    const problems = new AdministrativeHierarchy([
      { code: 'A', name: 'A', level: 'district', parentCode: 'B', validFrom: '2020-01-01' },
      { code: 'B', name: 'B', level: 'district', parentCode: 'A', validFrom: '2020-01-01' },
    ]).validate();
    expect(problems).toEqual([{ kind: 'cycle', code: 'A', message: 'parent cycle: A → B → A' }]);
  });

  it('reports a child that exists when its parent does not', () => {
    expect(
      kinds([
        {
          code: '490',
          name: 'Quận Hải Châu',
          level: 'district',
          parentCode: '48',
          validFrom: '1997-01-01',
          validTo: REFORM,
        },
        {
          code: '20227',
          name: 'Phường Thạch Thang',
          level: 'commune',
          parentCode: '490',
          validFrom: '1997-01-01',
        },
        { code: '48', name: 'Đà Nẵng', level: 'province', validFrom: '1997-01-01' },
      ]),
    ).toEqual(['outside-parent-validity']);
    expect(
      kinds([
        { code: '48', name: 'Đà Nẵng', level: 'province', validFrom: '2000-01-01' },
        { code: '490', name: 'Hải Châu', level: 'district', parentCode: '48', validFrom: '1997-01-01' },
      ]),
    ).toEqual(['outside-parent-validity']);
  });

  it('reports codes used twice at the same time, but not successive versions', () => {
    expect(
      kinds([
        { code: '48', name: 'Đà Nẵng', level: 'province', validFrom: '1997-01-01' },
        { code: '48', name: 'Quảng Nam', level: 'province', validFrom: '2000-01-01' },
      ]),
    ).toEqual(['duplicate-code']);
  });

  it('reports dates that are malformed or out of order', () => {
    expect(
      kinds([
        { code: '48', name: 'Đà Nẵng', level: 'province', validFrom: '01/07/2025' },
        { code: '49', name: 'Quảng Nam', level: 'province', validFrom: '2025-07-01', validTo: '2025-07-01' },
      ]),
    ).toEqual(['invalid-dates', 'invalid-dates']);
  });
});
