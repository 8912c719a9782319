/**
 * Module boundaries (issue #12, docs/decisions): checked in CI by `npm run check:deps`.
 *  - src/platform imports no module;
 *  - src/domain imports nothing outside src/domain;
 *  - a module imports another module only through that module's index.ts (its front door);
 *  - no cycles between modules.
 */
module.exports = {
  forbidden: [
    {
      name: 'platform-imports-no-module',
      comment: 'Cross-cutting code in src/platform may not depend on a capability module.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'The legal rules in src/domain import only each other (no platform, no modules).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(platform|modules|cli)/' },
    },
    {
      name: 'module-front-door',
      comment: 'Another module is reached only through its index.ts.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-module-cycles',
      comment: 'Modules may not depend on each other in a circle.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.test\\.ts$|/testing/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
