// @ts-check
// `npm run lint`: typescript-eslint's type-aware recommended rules, and the layering of
// docs/architecture.md as import rules, so a wrong-way import fails CI instead of waiting for a
// reviewer to notice it.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Files that exist only for tests: never imported by the product, never compiled into dist/. */
const testSupport = ['**/*.test.ts', '**/*.contract.ts', 'src/testing/**', 'test/**'];

/** The folders of the product's use cases and screens, which nothing below them may know. */
const useCases = [
  'src/app',
  'src/bot',
  'src/http',
  'src/dashboard',
  'src/pipeline',
  'src/scheduling',
  'src/ops',
];

const domainZone = {
  target: 'src/domain',
  from: 'src',
  except: ['./domain', './errors'],
  message:
    'The domain is pure: it imports nothing outside src/domain but the error vocabulary (src/errors).',
};

/** Who may not import whom, for product code (tests may reach across layers to set a scene up). */
const productZones = [
  domainZone,
  {
    target: 'src/errors',
    from: 'src',
    except: ['./errors'],
    message:
      'The error vocabulary is the base of every layer: it imports nothing from the project.',
  },
  {
    target: 'src/ports',
    from: 'src',
    except: ['./ports', './domain', './errors'],
    message: 'A port is an interface in domain terms: it knows no adapter and no use case.',
  },
  {
    target: 'src/commands',
    from: [
      ...useCases,
      'src/projections',
      'src/database',
      'src/queries',
      'src/adapters',
      'src/catalog',
      'src/observability',
    ],
    message: 'Commands load, decide and append: they know no screen, no read model and no adapter.',
  },
  {
    target: 'src/projections',
    from: useCases,
    message:
      'Projections turn events into read models; the app, the bot, HTTP and the pipeline use them, not the other way round.',
  },
  {
    target: 'src/queries',
    from: useCases,
    message:
      'Queries read the read models for the screens, routes, reports and jobs; they know none of them.',
  },
  {
    target: 'src/consumers',
    from: [
      ...useCases,
      'src/projections/definitions',
      'src/projections/projection-runner.ts',
      'src/projections/projection-set.ts',
      'src/projections/projector.ts',
    ],
    message:
      'A checkpointed consumer reads the log for its processors; projections and the pipeline build on it, not the other way round.',
  },
  {
    target: 'src/adapters',
    from: [...useCases, 'src/commands'],
    message: 'Adapters implement ports; they never call a use case.',
  },
  {
    target: 'src/observability',
    from: ['src/app', 'src/bot', 'src/http'],
    message: 'Observability is served by HTTP, not built on it.',
  },
  {
    target: 'src',
    from: ['src/dev/**', ...testSupport],
    message: 'Product code never imports the dev tools (src/dev) or test helpers.',
  },
];

/** A package import from the domain other than these is I/O or a framework. */
const domainPackages = (extra) => ({
  patterns: [
    {
      regex: `^(?!(${['zod', ...extra].join('|')})(/|$)|\\.{1,2}/)`,
      message: 'The domain imports only zod (and, in its tests, the test libraries).',
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'data/**',
      'modal/**',
      'specs/**',
      'bench/out/**',
      'bench/render/.clips/**',
      'bench/render/.cache/**',
      'test-artifacts/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      // The boundary rules below resolve each import to a file; one that does not resolve would
      // slip past them, so an unresolved import is an error of its own.
      'import-x/no-unresolved': 'error',
      // Port implementations are `async` on purpose even when they do not await: a throw then
      // becomes a rejection, as callers of a Promise-returning method expect.
      '@typescript-eslint/require-await': 'off',
      // The interfaces declare their functions in method syntax (Decider.evolve, a spawned
      // process's stop) while the values are closures that never use `this`; passing them on is
      // how they are meant to be used.
      '@typescript-eslint/unbound-method': 'off',
      // Re-rejecting what was caught, or an AbortSignal's reason, passes the original error on.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // A leading underscore marks a value dropped on purpose (rest destructuring that removes a
      // field, a parameter an interface requires).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrors: 'none',
          ignoreRestSiblings: true,
        },
      ],
      // A `let` that a closure built before the value exists reads later (tying a knot) stays a
      // let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: testSupport,
    rules: {
      // Tests read JSON bodies, SDK mocks and fakes' requests as loosely typed values and check
      // their shape with expect(); typing each of them would only restate the assertions.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Ids read out of the loosely typed event data of a stream are printed in messages.
      '@typescript-eslint/no-base-to-string': 'off',
      // A test re-rejects what it caught with what it measured attached.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // Generated test data is built as literals cast to the command union; the rule calls the
      // casts unnecessary, but without them fast-check's map() widens the literals to string.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['src/dev/**/*.ts'],
    rules: {
      // The fakes and the demo print values read from loosely typed documents (OpenAPI files,
      // event data) as they are.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      // The domain's tests may also use the given/when/then helper in src/testing/domain; its
      // product files get the strict zone from the block below.
      'import-x/no-restricted-paths': [
        'error',
        { zones: [{ ...domainZone, except: ['./domain', './testing/domain'] }] },
      ],
      'no-restricted-imports': [
        'error',
        domainPackages(['vitest', 'fast-check', '@fast-check/vitest']),
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: [...testSupport, 'src/dev/**'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: productZones }],
    },
  },
  {
    // One place for the read side: a screen, route, report or job calls a query of src/queries
    // instead of selecting from a read-model table itself. Projections read the tables they write;
    // the job queue owns the pipeline's work table and a consumer its checkpoint row.
    files: ['src/**/*.ts'],
    ignores: [
      ...testSupport,
      'src/dev/**',
      'src/queries/**',
      'src/projections/**',
      'src/consumers/**',
      'src/pipeline/job-queue.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='selectFrom']",
          message: 'Read-model queries live in src/queries: call one from there (or add it there).',
        },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: testSupport,
    rules: {
      'no-restricted-imports': ['error', domainPackages([])],
    },
  },
  {
    files: ['src/dashboard/client/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['eslint.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
