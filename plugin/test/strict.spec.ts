// All generated code of the repo compiles under every strict option users turn
// on, with both module settings users have: Node's (nodenext) and bundlers'.
// `erasableSyntaxOnly` is what Node's own type stripping requires.
// @tsgrpc/runtime resolves as a user's project resolves it, through
// node_modules to the built runtime/dist .d.ts (npm test builds first).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { generatedFiles, moduleSettings, root, strictCheck } from "./strict-compile.js";

beforeAll(() => {
  if (!existsSync(join(root, "runtime/dist/index.d.ts"))) throw new Error("runtime/dist is missing: run npm run build");
});

describe.each(Object.keys(moduleSettings))("module setting %s", (setting) => {
  const module = moduleSettings[setting]!;

  test("generated code, and user code over it, has no errors (nor the runtime's .d.ts it uses)", () => {
    const files = [
      ...["plugin/test/gen", "packages/examples/src/gen", "conformance/src/gen", "conformance/interop/gen"].flatMap(generatedFiles),
      join(root, "plugin/test/user-code.ts"),
    ];
    expect(strictCheck(files, module)).toEqual([]);
  }, 120_000);

  test("the checked-in well-known types have no errors", () => {
    // They import the runtime's sources relatively; only their own diagnostics count.
    const files = generatedFiles("runtime/src/wkt/gen");
    expect(strictCheck(files, module, new Set(files))).toEqual([]);
  }, 120_000);
});
