// Command line of dist/codec.js.
import { parseArgs } from "node:util";
import { int, list } from "./cli-values.js";

export const usage = `Usage: node packages/bench/dist/codec.js [options]
  (build first: npx tsc -b runtime plugin && node packages/bench/scripts/build.mjs)

  --quick              tiny iteration counts: checks that every library agrees, numbers are meaningless
  --rounds N           samples per library and operation (default 15)
  --warmup-ms N        warm-up per library and operation (default 250)
  --sample-ms N        target length of one sample (default 100)
  --workloads a,b      only these workloads (names as in the report)
  --libs a,b           only these peers (tsgrpc always runs): protobuf-es, ts-proto, protobufjs;
                       --libs none: tsgrpc alone
  --ops decode,encode  only these operations (default both)
  --payloads KIND      uint8array (default) or buffer: decode from Node.js Buffers, as node:http2 delivers them
  --out FILE           markdown report (default bench-results/codec.md at the repo root; none with --quick)
  --json FILE          results as JSON too
  --no-file            print the report only

  --callgrind          instruction counts (valgrind --tool=callgrind) instead of timings, for
                       --workloads W (one), --libs, --ops; --passes N and --warmup-passes N override
                       the defaults. Ir/pass = (Ir(warm-up + 2N passes) - Ir(warm-up + N passes)) / N.

  Profiling one workload of tsgrpc alone, e.g.:
    node --cpu-prof --cpu-prof-dir=/tmp/prof packages/bench/dist/codec.js --worker google_message2 --libs none --ops decode
    node packages/bench/scripts/cpuprofile-summary.mjs /tmp/prof/*.cpuprofile

  --worker W           internal: measure workload W in this process, print JSON
  --ir-worker          internal: run passes for callgrind`;

export interface Args {
  readonly quick: boolean;
  readonly rounds: number;
  readonly warmupMs: number;
  readonly sampleMs: number;
  readonly workloads?: string[];
  readonly libs?: string[];
  readonly ops: ("decode" | "encode")[];
  readonly payloads: "uint8array" | "buffer";
  readonly out?: string;
  readonly json?: string;
  readonly noFile: boolean;
  readonly callgrind: boolean;
  readonly passes?: number;
  readonly warmupPasses?: number;
  readonly worker?: string;
  readonly irWorker: boolean;
  readonly help: boolean;
}



export function parse(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      rounds: { type: "string" },
      "warmup-ms": { type: "string" },
      "sample-ms": { type: "string" },
      workloads: { type: "string" },
      libs: { type: "string" },
      ops: { type: "string" },
      payloads: { type: "string" },
      out: { type: "string" },
      json: { type: "string" },
      "no-file": { type: "boolean", default: false },
      callgrind: { type: "boolean", default: false },
      passes: { type: "string" },
      "warmup-passes": { type: "string" },
      worker: { type: "string" },
      "ir-worker": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  const ops = list(values.ops) ?? ["decode", "encode"];
  for (const op of ops) if (op !== "decode" && op !== "encode") throw new Error(`--ops: unknown operation ${op}`);
  const payloads = values.payloads ?? "uint8array";
  if (payloads !== "uint8array" && payloads !== "buffer") throw new Error(`--payloads: uint8array or buffer, not ${payloads}`);
  const quick = values.quick ?? false;
  return {
    quick,
    rounds: Math.max(1, int("rounds", values.rounds, quick ? 2 : 15)),
    warmupMs: int("warmup-ms", values["warmup-ms"], 250),
    sampleMs: Math.max(1, int("sample-ms", values["sample-ms"], 100)),
    workloads: list(values.workloads),
    libs: list(values.libs),
    ops: ops as ("decode" | "encode")[],
    payloads,
    out: values.out,
    json: values.json,
    noFile: values["no-file"] ?? false,
    callgrind: values.callgrind ?? false,
    passes: values.passes === undefined ? undefined : Math.max(1, int("passes", values.passes, 1)),
    warmupPasses: values["warmup-passes"] === undefined ? undefined : int("warmup-passes", values["warmup-passes"], 0),
    worker: values.worker,
    irWorker: values["ir-worker"] ?? false,
    help: values.help ?? false,
  };
}
