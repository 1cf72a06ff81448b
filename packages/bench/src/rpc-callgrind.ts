// The callgrind benchmark: instructions per gRPC call, for changes too small
// for the RPC benchmark's timings to show. The measured process, client or
// server, runs under valgrind --tool=callgrind; its peer runs in plain node
// in a process of its own, over one HTTP/2 connection to 127.0.0.1. Each
// count is a run in fresh processes: W warm-up calls, then N calls inside
// callgrind's measured window; their Ir over N is one call. Counts are
// repeated (default 3) and the report gives their median and spread. The
// report goes to stdout and bench-results/rpc-callgrind.md.
//
//   node packages/bench/scripts/build.mjs --only rpc && node packages/bench/dist/rpc-callgrind.js [--help]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { int, list } from "./cli-values.js";
import { log, resultsFile, runMain, writeOut } from "./command.js";
import { describeCall } from "./rpc-callgrind/calls.js";
import { allCells, type Cell, cellId, defaultCounts } from "./rpc-callgrind/cells.js";
import { countInstructions } from "./rpc-callgrind/measure.js";
import { markdown, type CellResult } from "./rpc-callgrind/report.js";
import { killAll } from "./rpc/processes.js";
import { type ImplName, isImplName } from "./rpc/protocol.js";
import { valgrind } from "./valgrind.js";

const usage = `Usage: node packages/bench/dist/rpc-callgrind.js [options]
  (build first: npx tsc -b runtime plugin && node packages/bench/scripts/build.mjs --only rpc)

  --cells a,b      cells whose id starts with one of these (default all: client/unary,
                   client/stream, server/unary, server/stream)
  --repeats N      counts per cell, each from two fresh runs (default 3)
  --warmup N       warm-up calls (default 6000 unary, 3000 stream)
  --calls N        measured calls (default 1000 unary, 500 stream)
  --impl NAME      the implementation measured (default tsgrpc; also grpc-js, connect-node, raw)
  --peer NAME      the implementation on the other side (default: --impl)
  --keep DIR       keep callgrind's profiles in DIR, for callgrind_annotate
  --out FILE       markdown report (default bench-results/rpc-callgrind.md at the repo root)
  --json FILE      results as JSON too
  --no-file        print the report only

  ~1 min per count on a quiet machine: the defaults take ~12 min.`;

function implArg(name: string, v: string | undefined, dflt: ImplName): ImplName {
  const s = v ?? dflt;
  if (!isImplName(s)) throw new Error(`--${name}: unknown implementation "${s}"`);
  return s;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cells: { type: "string" },
      repeats: { type: "string" },
      warmup: { type: "string" },
      calls: { type: "string" },
      impl: { type: "string" },
      peer: { type: "string" },
      keep: { type: "string" },
      out: { type: "string" },
      json: { type: "string" },
      "no-file": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const { version } = valgrind();
  const impl = implArg("impl", values.impl, "tsgrpc");
  const peer = implArg("peer", values.peer, impl);
  const repeats = int("repeats", values.repeats, 3);
  if (repeats < 1) throw new Error("--repeats needs at least 1");
  const prefixes = list(values.cells);
  const cells: Cell[] = allCells.filter((c) => prefixes === undefined || prefixes.some((p) => cellId(c).startsWith(p)));
  if (cells.length === 0) throw new Error(`--cells: none of ${allCells.map(cellId).join(", ")} starts with ${values.cells}`);
  const dir = values.keep !== undefined ? resolve(values.keep) : mkdtempSync(join(tmpdir(), "tsgrpc-rpc-callgrind-"));
  const started = performance.now();
  const results: CellResult[] = [];
  try {
    for (const cell of cells) {
      const d = defaultCounts(cell.call);
      const warmup = int("warmup", values.warmup, d.warmup);
      const calls = int("calls", values.calls, d.calls);
      if (calls < 1) throw new Error("--calls needs at least 1");
      const perCall: number[] = [];
      const ownWork: number[] = [];
      for (let k = 0; k < repeats; k++) {
        const count = await countInstructions({ cell, impl, peer, counts: { warmup, calls }, dir, tag: `r${k + 1}` });
        perCall.push(count.ir / calls);
        ownWork.push((count.ir - count.parts.compiler - count.parts.gc) / calls);
        log(`${cellId(cell)} ${k + 1}/${repeats}: ${Math.round(count.ir / calls)} Ir/call, ${Math.round(ownWork[k]!)} without TurboFan and GC (${count.ir} Ir for ${calls} calls)`);
      }
      results.push({ cell, warmup, calls, perCall, ownWork });
    }
  } finally {
    if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
  const text = markdown(results, { impl, peer, valgrind: version, node: process.version, seconds: (performance.now() - started) / 1000, describe: describeCall });
  console.log(text);
  if (!values["no-file"]) writeOut(resolve(values.out ?? resultsFile("rpc-callgrind.md")), text);
  if (values.json !== undefined) writeOut(resolve(values.json), `${JSON.stringify({ impl, peer, results }, null, 2)}\n`);
  return 0;
}

process.once("exit", killAll);
runMain("rpc-callgrind", () => main(process.argv.slice(2)));
