import fc from 'fast-check';
import { DateTime } from 'luxon';
import { IntegrationError, IntegrationErrorCode } from './integration-error';
import {
  compileMapping,
  compileMappings,
  MappingBudgetError,
  MappingContext,
  sharedCompiledMappings,
} from './mapping-engine';
import { mappingFallbackCounts, resetMappingFallbacks } from './mapping-fallbacks';
import { formatVendorDate, parseVendorDate } from './vendor-dates';

const vietnam: MappingContext = {
  dates: { format: 'yyyyMMddHHmmss', zone: 'Asia/Ho_Chi_Minh' },
  statusCodes: { '2': 'received', '9': 'result_ready' },
};

describe('compileMapping', () => {
  it('maps with the bridge helpers and NFC output', async () => {
    const mapping = compileMapping(
      'submitResponse',
      'R.{ "code": MaHoSo, "at": $fromVendorDate(Ngay), "status": $status(TrangThai), "name": Ten }',
      vietnam,
    );
    expect(
      await mapping({
        R: { MaHoSo: 'HS-1', Ngay: '20250916093512', TrangThai: '2', Ten: 'Hải Châu'.normalize('NFD') },
      }),
    ).toEqual({
      code: 'HS-1',
      at: '2025-09-16T09:35:12+07:00',
      status: 'received',
      name: 'Hải Châu'.normalize('NFC'),
    });
  });

  it('evaluates expressions beyond the common subset with JSONata', async () => {
    const mapping = compileMapping(
      'x',
      '{ "name": $uppercase(name), "total": $sum(items.price) * 2 }',
      vietnam,
    );
    expect(await mapping({ name: 'phường', items: [{ price: 1 }, { price: 2.5 }] })).toEqual({
      name: 'PHƯỜNG',
      total: 7,
    });
  });

  it('reports an unknown status code by name', async () => {
    const mapping = compileMapping('statusChange', '{ "status": $status(TrangThai) }', vietnam);
    await expect(mapping({ TrangThai: '99' })).rejects.toThrow(
      'agency status code "99" is not in the agency\'s status table (known: 2, 9)',
    );
  });

  it('reports a type error in JSONata’s words, naming the mapping', async () => {
    const mapping = compileMapping('submitRequest', '{ "address": $join([line, number], ", ") }', vietnam);
    const failure = mapping({ line: '12 Trần Phú', number: 12 });
    await expect(failure).rejects.toBeInstanceOf(IntegrationError);
    await expect(failure).rejects.toThrow(
      'mapping "submitRequest" failed: Argument 1 of function "join" must be an array of "strings"',
    );
  });
});

describe('mapping budget', () => {
  /** Doubles its work per level: 2^40 calls. JSONata evaluates it (`<`, `+`, `-` are outside the subset). */
  const EXPONENTIAL = '( $f := function($n) { $n < 1 ? 1 : $f($n - 1) + $f($n - 1) }; $f(40) )';

  it('stops an exponential mapping at the time budget, PERMANENT, naming the mapping and the limit', async () => {
    const mapping = compileMapping('submitRequest', EXPONENTIAL, {
      ...vietnam,
      limits: { mappingTimeMs: 80 },
    });
    // A timer due during the evaluation runs right after it: the event loop was held only that long.
    let timerLateBy = -1;
    const scheduled = Date.now();
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        timerLateBy = Date.now() - scheduled - 10;
        resolve();
      }, 10),
    );
    const started = Date.now();
    const failure = await mapping({}).catch((error: unknown) => error);
    const elapsed = Date.now() - started;
    await timer;
    expect(failure).toBeInstanceOf(MappingBudgetError);
    expect(failure).toMatchObject({
      code: IntegrationErrorCode.PERMANENT,
      message:
        'mapping "submitRequest" ran longer than its time budget of 80 ms (adapter.limits.mappingTimeMs)',
    });
    expect(elapsed).toBeGreaterThanOrEqual(80);
    expect(elapsed).toBeLessThan(1_000);
    expect(timerLateBy).toBeLessThan(1_000);
  });

  it('stops a recursion without end at the depth limit', async () => {
    const mapping = compileMapping('statusChange', '( $f := function($n) { 1 + $f($n + 1) }; $f(0) )', {
      ...vietnam,
      limits: { mappingDepth: 60 },
    });
    await expect(mapping({})).rejects.toMatchObject({
      code: IntegrationErrorCode.PERMANENT,
      message:
        'mapping "statusChange" nested deeper than its depth limit of 60 (adapter.limits.mappingDepth)',
    });
  });

  it('stops the synchronous evaluator too, without handing the evaluation to JSONata', async () => {
    resetMappingFallbacks();
    const endless = '( $f := function($x) { [$f($x)] }; $f(1) )';
    const mapping = compileMapping('pollResponse', endless, {
      ...vietnam,
      agency: 'A',
      limits: { mappingDepth: 50 },
    });
    await expect(mapping({})).rejects.toThrow('nested deeper than its depth limit of 50');
    expect(mappingFallbackCounts('A')).toEqual([]);
  });

  it('gives each JSONata evaluation its own budget when many dossiers are mapped at once', async () => {
    // 2^6 calls through `<`, `+` and `-`: JSONata evaluates it, a few milliseconds alone.
    const budgetMs = 200;
    const mapping = compileMapping(
      'submitRequest',
      '( $f := function($n) { $n < 1 ? 1 : $f($n - 1) + $f($n - 1) }; $f(5) )',
      {
        ...vietnam,
        limits: { mappingTimeMs: budgetMs },
      },
    );
    await mapping({});
    const started = Date.now();
    expect(await mapping({})).toBe(32);
    const alone = Math.max(Date.now() - started, 1);
    // Enough at once that, sharing one clock, together they would run past the budget.
    const many = Math.ceil((3 * budgetMs) / alone);
    const outcomes = await Promise.allSettled(Array.from({ length: many }, () => mapping({})));
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
    expect({ many, failures }).toEqual({ many, failures: [] });
  });

  it('leaves mappings within the budget alone', async () => {
    const mapping = compileMapping('x', '( $f := function($n) { $n < 1 ? 0 : 1 + $f($n - 1) }; $f(20) )', {
      ...vietnam,
      limits: { mappingTimeMs: 1_000, mappingDepth: 200 },
    });
    expect(await mapping({})).toBe(20);
  });
});

