import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsonata from 'jsonata';
import { parse } from 'yaml';
import { normalizeDeep } from '@bridge/domain';
import { DEFAULT_ADAPTER_LIMITS } from '../adapter-limits';
import { BudgetExceeded } from './evaluation-budget';
import { compileSync, MappingFunction } from './jsonata-compiler';
import { Unsupported } from './jsonata-values';

const ROOT = join(__dirname, '..', '..', '..', '..');
/** Far more than any of these expressions needs. */
const GENEROUS = { timeMs: 60_000, depth: 1_000 };

/** Every mapping of every agency file in the repository: config/agencies and the adapters' fixtures. */
function agencyMappings(): { where: string; expression: string }[] {
  const folders = ['config/agencies', 'adapters'];
  const files = folders.flatMap((folder) =>
    (readdirSync(join(ROOT, folder), { recursive: true }) as string[])
      .filter((file) => /\.ya?ml$/.test(file) && !file.includes('node_modules'))
      .map((file) => join(folder, file)),
  );
  const seen = new Map<string, string>();
  for (const file of files) {
    const agency = parse(readFileSync(join(ROOT, file), 'utf8')) as {
      adapter?: { mappings?: Record<string, unknown> };
    } | null;
    for (const [name, expression] of Object.entries(agency?.adapter?.mappings ?? {})) {
      if (typeof expression === 'string' && !seen.has(expression)) seen.set(expression, `${file} ${name}`);
    }
  }
  return [...seen].map(([expression, where]) => ({ where, expression }));
}

/** Stand-ins for the bridge's helpers: pure, and one of them fails like `$status` on an unknown code. */
const helpers: Record<string, MappingFunction> = {
  toVendorDate: (iso, format) =>
    iso === undefined ? undefined : `D:${JSON.stringify(iso)}:${String(format)}`,
  fromVendorDate: (text, format) =>
    text === undefined || text === '' ? undefined : `F:${JSON.stringify(text)}:${String(format)}`,
  status: (code) => {
    if (code === 'bad') throw new Error('unknown status code');
    return `S:${JSON.stringify(code)}`;
  },
  vendorStatus: (status) => status,
  nfc: (text) => text,
};

function jsonataWithHelpers(expression: string): jsonata.Expression {
  const compiled = jsonata(expression);
  for (const [name, implementation] of Object.entries(helpers))
    compiled.registerFunction(name, implementation);
  return compiled;
}

type Outcome = { value: unknown } | { error: unknown };

async function viaJsonata(expression: jsonata.Expression, input: unknown): Promise<Outcome> {
  try {
    return { value: normalizeDeep(await expression.evaluate(structuredClone(input))) };
  } catch (error) {
    return { error };
  }
}

function viaSync(expression: (input: unknown) => unknown, input: unknown): Outcome {
  try {
    return { value: normalizeDeep(expression(structuredClone(input))) };
  } catch (error) {
    return { error };
  }
}

/** Field names and string literals of an expression, so random inputs hit its paths and tests. */
function vocabulary(expression: jsonata.Expression): { names: string[]; literals: string[] } {
  const names = new Set<string>();
  const literals = new Set<string>(['bad']);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const n = node as { type?: string; value?: unknown };
    if (n.type === 'name') names.add(String(n.value));
    if (n.type === 'string') literals.add(String(n.value));
    Object.values(node).forEach(walk);
  };
  walk(expression.ast());
  return { names: [...names], literals: [...literals] };
}

function inputsFor(words: { names: string[]; literals: string[] }): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constantFrom(...words.literals),
    fc.string({ maxLength: 4 }),
    fc.integer({ min: -3, max: 3 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const { node } = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.dictionary(fc.constantFrom(...words.names), tie('node'), { maxKeys: 6 }),
      fc.array(tie('node'), { maxLength: 3 }),
    ),
  }));
  return fc.oneof(node, fc.dictionary(fc.constantFrom(...words.names), node, { minKeys: 1 }));
}

