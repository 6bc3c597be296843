/** Jest runs TypeScript through swc (no type-check here: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // A cap that turns a hang into a failure, not a wait: heavy integration tests (syncs of 13,500 followers, the demo)
  // must still pass on a shared machine running at several times its core count.
  testTimeout: 120000,
  // The web pages' alias for web/shared (web/vite.page.mjs), so tests can import their catalogs.
  moduleNameMapper: { '^@shared/(.*)$': '<rootDir>/web/shared/$1' },
  maxWorkers: 2,
};