describe('fallbacks to JSONata', () => {
  beforeEach(() => resetMappingFallbacks());

  it('counts each evaluation JSONata makes, per agency and mapping', async () => {
    const a = { ...vietnam, agency: '000.00.05.H48' };
    const outside = compileMapping('submitRequest', '{ "name": $uppercase(name) }', a);
    const inside = compileMapping('submitResponse', '{ "code": MaHoSo }', a);
    // `$join` of a number is a case the subset leaves to JSONata at run time only.
    const sometimes = compileMapping('statusChange', '$join([a, b], "-")', { ...vietnam, agency: 'B' });
    await outside({ name: 'x' });
    await outside({ name: 'y' });
    await inside({ MaHoSo: 'HS-1' });
    await sometimes({ a: 'x', b: 'y' });
    await sometimes({ a: 'x', b: 1 }).catch(() => undefined);
    expect(mappingFallbackCounts()).toEqual([
      { agency: '000.00.05.H48', mapping: 'submitRequest', count: 2 },
      { agency: 'B', mapping: 'statusChange', count: 1 },
    ]);
    expect(mappingFallbackCounts('B')).toEqual([{ agency: 'B', mapping: 'statusChange', count: 1 }]);
  });

  it('compiles the same mappings once for thousands of agencies, each still counting its own fallbacks', async () => {
    const mappings = {
      submitRequest: `{ "name": $uppercase(name), "tag": "${Math.random()}" }`,
      submitResponse: `{ "code": MaHoSo, "tag": "${Math.random()}" }`,
    };
    const before = sharedCompiledMappings();
    const sets = Array.from({ length: 2_000 }, (_, i) =>
      compileMappings(mappings, { ...vietnam, agency: `A-${i}` }),
    );
    // One compiled pair for all 2,000 agencies (a set costs about 200 KB: 400 MB otherwise).
    expect(sharedCompiledMappings() - before).toBe(2);
    await sets[7].submitRequest!({ name: 'x' });
    await sets[1_999].submitRequest!({ name: 'y' });
    await sets[1_999].submitRequest!({ name: 'z' });
    expect(mappingFallbackCounts()).toEqual([
      { agency: 'A-1999', mapping: 'submitRequest', count: 2 },
      { agency: 'A-7', mapping: 'submitRequest', count: 1 },
    ]);
  });

  it('does not count mappings compiled for no agency (validation, tools)', async () => {
    await compileMapping('x', '$uppercase(name)', vietnam)({ name: 'x' });
    expect(mappingFallbackCounts()).toEqual([]);
  });
});

