/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Transpile only (tsconfig has isolatedModules: true); type errors are `npm run typecheck`'s job.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  // Synth-heavy suites load the 270 MB azurerm provider; give them room on a 2-core machine.
  testTimeout: 120000,
  maxWorkers: 2,
};
