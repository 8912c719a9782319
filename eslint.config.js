// ESLint (flat config): typescript-eslint strict with type information, plus the
// invariants this codebase relies on, written as rules so a reviewer need not catch them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';


export default tseslint.config(
  { ignores: ['.scratch/**', 'node_modules/**', 'public/**', 'src/platform/views/assets/**', 'data/**', '.test-tmp/**', 'drizzle/**', 'coverage/**', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'bin/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // Fastify handlers and hooks are async by convention, awaited or not.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
    },
  },
  {
    // The rules engine is pure: no I/O, no clock, no database, no web framework.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts', 'src/domain/**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'http', 'child_process'], message: 'src/domain is pure: no I/O.' },
            { group: ['drizzle-orm*', 'pg', '@electric-sql/*', 'fastify*', '@fastify/*'], message: 'src/domain is pure: no database or web framework.' },
            { group: ['**/platform/**', '**/modules/**'], message: 'src/domain depends on nothing else in the app.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No hidden clock in the rules: pass asOf.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'No hidden clock in the rules: pass asOf.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'The rules are deterministic.' },
      ],
    },
  },
  {
    // One door to the data: in the modules, only data-layer files (schema.ts, *.queries.ts,
    // *.repository.ts) import drizzle-orm; services use ctx.data and those files' functions.
    // Tests, test helpers and the platform (which builds the door) may import it.
    files: ['src/modules/**/*.ts'],
    ignores: ['src/modules/**/schema.ts', 'src/modules/**/*.queries.ts', 'src/modules/**/*.repository.ts', 'src/modules/**/*.test.ts', 'src/modules/**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['drizzle-orm', 'drizzle-orm/*'],
              message: 'Only data-layer files (schema.ts, *.queries.ts, *.repository.ts) import drizzle-orm: put the query there and call it through ctx.data.',
            },
          ],
        },
      ],
    },
  },
  {
    // Routes stay thin: they never touch the database; services and queries do.
    files: ['src/modules/**/routes.ts', 'src/platform/auth/routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/db/schema*', 'drizzle-orm*'], message: 'Routes call services; database access lives in services and queries.' }] },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'e2e/**', 'bench/**', 'scripts/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
