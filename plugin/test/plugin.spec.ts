// The plugin as users run it: from protoc and from buf, with options.
import ts from "typescript";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runtimeVersionRange } from "../src/version.js";
import { readTree, removeDir, root, runBuf, runProtoc, tempDir } from "./run-plugin.js";
import { moduleSettings, strictCheck } from "./strict-compile.js";

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
  ["nonsense=1", /protoc-gen-tsgrpc: unknown option "nonsense" \(known: int64, target, import_extension, /],
  ["import_extension=mjs", /protoc-gen-tsgrpc: invalid value for option import_extension: "mjs" \(expected js, none or ts\)/],
  ["ts_nocheck=maybe", /protoc-gen-tsgrpc: invalid value for option ts_nocheck: "maybe" \(expected true or false\)/],
])("option %s stops protoc with an error that lists the allowed values", (opt, message) => {
  const r = runProtoc(dir("bad-opt"), opt);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(message);
});

test("every generated file that imports the runtime names the runtime versions it needs", () => {
  const out = dir("header");
  expect(runProtoc(out).status).toBe(0);
  const files = readTree(out);
  expect(files.size).toBeGreaterThanOrEqual(5);
  for (const [name, content] of files) {
    const lines = content.split("\n");
    expect([name, lines[2]]).toEqual([name, `// requires @tsgrpc/runtime ${runtimeVersionRange}`]);
    expect(lines[1]).toMatch(/^\/\/ @generated from file /);
  }
  expect(runtimeVersionRange).toBe("^0.1.0");
});

test.each([
  ["ts", ["_pb.ts", "_grpc.ts"]],
  ["js", ["_pb.js", "_grpc.js"]],
  ["dts", ["_pb.d.ts", "_grpc.d.ts"]],
  ["js+dts", ["_pb.js", "_pb.d.ts", "_grpc.js", "_grpc.d.ts"]],
])("target=%s emits %j", (target, suffixes) => {
  const out = dir(`target-${target.replace("+", "-")}`);
  expect(runProtoc(out, `target=${target}`).status).toBe(0);
  const names = [...readTree(out).keys()];
  const expected = suffixes.map((s) => `tsgrpc/test/proto3${s}`).sort();
  expect(names.filter((n) => n.startsWith("tsgrpc/test/proto3")).sort()).toEqual(expected);
  for (const name of names) expect(suffixes.some((s) => name.endsWith(s))).toBe(true);
});

/**
 * A throwaway ES module project in a temp folder: `@tsgrpc/runtime` links to
 * this repo's runtime (built), as an installed package would resolve.
 */
function moduleProject(prefix: string): string {
  const project = dir(prefix);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", type: "module", private: true }));
  mkdirSync(join(project, "node_modules/@tsgrpc"), { recursive: true });
  symlinkSync(join(root, "runtime"), join(project, "node_modules/@tsgrpc/runtime"), "dir");
  return project;
}

test("target=js+dts: the JavaScript runs under Node and the declarations type-check strictly", () => {
  const project = moduleProject("target-js-dts");
  const gen = join(project, "gen");
  mkdirSync(gen);
  expect(runProtoc(gen, "target=js+dts").status).toBe(0);
  const main = join(project, "main.ts");
  writeFileSync(
    main,
    [
      `import { Color, Kitchen } from "./gen/tsgrpc/test/proto3_pb.js";`,
      `import { KitchenService } from "./gen/tsgrpc/test/proto3_grpc.js";`,
      `const color: Color = Color.COLOR_RED;`,
      `const m: Kitchen = Kitchen.decode(Kitchen.encode({ names: ["a"], colorField: color, maybe: undefined }));`,
      `export const path: string = KitchenService.methods.unary.path;`,
      `export const same: boolean = Kitchen.equals(m, Kitchen.create({ names: ["a"], colorField: Color.COLOR_RED }));`,
      // The declarations keep the codec types: an \`any\` here would make handlers untyped.
      `type IsAny<T> = 0 extends 1 & T ? true : false;`,
      `export const typedInput: IsAny<typeof KitchenService.methods.unary.input> = false;`,
      `export const typedDecode: IsAny<ReturnType<typeof Kitchen.decode>> = false;`,
    ].join("\n"),
  );
  for (const module of Object.values(moduleSettings)) {
    const declarations = [...readTree(gen).keys()].filter((n) => n.endsWith(".d.ts")).map((n) => join(gen, n));
    expect(strictCheck([main, ...declarations], module)).toEqual([]);
  }
  const script = `import { Color, Kitchen } from "./gen/tsgrpc/test/proto3_pb.js";
import { KitchenService } from "./gen/tsgrpc/test/proto3_grpc.js";
const m = Kitchen.decode(Kitchen.encode({ names: ["a"], colorField: Color.COLOR_RED, choice: { case: "num", value: 7n } }));
console.log(JSON.stringify([m.names, m.colorField, String(m.choice.value), KitchenService.methods.unary.path, Object.keys(Color)]));`;
  writeFileSync(join(project, "run.js"), script);
  const printed = execFileSync(process.execPath, [join(project, "run.js")], { cwd: project, encoding: "utf8" });
  expect(JSON.parse(printed)).toEqual([
    ["a"],
    1,
    "7",
    "/tsgrpc.test.KitchenService/Unary",
    ["COLOR_UNSPECIFIED", "COLOR_RED", "COLOR_GREEN"],
  ]);
}, 120_000);

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

test("import_extension=ts: files import each other as .ts (Node's type stripping) and compile strictly", () => {
  const project = moduleProject("import-ts");
  const gen = join(project, "gen");
  mkdirSync(gen);
  expect(runProtoc(gen, "import_extension=ts").status).toBe(0);
  const files = readTree(gen);
  expect(files.get("tsgrpc/test/proto3_pb.ts")).toMatch(/from "\.\/names_pb\.ts";/);
  const paths = [...files.keys()].map((n) => join(gen, n));
  for (const module of Object.values(moduleSettings)) {
    expect(strictCheck(paths, { ...module, allowImportingTsExtensions: true })).toEqual([]);
  }
}, 120_000);

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
