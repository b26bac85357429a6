// ESLint with typescript-eslint's type-checked rules (floating and misused promises among them) over the
// TypeScript, and the recommended rules over the plain JavaScript: the browser scripts and the start script.
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  // The CSL-JSON validator is ajv's generated code (scripts/csl-data-validator.ts).
  globalIgnores(['dist/', '.test-dist/', 'coverage/', 'test-artifacts/', 'src/catalogue/csl-data-validator.js']),
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Fastify plugins and route handlers are async functions by convention, awaiting or not.
      '@typescript-eslint/require-await': 'off',
      // A rest sibling leaves fields out of a copy: `const { month: _dropped, ...rest } = entry`.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // Passing on an error caught as `unknown` is not rejecting with a non-error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // Declarations of untyped modules describe their API, used or not.
    files: ['**/*.d.ts', '**/*.d.mts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
  {
    // Tests read JSON bodies and the output of untyped parsers as `any`, and assert their shape.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['public/**/*.js'], languageOptions: { globals: globals.browser } },
  { files: ['scripts/**/*.mjs', 'eslint.config.js'], languageOptions: { globals: globals.node } },
)
