// Command line of dist/rpc.js.
import { parseArgs } from "node:util";
import { implOrder, isImplName, type ImplName } from "./protocol.js";
import { int, list } from "../cli-values.js";

export const usage = `Usage: node packages/bench/dist/rpc.js [options]
  (build first: npx tsc -b runtime plugin && node packages/bench/scripts/build.mjs)

  --quick              tiny windows and counts: checks that every implementation answers every
                       call kind and every pair interoperates; the numbers mean nothing
  --rounds N           samples per pair and cell, each in fresh processes (default 5: the
                       machine's noise is bimodal, and a median of 3 follows it)
  --warmup-ms N        warm-up of each client process, all call kinds (default 1000)
  --settle-ms N        unmeasured load before each sample (default 150)
  --sample-ms N        length of one sample (default 600)
  --impls a,b          only these implementations: tsgrpc, grpc-js, connect-node, raw
  --pairs c:s,…        measure these client:server pairs (default: every implementation with
                       itself, then tsgrpc:grpc-js, grpc-js:tsgrpc, tsgrpc:raw, raw:tsgrpc)
  --cells a,b          only cells whose id starts with one of these, e.g. unary/0B/c100,stream
  --max-noise F        a round during which other processes used more than F of a core (from
                       /proc/stat, minus the round's own processes) is run again (default 0.25)
  --retries N          at most N such re-runs in the whole run (default 4; 0 in --quick)
  --no-verify          skip the correctness pass over every client × server pair
  --no-pin             do not pin server and client to cores 0 and 1 with taskset
  --cpu-prof DIR       run the measured processes under node --cpu-prof, profiles in
                       DIR/<server|client>-<impl>/ (summarise with scripts/cpuprofile-summary.mjs)
  --out FILE           markdown report (default bench-results/rpc.md at the repo root; none with --quick)
  --json FILE          results as JSON too
  --no-file            print the report only

  Profiling tsgrpc at unary concurrency 100, e.g.:
    node packages/bench/dist/rpc.js --pairs tsgrpc:tsgrpc --cells unary/0B/c100 --rounds 1 \\
      --sample-ms 5000 --no-verify --no-file --cpu-prof /tmp/rpc-prof
    node packages/bench/scripts/cpuprofile-summary.mjs /tmp/rpc-prof/server-tsgrpc/*.cpuprofile`;

export interface Pair {
  readonly client: ImplName;
  readonly server: ImplName;
}

export interface Args {
  readonly quick: boolean;
  readonly rounds: number;
  readonly warmupMs: number;
  readonly settleMs: number;
  readonly sampleMs: number;
  readonly impls: readonly ImplName[];
  readonly pairs?: readonly Pair[];
  readonly cells?: readonly string[];
  readonly maxNoise: number;
  readonly retries: number;
  readonly verify: boolean;
  readonly pin: boolean;
  readonly cpuProf?: string;
  readonly out?: string;
  readonly json?: string;
  readonly noFile: boolean;
  readonly help: boolean;
}


function fraction(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a non-negative number, got ${v}`);
  return n;
}


function impl(name: string, flag: string): ImplName {
  if (!isImplName(name)) throw new Error(`${flag}: unknown implementation "${name}"; known: ${implOrder.join(", ")}`);
  return name;
}

export function parse(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      rounds: { type: "string" },
      "warmup-ms": { type: "string" },
      "settle-ms": { type: "string" },
      "sample-ms": { type: "string" },
      impls: { type: "string" },
      pairs: { type: "string" },
      cells: { type: "string" },
      "max-noise": { type: "string" },
      retries: { type: "string" },
      "no-verify": { type: "boolean", default: false },
      "no-pin": { type: "boolean", default: false },
      "cpu-prof": { type: "string" },
      out: { type: "string" },
      json: { type: "string" },
      "no-file": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  const pairs = list(values.pairs)?.map((p) => {
    const [client, server, ...rest] = p.split(":");
    if (client === undefined || server === undefined || rest.length > 0) throw new Error(`--pairs: "${p}" is not client:server`);
    return { client: impl(client, "--pairs"), server: impl(server, "--pairs") };
  });
  return {
    quick,
    rounds: Math.max(1, int("rounds", values.rounds, quick ? 1 : 5)),
    warmupMs: int("warmup-ms", values["warmup-ms"], quick ? 100 : 1000),
    settleMs: int("settle-ms", values["settle-ms"], quick ? 0 : 150),
    sampleMs: Math.max(1, int("sample-ms", values["sample-ms"], quick ? 100 : 600)),
    impls: list(values.impls)?.map((n) => impl(n, "--impls")) ?? implOrder,
    pairs,
    cells: list(values.cells),
    maxNoise: fraction("max-noise", values["max-noise"], 0.25),
    retries: int("retries", values.retries, quick ? 0 : 4),
    verify: !(values["no-verify"] ?? false),
    pin: !(values["no-pin"] ?? false),
    cpuProf: values["cpu-prof"],
    out: values.out,
    json: values.json,
    noFile: values["no-file"] ?? false,
    help: values.help ?? false,
  };
}
