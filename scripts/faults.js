#!/usr/bin/env node
// Runs the fault suites (test/faults) N times in a row, with the parallelism of `npm test`
// (jest, two workers), printing each round's summary lines — every scenario's figures and
// jest's totals — and a total at the end. Exits non-zero when any round failed.
//
//   npm run faults -- --repeat 5
const { spawn, spawnSync } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function repeatCount(argv) {
  const at = argv.findIndex((a) => a === '--repeat' || a.startsWith('--repeat='));
  if (at === -1) return 1;
  const raw = argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    console.error(`faults: --repeat takes a whole number from 1 to 100, got "${raw ?? ''}"`);
    process.exit(2);
  }
  return n;
}

/** One jest run of the fault suites; resolves with its exit code and its summary lines. */
function round() {
  return new Promise((resolve) => {
    const jest = spawn(
      process.execPath,
      [require.resolve('jest/bin/jest'), 'test/faults', '--selectProjects', 'integration', '--maxWorkers=2'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BRIDGE_LONG_FAULTS: '1' } },
    );
    const lines = [];
    const output = [];
    let rest = '';
    const take = (chunk) => {
      const text = rest + chunk.toString();
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        output.push(line);
        // Scenario figures, failed tests and jest's totals; the rest stays in the jest output.
        if (/^faults |^\s*(Tests|Test Suites|Time):|✕|^FAIL /.test(line)) lines.push(line.trimEnd());
      }
    };
    jest.stdout.on('data', take);
    jest.stderr.on('data', take);
    jest.on('close', (code) => resolve({ code: code ?? 1, lines, output }));
  });
}

function counts(lines, label) {
  const line = lines.find((l) => l.trim().startsWith(`${label}:`)) ?? '';
  const figure = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return { passed: figure('passed'), failed: figure('failed') };
}

/**
 * A failed round keeps jest's whole output in fault-results/ and prints each failure's block
 * (the test, the assertion, where), and each scenario's bridge output the test printed: a fault
 * that shows once in five rounds must be diagnosable from the run that showed it.
 */
function explainFailure(i, output) {
  const dir = join(root, 'fault-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `round-${i}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  writeFileSync(file, output.join('\n'));
  console.log(`--- round ${i}: jest's whole output is in ${file}; the failures:`);
  output.forEach((line, at) => {
    if (/^\s*● (?!Console)/.test(line)) for (const l of output.slice(at, at + 30)) console.log(l);
  });
}

async function main() {
  const n = repeatCount(process.argv.slice(2));
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const total = { rounds: 0, failedRounds: 0, passed: 0, failed: 0 };
  for (let i = 1; i <= n; i++) {
    const started = Date.now();
    const { code, lines, output } = await round();
    const tests = counts(lines, 'Tests');
    total.rounds++;
    total.passed += tests.passed;
    total.failed += tests.failed;
    if (code !== 0) total.failedRounds++;
    console.log(
      `\n=== faults round ${i} of ${n}: ${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`,
    );
    for (const line of lines) console.log(line);
    if (code !== 0) explainFailure(i, output);
  }
  console.log(
    `\n=== faults total: ${total.rounds} rounds, ${total.rounds - total.failedRounds} passed, ` +
      `${total.failedRounds} failed; tests ${total.passed} passed, ${total.failed} failed`,
  );
  process.exit(total.failedRounds === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
