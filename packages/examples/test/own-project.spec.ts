// README's "Use tsgrpc in your project", taken step by step in a project outside
// the repo: install the packed packages, generate with buf and with protoc,
// type-check under every strict setting, run a server and a client, require()
// from CommonJS. The project's files are in ../own-project.
import { mkdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { commandTimeout, fixture, listFiles, repo, UserProject, type PackedPackage } from "./user-project.js";

let project: UserProject;

beforeAll(async () => {
  project = await UserProject.create();
}, 3.5 * commandTimeout); // npm pack, two npm installs

afterAll(() => project?.remove());

interface PackageJson {
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  peerDependencies?: Record<string, string>;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Where a package was installed in the project: the unpacked tarball. */
function installed(name: string): string {
  return project.path("node_modules", name);
}

/** Files named by package.json (main, types, bin, exports), relative to the package. */
function entryPoints(pkg: PackageJson): string[] {
  const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === "string" ? [t] : [t.types, t.default]));
  return [pkg.main, pkg.types, ...Object.values(pkg.bin ?? {}), ...targets]
    .filter((p): p is string => p !== undefined)
    .map((p) => posix.normalize(p));
}

/** Source map files whose `sources` name a file the package does not contain. */
function unresolvedMapSources(dir: string, files: Set<string>): string[] {
  const missing: string[] = [];
  for (const file of files) {
    if (!file.endsWith(".map")) continue;
    const map = readJson<{ sources: string[]; sourceRoot?: string }>(join(dir, file));
    for (const source of map.sources) {
      const resolved = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? "", source));
      if (!files.has(resolved)) missing.push(`${file} → ${source}`);
    }
  }
  return missing;
}

/**
 * Whether this Node version's require() loads ES modules by default (20.19+, 22.12+, 23+).
 * By version, as jest's sandboxed `process` lacks `process.features.require_module`.
 */
function hasRequireEsm(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
}

/** The `//` lines a file starts with. */
function leadingComment(text: string): string {
  const lines = text.split("\n");
  const end = lines.findIndex((line) => !line.startsWith("//"));
  return lines.slice(0, end === -1 ? lines.length : end).join("\n");
}

describe.each(["@tsgrpc/runtime", "protoc-gen-tsgrpc"])("the %s tarball", (name) => {
  let packed: PackedPackage;
  let files: Set<string>;
  beforeAll(() => {
    packed = project.tarball(name);
    files = new Set(packed.files.map((f) => f.path));
  });

  test("holds the license, a README, the built code and nothing from tests", () => {
    for (const required of ["LICENSE", "README.md", "package.json", "dist/index.js", "dist/index.d.ts"]) expect(files).toContain(required);
    expect([...files].filter((f) => /\.(spec|test)\.|tsbuildinfo/.test(f))).toEqual([]);
    expect(readFileSync(join(installed(name), "LICENSE"), "utf8")).toBe(readFileSync(join(repo, "LICENSE"), "utf8"));
  });

  test("contains every file its package.json points at", () => {
    const pkg = readJson<PackageJson>(join(installed(name), "package.json"));
    expect(pkg.exports["./package.json"]).toBe("./package.json");
    expect(entryPoints(pkg).filter((p) => !files.has(p))).toEqual([]);
  });

  test("has source maps whose sources it ships", () => {
    expect(listFiles(installed(name))).toEqual([...files].sort());
    expect([...files].some((f) => f.endsWith(".js.map"))).toBe(true);
    expect(unresolvedMapSources(installed(name), files)).toEqual([]);
  });
});

describe("a project of its own", () => {
  const generated = ["acme/options/v1/annotations_pb.ts", "acme/shop/v1/shop_grpc.ts", "acme/shop/v1/shop_pb.ts"];

  test("uses the buf.yaml and buf.gen.yaml that README shows", () => {
    // README's yaml blocks, without the comment line naming the file.
    const blocks = [...readFileSync(join(repo, "README.md"), "utf8").matchAll(/```yaml\n(?:#.*\n)?([\s\S]*?)```/g)].map((m) => m[1]);
    for (const file of ["buf.yaml", "buf.gen.yaml"]) expect(blocks).toContain(readFileSync(join(fixture, file), "utf8"));
  });

  test("generates the same code with `npx buf generate` and with `npx protoc`", async () => {
    // --no-install: fail rather than fetch the unrelated npm package `buf` when @bufbuild/buf is missing.
    await project.run("npx", "--no-install", "buf", "generate");
    mkdirSync(project.path("gen-protoc"));
    await project.run(
      "npx",
      "--no-install",
      "protoc",
      "--plugin=protoc-gen-tsgrpc=node_modules/.bin/protoc-gen-tsgrpc",
      "--tsgrpc_out=gen-protoc",
      "-I",
      "proto",
      // What README's `$(find proto -name '*.proto')` expands to.
      ...listFiles(project.path("proto")).map((f) => `proto/${f}`),
    );

    // Imports of google/protobuf/*.proto (descriptor.proto too) resolve to @tsgrpc/runtime/wkt: nothing else is generated.
    expect(listFiles(project.path("src/gen"))).toEqual(generated);
    expect(listFiles(project.path("gen-protoc"))).toEqual(generated);
    for (const file of generated) {
      const byBuf = readFileSync(project.path("src/gen", file), "utf8");
      expect(readFileSync(project.path("gen-protoc", file), "utf8")).toBe(byBuf);
    }
  }, 2.2 * commandTimeout);

  test("generated files name the runtime versions they need", () => {
    const range = readJson<PackageJson>(join(installed("protoc-gen-tsgrpc"), "package.json")).peerDependencies?.["@tsgrpc/runtime"];
    expect(range).toBeDefined();
    for (const file of generated) {
      const header = leadingComment(readFileSync(project.path("src/gen", file), "utf8"));
      expect(header).toContain("@tsgrpc/runtime");
      expect(header).toContain(range);
    }
  });

  test("type-checks with every strict flag, under module nodenext and under bundler resolution", async () => {
    const strictFlags = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
    };
    expect(readJson<{ compilerOptions: object }>(join(fixture, "tsconfig.json")).compilerOptions).toMatchObject({
      ...strictFlags,
      module: "NodeNext",
    });
    expect(readJson<{ compilerOptions: object }>(join(fixture, "tsconfig.bundler.json")).compilerOptions).toMatchObject({
      module: "ESNext",
      moduleResolution: "Bundler",
    });
    // Both run, so that one failing does not hide the other; nodenext also emits dist/ for the next tests.
    // The first also checks the packages' declarations under these flags; bundler resolution
    // reaches the same .d.ts files (the exports have no import/require split), so the second
    // skips them and takes half the time.
    const failures: string[] = [];
    for (const args of [["-p", "tsconfig.json"], ["-p", "tsconfig.bundler.json", "--skipLibCheck"]]) {
      await project.run("npx", "--no-install", "tsc", ...args).catch((e: Error) => failures.push(e.message));
    }
    expect(failures).toEqual([]);
  }, 2.2 * commandTimeout);

  test("runs a server and a client with every call kind under plain node", async () => {
    expect(await project.run(process.execPath, "dist/main.js")).toBe("ok\n");
  }, 1.2 * commandTimeout);

  // README: require() works where Node has require(esm), and older versions refuse it.
  test("loads the packages and the compiled code with require() from CommonJS", async () => {
    const result = project.run(process.execPath, "check-require.cjs");
    if (hasRequireEsm(process.versions.node)) expect(await result).toBe("ok\n");
    else await expect(result).rejects.toThrow("ERR_REQUIRE_ESM");
  }, 1.2 * commandTimeout);
});
