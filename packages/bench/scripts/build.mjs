#!/usr/bin/env node
// Builds the codec benchmark: generates the same .proto files with every
// peer's own generator into packages/bench/gen-<peer>/, compiles the
// TypeScript peers and the bench itself into packages/bench/dist/, and writes
// dist/peers.json saying which peers are available and why not.
//
// Needs runtime/ and plugin/ built first (`npx tsc -b runtime plugin`).
// Usage: node packages/bench/scripts/build.mjs [--quiet]
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const bench = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(bench, "../..");
const bin = (name) => join(root, "node_modules/.bin", name);
const require = createRequire(join(root, "package.json"));
const quiet = process.argv.includes("--quiet");
const log = (msg) => {
  if (!quiet) console.error(`bench build: ${msg}`);
};

/** The protobuf project's datasets, when present: ../shared/benchdata beside the repo, or $TSGRPC_BENCHDATA. */
const benchdata = resolve(process.env.TSGRPC_BENCHDATA ?? join(root, "../shared/benchdata"));
const datasetProtos = ["benchmarks.proto", "benchmark_message1_proto2.proto", "benchmark_message1_proto3.proto", "benchmark_message2.proto"];
const haveDatasets = datasetProtos.every((f) => existsSync(join(benchdata, f)));

const includes = [join(bench, "proto"), ...(haveDatasets ? [benchdata] : [])];
const files = ["bench.proto", ...(haveDatasets ? datasetProtos : [])];

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", ...opts });
}

function errorText(e) {
  const out = [e.stderr, e.stdout].filter(Boolean).join("\n").trim();
  return out.length > 0 ? out : String(e.message ?? e);
}

function version(pkg) {
  try {
    return JSON.parse(readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), "package.json"), "utf8")).version;
  } catch {
    // Packages whose exports map hides package.json: walk up from the entry point.
    let dir = dirname(require.resolve(pkg));
    while (dir !== dirname(dir)) {
      const p = join(dir, "package.json");
      if (existsSync(p)) {
        const j = JSON.parse(readFileSync(p, "utf8"));
        if (j.name === pkg) return j.version;
      }
      dir = dirname(dir);
    }
    return "?";
  }
}

function fresh(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs protoc with one plugin; `name` is the plugin's name as in --<name>_out. */
function protocPlugin(name, pluginPath, out, opt) {
  run(bin("protoc"), [
    `--plugin=protoc-gen-${name}=${pluginPath}`,
    `--${name}_out=${out}`,
    ...(opt ? [`--${name}_opt=${opt}`] : []),
    ...includes.map((i) => `-I${i}`),
    ...files,
  ]);
}

const peers = {};
function peer(name, pkg, fn) {
  const t0 = Date.now();
  try {
    fn();
    peers[name] = { available: true, version: version(pkg) };
    log(`${name}: generated (${Date.now() - t0} ms)`);
  } catch (e) {
    peers[name] = { available: false, version: version(pkg), reason: errorText(e).split("\n").slice(0, 6).join(" | ") };
    log(`${name}: NOT available: ${peers[name].reason}`);
  }
}

const dist = fresh(join(bench, "dist"));

peer("tsgrpc", "@tsgrpc/runtime", () => {
  const plugin = join(root, "plugin/bin/protoc-gen-tsgrpc");
  if (!existsSync(join(root, "plugin/dist/main.js"))) throw new Error("plugin/dist is missing: run `npx tsc -b runtime plugin` first");
  protocPlugin("tsgrpc", plugin, fresh(join(bench, "gen-tsgrpc")));
});

peer("protobuf-es", "@bufbuild/protobuf", () => {
  protocPlugin("es", bin("protoc-gen-es"), fresh(join(bench, "gen-es")), "target=ts,import_extension=js");
});

peer("ts-proto", "ts-proto", () => {
  // forceLong=bigint: 64-bit fields as bigint, so values compare with the others losslessly.
  protocPlugin("ts_proto", bin("protoc-gen-ts_proto"), fresh(join(bench, "gen-ts-proto")), "forceLong=bigint,esModuleInterop=true,importSuffix=.js,outputServices=false");
});

peer("protobufjs", "protobufjs", () => {
  const out = fresh(join(bench, "gen-pbjs"));
  const paths = files.map((f) => join(includes.find((i) => existsSync(join(i, f))), f));
  run(bin("pbjs"), ["-t", "static-module", "-w", "es6", ...includes.flatMap((i) => ["-p", i]), "-o", join(out, "bench.js"), ...paths]);
  try {
    run(bin("pbts"), ["-o", join(out, "bench.d.ts"), join(out, "bench.js")]);
  } catch (e) {
    log(`protobufjs: pbts failed (typings only, the bench does not need them): ${errorText(e).split("\n")[0]}`);
  }
});

// google-protobuf needs protoc-gen-js, a native binary. Its npm packages
// (`protoc-gen-js`, `@protocolbuffers/protoc-gen-js`) download that binary
// from GitHub in a postinstall script, which cannot reach GitHub here.
{
  const link = bin("protoc-gen-js");
  let reason = "generator not available from npm: protoc-gen-js is a native binary that its npm packages (protoc-gen-js, @protocolbuffers/protoc-gen-js) download from GitHub in postinstall, which is unreachable here";
  try {
    realpathSync(link);
    reason = "protoc-gen-js is installed, but the bench has no google-protobuf adapter yet";
  } catch {
    // dangling or missing link: keep the reason above
  }
  peers["google-protobuf"] = { available: false, version: version("google-protobuf"), reason };
  log(`google-protobuf: NOT available: ${reason}`);
}

if (!peers.tsgrpc.available || !peers["protobuf-es"].available) {
  console.error("bench build: tsgrpc and protobuf-es are required (protobuf-es builds the synthetic payloads)");
  process.exit(1);
}

// One tsc run for the TypeScript peers, with the same target and options for all.
const tsPeers = ["gen-tsgrpc", "gen-es", "gen-ts-proto"].filter((d) => existsSync(join(bench, d)) && readdirSync(join(bench, d)).length > 0);
try {
  const t0 = Date.now();
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(bench, "tsconfig.gen.json")]);
  log(`compiled ${tsPeers.join(", ")} (${Date.now() - t0} ms)`);
} catch (e) {
  console.error(`bench build: tsc failed on generated code:\n${errorText(e)}`);
  process.exit(1);
}
if (peers.protobufjs.available) cpSync(join(bench, "gen-pbjs"), join(dist, "gen-pbjs"), { recursive: true });

try {
  const t0 = Date.now();
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(bench, "tsconfig.json")]);
  log(`compiled the bench (${Date.now() - t0} ms)`);
} catch (e) {
  console.error(`bench build: tsc failed on packages/bench/src:\n${errorText(e)}`);
  process.exit(1);
}

writeFileSync(
  join(dist, "peers.json"),
  JSON.stringify({ peers, datasets: haveDatasets ? benchdata : null, builtAt: new Date().toISOString() }, null, 2) + "\n",
);
log(`done${haveDatasets ? "" : ` (no datasets at ${benchdata}: dataset workloads will be skipped)`}`);
