// Tests run straight from TypeScript: @swc/jest strips types (tsc type-checks in `pretest`).
/** @type {import('jest').Config} */
const { existsSync } = require("node:fs");
const path = require("node:path");

module.exports = {
  testEnvironment: "node",
  roots: ["runtime", "plugin", "packages", "conformance"].filter((d) => existsSync(path.join(__dirname, d))).map((d) => `<rootDir>/${d}`),
  testMatch: ["**/*.spec.ts", "**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } }] },
  moduleNameMapper: {
    "^@tsgrpc/runtime$": "<rootDir>/runtime/src/index.ts",
    "^@tsgrpc/runtime/(.*)$": "<rootDir>/runtime/src/$1/index.ts",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  testTimeout: 30000,
};
