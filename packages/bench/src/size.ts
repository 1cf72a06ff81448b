// The size benchmark: what tsgrpc adds to an application's bundle, next to
// protobuf-es (and connect-node for the client and server), each bundled by
// esbuild from code its own generator made from the same .proto files. The
// report goes to stdout and to bench-results/size.md.
//
//   node packages/bench/scripts/build.mjs && node packages/bench/dist/size.js [--quick] [--help]
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { version as esbuildVersion } from "esbuild";
import { repoRoot, resultsFile, writeOut } from "./command.js";
import { BUILD_OPTIONS, measureBundle, type Measured, type Platform } from "./size/bundle.js";
import { cases, type Side, type SizeCase } from "./size/cases.js";
import { markdown, type CaseResult, type SizeRunInfo } from "./size/report.js";

const usage = `Usage: node packages/bench/dist/size.js [options]
  (build first: npx tsc -b runtime plugin && node packages/bench/scripts/build.mjs [--only size])

  --quick       the same bundles (they take seconds); writes no report file unless --out says so
  --out FILE    markdown report (default bench-results/size.md at the repo root; none with --quick)
  --json FILE   results as JSON too
  --no-file     print the report only`;

// The build this script belongs to: dist/ beside the generated code and bundles/.
const buildRoot = fileURLToPath(new URL("../", import.meta.url));
const bundles = join(buildRoot, "bundles");

function packageVersion(root: string, name: string): string {
  const file = join(root, "node_modules", name, "package.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version : "?";
}

async function measureCase(c: SizeCase, platform: Platform, root: string): Promise<Record<Side, Measured>> {
  return {
    tsgrpc: await measureBundle(join(bundles, c.entries.tsgrpc), platform, root),
    peer: await measureBundle(join(bundles, c.entries.peer), platform, root),
  };
}

async function main(): Promise<number> {
  const { values: args } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      out: { type: "string" },
      json: { type: "string" },
      "no-file": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (args.help) {
    console.log(usage);
    return 0;
  }
  if (!existsSync(bundles)) throw new Error(`${bundles} is missing: run packages/bench/scripts/build.mjs first`);
  const root = repoRoot();
  const results: CaseResult[] = [];
  for (const c of cases) {
    const node = await measureCase(c, "node", root);
    results.push(c.browser ? { case: c, node, browser: await measureCase(c, "browser", root) } : { case: c, node });
  }
  const info: SizeRunInfo = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    esbuild: esbuildVersion,
    options: `bundle, minify, format=${BUILD_OPTIONS.format}, target=${BUILD_OPTIONS.target}, platform=node`,
    versions: ["@tsgrpc/runtime", "@bufbuild/protobuf", "@connectrpc/connect", "@connectrpc/connect-node"].map((p) => `${p} ${packageVersion(root, p)}`),
  };
  const text = markdown(results, info);
  process.stdout.write(text);
  if (!args["no-file"] && (args.out !== undefined || !args.quick)) writeOut(resolve(args.out ?? resultsFile("size.md")), text);
  if (args.json !== undefined) writeOut(resolve(args.json), `${JSON.stringify({ run: info, results }, null, 2)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
