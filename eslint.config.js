import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Files .gitattributes marks `linguist-generated`: generated, so not linted. */
const generated = readFileSync(new URL('./.gitattributes', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => /\blinguist-generated(=true)?\b/.test(line) && !line.startsWith('#'))
  .map((line) => line.split(/\s+/)[0])
  .map((pattern) => (pattern.endsWith('/**') ? pattern.slice(0, -2) : pattern));

export default tseslint.config(
  {
    ignores: ['node_modules/', 'coverage/', 'test/fixtures/', '.build/', ...generated],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Shipped code stays readable: a function fits a screen, a file holds one concern.
    files: ['actions/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['scripts/**', 'test/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // An expect() inside a catch passes when nothing throws: use expect(…).rejects/toThrow.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CatchClause CallExpression[callee.name="expect"]',
          message:
            'An assertion inside catch passes when nothing throws: use expect(fn).toThrow() or expect(promise).rejects.',
        },
      ],
    },
  },
  prettier,
);
