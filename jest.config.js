/**
 * One jest run for the whole monorepo. Tests import `@konserve-rx/*` from each package's
 * `src` (through moduleNameMapper), so they run without a build; only the tests that start
 * child processes use the built `dist/` (which `npm test` builds first).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/examples', '<rootDir>/bench', '<rootDir>/packaging'],
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/packages/.*/dist/', '<rootDir>/examples/dist/', '<rootDir>/bench/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleNameMapper: {
    // core's platform seam: package.json `imports` picks node.js or browser.js from dist; tests run the Node side from source
    '^#platform$': '<rootDir>/packages/core/src/platform/node.ts',
    '^@konserve-rx/([a-z-]+)/testing$': '<rootDir>/packages/$1/src/testing/index.ts',
    '^@konserve-rx/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  // a whole test's bound, not a speed check: each operation has its own 25 s timeout (OP_TIMEOUT_MS in
  // core/src/testing/util.ts) that catches a hang; two copies of the suite on a loaded two-core
  // machine stretch a test of many operations or child processes well past 30 s
  testTimeout: 120000,
  // two workers even on two cores: most suites wait on child processes, servers and fsync rather
  // than compute, so the default (one worker on two cores) left a core idle and took twice as long
  maxWorkers: 2,
};
