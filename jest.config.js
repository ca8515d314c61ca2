/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] },
  // Synth-heavy suites load the 270 MB azurerm provider; give them room on a 2-core machine.
  testTimeout: 120000,
  maxWorkers: 2,
};
