// @ts-check
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import prettier from 'eslint-config-prettier';

/** Which layer may import which: adapters see only the SDK and the domain; the domain sees nothing. */
const elements = [
  { type: 'domain', pattern: 'libs/domain' },
  { type: 'config', pattern: 'libs/config' },
  { type: 'adapter-sdk', pattern: 'libs/adapter-sdk' },
  { type: 'persistence', pattern: 'libs/persistence' },
  { type: 'messaging', pattern: 'libs/messaging' },
  { type: 'queues', pattern: 'libs/queues' },
  { type: 'core', pattern: 'libs/core' },
  { type: 'adapter', pattern: 'adapters/*', capture: ['kind'] },
  { type: 'app', pattern: 'apps/*', capture: ['app'] },
  { type: 'test', pattern: 'test' },
];

/** `from` may depend on the listed element types (and on one more element, e.g. its own kind). */
function policy(from, types, also) {
  const to = [{ element: { types: { anyOf: types } } }];
  if (also) to.push({ element: also });
  return { from: { element: { type: from } }, allow: to.map((t) => ({ to: t })) };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/fixtures/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'boundaries/include': ['apps/**', 'libs/**', 'adapters/**', 'test/**'],
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@bridge/*/*'],
              message: 'Import a library through its public index (@bridge/<lib>), not its internals.',
            },
            {
              group: ['**/libs/*/src/*', '**/adapters/*/src/*', '../../libs/**', '../../../libs/**'],
              message: 'Cross-package relative imports are not allowed; use the @bridge/* alias.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@bridge/*'], message: 'libs/domain depends on nothing else in the bridge.' },
            {
              group: [
                '@nestjs/*',
                'typeorm',
                'pg',
                'amqplib',
                'bullmq',
                'ioredis',
                'node:fs',
                'fs',
                'node:net',
                'node:http',
              ],
              message: 'libs/domain does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['adapters/**/*.ts', 'libs/adapter-sdk/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'Adapter code has no Nest dependency.' },
            {
              group: [
                '@bridge/persistence',
                '@bridge/messaging',
                '@bridge/queues',
                '@bridge/core',
                '@bridge/config',
              ],
              message: 'Adapters depend only on @bridge/adapter-sdk and @bridge/domain.',
            },
            { group: ['@bridge/*/*'], message: 'Import a library through its public index.' },
          ],
        },
      ],
    },
  },
  {
    // Adapter packages are loaded through the registry only, so the rest of the bridge sees the
    // SDK contract and a new kind is one registry line. Type-only imports load nothing and stay
    // allowed. The exceptions are tools about one kind: the CLI's WSDL and OpenAPI importers, the
    // simulator's agency history (written in a kind's own protocol) and the benchmarks of one
    // kind's internals.
    files: ['libs/core/**/*.ts', 'apps/**/*.ts'],
    ignores: [
      'libs/core/src/agencies/adapter-registry.ts',
      'apps/cli/src/commands/wsdl/wsdl-import.command.ts',
      'apps/cli/src/commands/openapi/openapi-import.command.ts',
      'apps/simulator/src/support/agency-history.ts',
      'apps/simulator/src/bench/csv-throughput.ts',
      'apps/simulator/src/bench/soap-mapping-cost.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@bridge/adapter-*', '!@bridge/adapter-sdk'],
              allowTypeImports: true,
              message:
                'Only libs/core/src/agencies/adapter-registry.ts imports adapters; use the registry or @bridge/adapter-sdk.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { 'boundaries/dependencies': 'off' },
  },
  {
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            policy('domain', ['domain']),
            policy('config', ['config']),
            policy('adapter-sdk', ['domain', 'adapter-sdk']),
            policy('adapter', ['domain', 'adapter-sdk'], {
              type: 'adapter',
              captured: { kind: '{{ from.element.captured.kind }}' },
            }),
            policy('persistence', ['domain', 'config', 'persistence']),
            policy('messaging', ['domain', 'config', 'persistence', 'messaging']),
            policy('queues', ['domain', 'config', 'adapter-sdk', 'persistence', 'queues']),
            policy('core', [
              'domain',
              'config',
              'adapter-sdk',
              'persistence',
              'messaging',
              'queues',
              'core',
              'adapter',
            ]),
            policy(
              'app',
              ['domain', 'config', 'adapter-sdk', 'persistence', 'messaging', 'queues', 'core', 'adapter'],
              {
                type: 'app',
                captured: { app: '{{ from.element.captured.app }}' },
              },
            ),
            policy('test', [
              'domain',
              'config',
              'adapter-sdk',
              'persistence',
              'messaging',
              'queues',
              'core',
              'adapter',
              'app',
              'test',
            ]),
          ],
        },
      ],
    },
  },
);
