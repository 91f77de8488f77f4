/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/harness/strip-types.js' },
  // Tests share a machine with 2 cores and spawn real peers (kubectl, git, registries).
  maxWorkers: 2,
  testTimeout: 60000,
  // Installs (or names) the programs the tests run as peers before any test file starts.
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
};
