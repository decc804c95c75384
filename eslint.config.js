// Lint: typescript-eslint, plus import zones that make a wrong cross-layer import fail lint:
// renderer -> no Node / electron / better-sqlite3; domain -> no I/O; only shells/electron -> electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'worker_threads',
  'stream',
  'url',
  'util',
  'module',
  'zlib',
  'dgram',
  'tls',
  'dns',
  'cluster',
  'readline',
  'process',
  'v8',
  'vm',
];
const nodePatterns = ['node:*', ...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `${m}/*`)];

const electronOnlyInShell = { name: 'electron', message: 'Only src-main/shells/electron may import electron.' };

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'tests/artifacts/**',
      '.native/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnlyInShell] }],
    },
  },
  {
    files: ['src-main/shells/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-main/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell, { name: 'better-sqlite3', message: 'domain/ is pure: no I/O.' }],
          patterns: [
            { group: nodePatterns, message: 'domain/ is pure: no Node I/O modules.' },
            {
              group: ['**/store/**', '**/services/**', '**/shells/**', '**/sync/**', '**/export/**', '**/log', '**/log.ts'],
              message: 'domain/ may not reach into I/O layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to main only through the api client.' },
            { name: 'better-sqlite3', message: 'The renderer never touches SQLite.' },
          ],
          patterns: [
            { group: nodePatterns, message: 'The renderer runs in a browser: no Node modules.' },
            {
              regex: 'src-main/(?!api/(contract|types|result|bridge|define)\\.ts$|api/methods/)',
              message: 'The renderer may import only the api contract and its types from src-main.',
            },
          ],
        },
      ],
    },
  },
);