const RECORDED_INPUTS = [
  'adapters/soap/fixtures/requests/nop-ho-so.submission.json',
  'adapters/soap/fixtures/requests/nop-ho-so-to-chuc.submission.json',
  'adapters/rest/fixtures/submission.json',
  'adapters/rest/fixtures/supplement.json',
  'adapters/rest/fixtures/delivery.json',
  'adapters/rest/fixtures/submit-response.json',
  'adapters/rest/fixtures/lookup-response.json',
  'adapters/rest/fixtures/lookup-response-empty.json',
  'adapters/rest/fixtures/poll-response.json',
  'adapters/rest/fixtures/callback-batch.json',
].map((file) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as unknown);

describe('compileSync', () => {
  const mappings = agencyMappings();

  it('finds the agency files’ mappings', () => {
    expect(mappings.length).toBeGreaterThan(20);
  });

  it('compiles every mapping of every agency file in the repository', () => {
    const outside = mappings.filter(
      ({ expression }) => !compileSync(jsonataWithHelpers(expression), helpers, GENEROUS),
    );
    expect(outside.map(({ where }) => where)).toEqual([]);
  });

  it.each(mappings.map(({ where, expression }) => [where, expression]))(
    '%s gives what JSONata gives, on recorded and random inputs',
    async (_where, expression) => {
      const reference = jsonataWithHelpers(expression);
      const sync = compileSync(reference, helpers, GENEROUS)!;
      const agree = async (input: unknown) => {
        const expected = await viaJsonata(reference, input);
        const actual = viaSync(sync, input);
        // A failure hands the input to JSONata; it must not fail where JSONata succeeds but
        // for a case it leaves to JSONata.
        if ('value' in actual) expect(actual).toStrictEqual(expected);
        else if ('value' in expected) expect(actual.error).toBeInstanceOf(Unsupported);
      };
      for (const input of RECORDED_INPUTS) await agree(input);
      await fc.assert(fc.asyncProperty(inputsFor(vocabulary(reference)), agree), { numRuns: 150 });
    },
  );

  /** The rest of the subset: singleton arrays, index and numeric filters, `!=`, `and`, `or`, tail calls... */
  const SUBSET = [
    'a.b[]',
    'a[0].b',
    'a[-1]',
    'a[b = "x"].c',
    'a[[0, 2]]',
    'a[b][c]',
    'a.b[0]',
    '(a.b)[1]',
    'a = b',
    'a != b.c',
    'a.b and c',
    'a or b.c',
    '$exists(a.b) ? a.b : c',
    '$$.a.b',
    '$.a',
    '[a, [b], c.d]',
    '{ "k": a.b, "l": [c], "m": a[] }',
    'a.{ "x": b, "y": $string(c) }',
    'a.(b & "-" & c)',
    '$join(a.b, ",")',
    '$join([a, b.c])',
    '$sum(a.b)',
    '$string(a)',
    '( $f := function($x) { $x.b & "-" }; $f(a) )',
    '( $g := function($y) { $string($y) }; $f := function($x) { $x ? $g($x) : "none" }; $f(a.b) )',
    '( $x := a.b; $y := $x.c; { "x": $x, "y": $y } )',
    // A name bound again in its frame, shadowed by a lambda's parameter and by an inner block.
    '( $x := a; $x := $x.b; $x )',
    '( $x := a; $f := function($x) { $x.b }; [$f(c), $x] )',
    '( $x := a; [( $x := b; $x ), $x] )',
    '$toVendorDate(a.b, c)',
    '$status(a)',
  ];

  it.each(SUBSET)('%s gives what JSONata gives', async (expression) => {
    const reference = jsonataWithHelpers(expression);
    const sync = compileSync(reference, helpers, GENEROUS);
    expect(sync).not.toBeNull();
    await fc.assert(
      fc.asyncProperty(inputsFor({ names: ['a', 'b', 'c', 'd'], literals: ['x', 'bad'] }), async (input) => {
        const expected = await viaJsonata(reference, input);
        const actual = viaSync(sync!, input);
        if ('value' in actual) expect(actual).toStrictEqual(expected);
        else if ('value' in expected) expect(actual.error).toBeInstanceOf(Unsupported);
      }),
      { numRuns: 300 },
    );
  });

  it('evaluates vendor A’s recorded submission without giving up', () => {
    const agency = parse(readFileSync(join(ROOT, 'adapters/soap/fixtures/agency.example.yaml'), 'utf8')) as {
      adapter: { mappings: Record<string, string> };
    };
    const sync = compileSync(jsonataWithHelpers(agency.adapter.mappings.submitRequest), helpers, GENEROUS)!;
    expect(sync(RECORDED_INPUTS[0])).toMatchObject({ HoSo: { MaTTHC: '1.001612', LoaiDoiTuong: '1' } });
  });

  it('leaves what it does not cover to JSONata', () => {
    for (const expression of [
      '$uppercase(name)',
      'Account.Order{ OrderID: Price }',
      'a ~> $string()',
      'a + 1',
    ]) {
      expect(compileSync(jsonataWithHelpers(expression), helpers, GENEROUS)).toBeNull();
    }
  });
});