describe('vendor dates', () => {
  const zones = ['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC'];
  const formats = ['yyyyMMddHHmmss', 'dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy'];
  const HOUR = 3_600_000;
  /** Instants when one of the zones changed offset in a few sample years. */
  const changes = zones.flatMap((zone) =>
    [1996, 2011, 2025, 2038].flatMap((year) => {
      const offset = (t: number) => DateTime.fromMillis(t, { zone }).offset;
      const found: number[] = [];
      for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += 24 * HOUR) {
        if (offset(day) === offset(day + 24 * HOUR)) continue;
        let t = day;
        while (offset(t + HOUR) === offset(day)) t += HOUR;
        found.push(t + HOUR);
      }
      return found;
    }),
  );
  const instants = fc.oneof(
    fc.date({ min: new Date('1890-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }),
    fc
      .tuple(fc.constantFrom(...changes), fc.integer({ min: -3 * HOUR, max: 3 * HOUR }))
      .map(([change, shift]) => new Date(change + shift - (shift % 1000))),
  );

  it('finds offset changes to test around', () => {
    expect(changes.length).toBeGreaterThan(20);
  });

  it('parses local vendor dates as Luxon does in the agency zone, DST changes included', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.constantFrom(...formats), instants, (zone, format, date) => {
        const text = DateTime.fromJSDate(date, { zone: 'UTC' }).toFormat(format);
        const expected = DateTime.fromFormat(text, format, { zone }).toISO({ suppressMilliseconds: true });
        expect(parseVendorDate(text, { format, zone })).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('formats instants in the agency zone as Luxon does, DST changes included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...formats, 'iso'),
        instants,
        (zone, format, date) => {
          const iso = date.toISOString();
          const local = DateTime.fromISO(iso, { setZone: true }).setZone(zone);
          const expected =
            format === 'iso' ? local.toISO({ suppressMilliseconds: true }) : local.toFormat(format);
          expect(formatVendorDate(iso, { format, zone })).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads the hour that does not exist and the hour that happens twice as Luxon does', () => {
    const berlin = { format: 'dd/MM/yyyy HH:mm:ss', zone: 'Europe/Berlin' };
    expect(parseVendorDate('30/03/2025 02:30:00', berlin)).toBe('2025-03-30T03:30:00+02:00');
    expect(parseVendorDate('26/10/2025 02:30:00', berlin)).toBe('2025-10-26T02:30:00+01:00');
    // Lord Howe Island moves its clocks by half an hour: 02:00 to 02:29 do not exist.
    const lordHowe = { format: 'yyyyMMddHHmmss', zone: 'Australia/Lord_Howe' };
    expect(parseVendorDate('19961027020000', lordHowe)).toBe('1996-10-27T02:30:00+11:00');
    expect(parseVendorDate('19961027023000', lordHowe)).toBe('1996-10-27T02:30:00+11:00');
    expect(formatVendorDate('2025-10-26T00:30:00Z', berlin)).toBe('26/10/2025 02:30:00');
    expect(formatVendorDate('2025-10-26T01:30:00Z', berlin)).toBe('26/10/2025 02:30:00');
  });

  it('agrees with Luxon on odd texts, failures included', () => {
    const outcome = (run: () => string | null) => {
      try {
        return run();
      } catch {
        return 'refused';
      }
    };
    const { format, zone } = vietnam.dates;
    for (const text of [
      '00000101000000',
      '99991231235959',
      '20250229000000',
      ' 20250916093512 ',
      '2025091609351',
    ]) {
      const luxon = DateTime.fromFormat(text.trim(), format, { zone });
      const expected = luxon.isValid ? luxon.toISO({ suppressMilliseconds: true }) : 'refused';
      expect(outcome(() => parseVendorDate(text, vietnam.dates))).toBe(expected);
    }
    for (const iso of [
      '2025-09-16T02:20:00.5+07:00',
      '2025-09-16T02:20:00.999-03:30',
      '2025-09-16T02:20:00+0700',
      '2025-09-16',
      '2025-09-16T24:00:00Z',
      '1899-12-31T23:59:59Z',
      '2025-02-29T00:00:00Z',
      'nonsense',
    ]) {
      const luxon = DateTime.fromISO(iso, { setZone: true });
      const expected = luxon.isValid ? luxon.setZone(zone).toFormat(format) : 'refused';
      expect(outcome(() => formatVendorDate(iso, vietnam.dates))).toBe(expected);
    }
  });

  it('refuses a date that does not match the format', () => {
    expect(() => parseVendorDate('2025-09-16', vietnam.dates)).toThrow(
      'date "2025-09-16" does not match the agency\'s format yyyyMMddHHmmss',
    );
  });
});
