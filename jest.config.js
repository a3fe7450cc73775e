/** One runner, three tiers: unit specs beside the code, integration specs against the real
 * services, end-to-end specs under test/ with real processes. */
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target}`,
  ]),
);

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
  // Integration tests talk to real services; unit tests finish long before this.
  testTimeout: 60_000,
  // Most suites wait on services and child processes, not on the CPU: two test files at a time
  // keep a 2-core machine busy without starving the bridge processes under test.
  maxWorkers: 2,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,adapters}/**/*.spec.ts', '<rootDir>/test/repo/*.spec.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,adapters}/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      // The three-node RabbitMQ cluster takes minutes to start on two cores: it runs with the long
      // fault scenarios (`npm run faults`), not in every `npm test`.
      testPathIgnorePatterns: process.env.BRIDGE_LONG_FAULTS ? [] : ['<rootDir>/test/faults/rabbit-cluster'],
    },
  ],
};
