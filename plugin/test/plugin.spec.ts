// The plugin as users run it: from protoc and from buf, with options.
import ts from "typescript";
import { join } from "node:path";
import { readTree, removeDir, runBuf, runProtoc, tempDir } from "./run-plugin.js";

const dirs: string[] = [];
function dir(prefix: string): string {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach(removeDir));

test("protoc and buf generate identical files", () => {
  const a = dir("protoc");
  const b = dir("buf");
  expect(runProtoc(a, "int64=bigint").status).toBe(0);
  runBuf(b, ["int64=bigint"]);
  const fromProtoc = readTree(a);
  const fromBuf = readTree(b);
  expect([...fromProtoc.keys()].sort()).toEqual([...fromBuf.keys()].sort());
  expect(fromProtoc.size).toBeGreaterThanOrEqual(5);
  for (const [name, content] of fromProtoc) expect(fromBuf.get(name)).toBe(content);
});

test("output is deterministic", () => {
  const a = dir("det-a");
  const b = dir("det-b");
  runProtoc(a);
  runProtoc(b);
  expect(readTree(a)).toEqual(readTree(b));
});

test.each([
  ["nonsense=1", /unknown option "nonsense"/],
  ["int64=number", /invalid value for option int64: "number"/],
  ["import_extension=.mjs", /import_extension=\.mjs/],
])("option %s is a clear error", (opt, message) => {
  const r = runProtoc(dir("bad-opt"), opt);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(message);
});

function typeCheck(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    baseUrl: process.cwd(),
    paths: { "@tsgrpc/runtime": ["runtime/src/index.ts"], "@tsgrpc/runtime/*": ["runtime/src/*/index.ts"] },
    types: ["node"],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

test("int64=string types 64-bit fields as strings, and the output type-checks", () => {
  const out = dir("int64-string");
  expect(runProtoc(out, "int64=string").status).toBe(0);
  const files = readTree(out);
  const scalars = files.get("tsgrpc/test/proto3_pb.ts")!;
  expect(scalars).toMatch(/fInt64: string;/);
  expect(scalars).toMatch(/fFixed64: string;/);
  expect(scalars).toMatch(/m\.fInt64 = r\.int64Str\(\);/);
  const pbFiles = [...files.keys()].filter((f) => f.endsWith("_pb.ts")).map((f) => join(out, f));
  expect(typeCheck(pbFiles)).toEqual([]);
});

test("default output uses bigint and .js import suffixes; import_extension=none drops them", () => {
  const js = dir("ext-js");
  const none = dir("ext-none");
  runProtoc(js);
  runProtoc(none, "import_extension=none");
  const a = readTree(js).get("tsgrpc/test/proto3_pb.ts")!;
  const b = readTree(none).get("tsgrpc/test/proto3_pb.ts")!;
  expect(a).toMatch(/fInt64: bigint;/);
  expect(a).toMatch(/from "\.\/names_pb\.js";/);
  expect(b).toMatch(/from "\.\/names_pb";/);
});