describe('compileSync within a budget', () => {
  const limits = { timeMs: 50, depth: 200 };
  const thrown = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('stops an exponential recursion inside the subset at the time budget', () => {
    // Two calls per level, 36 levels: 2^36 calls, years of work, written with `&`, `=` and `[]` only.
    const exponential = jsonataWithHelpers(
      `( $f := function($s) { $s = "${'x'.repeat(36)}" ? 1 : [$f($s & "x"), $f($s & "x")] }; $f("") )`,
    );
    const sync = compileSync(exponential, helpers, limits);
    expect(sync).not.toBeNull();
    const started = Date.now();
    const error = thrown(() => sync!({}));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(BudgetExceeded);
    expect(error).toMatchObject({ limit: 'time', value: 50 });
    expect(elapsed).toBeGreaterThanOrEqual(50);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('stops a recursion without end at the depth limit', () => {
    const endless = compileSync(
      jsonataWithHelpers('( $f := function($x) { [$f($x)] }; $f(1) )'),
      helpers,
      limits,
    );
    expect(thrown(() => endless!({}))).toMatchObject({ limit: 'depth', value: 200 });
  });

  it('counts depth as JSONata does, within a node', async () => {
    // Recursion as deep as the input: the deepest input each evaluator accepts under one limit.
    const expression = '( $f := function($x) { $exists($x.next) ? [$f($x.next)] : 0 }; $f($) )';
    const nested = (n: number) => {
      let value: object = {};
      for (let i = 0; i < n; i++) value = { next: value };
      return value;
    };
    const sync = compileSync(jsonataWithHelpers(expression), helpers, { timeMs: 10_000, depth: 200 })!;
    const reference = jsonata(expression, { stack: 200, timeout: 10_000 });
    let deepestSync = 0;
    while (thrown(() => sync(nested(deepestSync + 1))) === undefined) deepestSync += 1;
    let deepestJsonata = 0;
    while ('value' in (await viaJsonata(reference, nested(deepestJsonata + 1)))) deepestJsonata += 1;
    expect(deepestSync).toBeGreaterThan(50);
    expect(Math.abs(deepestSync - deepestJsonata)).toBeLessThanOrEqual(1);
  });

  it('runs every mapping in the repository on the recorded inputs within the default budget', () => {
    const defaults = {
      timeMs: DEFAULT_ADAPTER_LIMITS.mappingTimeMs,
      depth: DEFAULT_ADAPTER_LIMITS.mappingDepth,
    };
    for (const { expression } of agencyMappings()) {
      const sync = compileSync(jsonataWithHelpers(expression), helpers, defaults)!;
      for (const input of RECORDED_INPUTS) {
        expect(thrown(() => sync(structuredClone(input)))).not.toBeInstanceOf(BudgetExceeded);
      }
    }
  });
});
