// The codec benchmark: tsgrpc against protobuf-es, ts-proto and protobufjs on
// the protobuf project's datasets and on synthetic workloads. First every
// library must agree with tsgrpc on every payload (or the run fails); then
// each workload is timed in a process of its own; the report goes to stdout
// and to bench-results/codec.md.
//
//   node packages/bench/scripts/build.mjs && node packages/bench/dist/codec.js [--quick] [--help]
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, usage, type Args } from "./args.js";
import { callgrind, runPasses } from "./callgrind.js";
import { log, resultsFile, runMain, writeOut } from "./command.js";
import { availableLibraries, readBuildInfo, type BuildInfo } from "./libraries.js";
import { measure } from "./measure.js";
import { prepare } from "./prepare.js";
import { markdown, targets, type RunInfo, type WorkloadResult } from "./report.js";
import { verify, type Agreement } from "./verify.js";
import { listWorkloads, loadWorkload } from "./workloads.js";

const script = fileURLToPath(import.meta.url);

async function worker(args: Args, info: BuildInfo, name: string): Promise<number> {
  const libs = availableLibraries(info, args.libs);
  const w = await loadWorkload(info, name, args.payloads);
  const { prepared } = await prepare(w, libs);
  const subjects = prepared.map((p) => ({ ...p, messages: w.payloads.map((b) => p.codec.decode(b)) }));
  const cells = subjects.length * args.ops.length;
  const budgetMs = 1.5 * args.rounds * cells * args.sampleMs + cells * args.warmupMs;
  const { series, rounds } = measure(w, subjects, {
    rounds: args.rounds,
    warmupMs: args.warmupMs,
    sampleMs: args.sampleMs,
    quick: args.quick,
    ops: args.ops,
    budgetMs,
  });
  const result: WorkloadResult = {
    name: w.name,
    kind: w.kind,
    description: w.description,
    typeName: w.typeName,
    payloads: w.payloads.length,
    bytes: w.bytes,
    rounds,
    series,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

async function irWorker(args: Args, info: BuildInfo): Promise<number> {
  const name = args.workloads?.[0];
  const libName = args.libs?.[0];
  if (name === undefined || libName === undefined) throw new Error("--ir-worker needs --workloads W --libs L");
  const lib = availableLibraries(info).find((l) => l.name === libName);
  if (lib === undefined) throw new Error(`library ${libName} is not available`);
  const w = await loadWorkload(info, name, args.payloads);
  runPasses(w, lib, await lib.codec(w), args.ops[0], args.warmupPasses ?? 0, args.passes ?? 1);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const info = readBuildInfo();
  if (args.worker !== undefined) return worker(args, info, args.worker);
  if (args.irWorker) return irWorker(args, info);

  const started = performance.now();
  const libs = availableLibraries(info, args.libs);
  const list = listWorkloads(info);
  let names = list.names;
  if (args.workloads !== undefined) {
    const unknown = args.workloads.filter((n) => !names.includes(n));
    if (unknown.length > 0) throw new Error(`unknown workload(s) ${unknown.join(", ")}; known: ${names.join(", ")}`);
    names = names.filter((n) => args.workloads!.includes(n));
  }
  for (const n of list.notes) log(`note: ${n}`);
  for (const [name, p] of Object.entries(info.peers)) if (!p.available) log(`note: ${name} not measured: ${p.reason ?? "unavailable"}`);

  if (args.callgrind) {
    if (names.length !== 1) throw new Error("--callgrind needs exactly one workload: --workloads W");
    const text = callgrind(args, await loadWorkload(info, names[0], args.payloads), libs);
    console.log(text);
    if (args.out !== undefined) writeOut(resolve(args.out), text);
    return 0;
  }

  // 1. Every library must agree with tsgrpc on every payload before anything is timed.
  const agreements = new Map<string, Agreement[]>();
  let disagreed = false;
  for (const name of names) {
    const w = await loadWorkload(info, name, args.payloads);
    const { type, prepared } = await prepare(w, libs);
    const a = verify(w, type, prepared);
    agreements.set(name, a);
    for (const x of a) {
      if (!x.agreed) {
        disagreed = true;
        log(`VERIFICATION FAILED: ${name}: ${x.library}: ${x.failure}`);
      }
      for (const n of x.notes) log(`note: ${name}: ${x.library} ${n}`);
    }
  }
  log(`verified ${names.length} workloads × ${libs.length} libraries: ${disagreed ? "DISAGREEMENT" : "all agree"}`);

  const run = (seconds: number): RunInfo => ({ quick: args.quick, payloads: args.payloads, rounds: args.rounds, warmupMs: args.warmupMs, sampleMs: args.sampleMs, seconds });
  const results: WorkloadResult[] = [];
  const notes = [...list.notes];
  if (!disagreed) {
    // 2. One process per workload: what one workload's run teaches the JIT does not carry into the next.
    const pass = [
      ...(args.quick ? ["--quick"] : []),
      ...["--rounds", String(args.rounds), "--warmup-ms", String(args.warmupMs), "--sample-ms", String(args.sampleMs)],
      ...(args.libs !== undefined ? ["--libs", args.libs.join(",")] : []),
      ...["--ops", args.ops.join(","), "--payloads", args.payloads],
    ];
    for (const name of names) {
      const t0 = performance.now();
      const cells = libs.length * args.ops.length;
      const timeout = 1.5 * args.rounds * cells * args.sampleMs + cells * args.warmupMs + 120_000;
      const r = spawnSync(process.execPath, ["--expose-gc", script, "--worker", name, ...pass], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        timeout,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (r.status !== 0 || r.error !== undefined) {
        log(`workload ${name}: worker failed (${r.error?.message ?? `exit ${r.status} ${r.signal ?? ""}`})`);
        notes.push(`${name}: not measured, its worker process failed.`);
        disagreed = true;
        continue;
      }
      const result = JSON.parse(r.stdout.trim().split("\n").pop()!) as WorkloadResult;
      results.push(result);
      log(`measured ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s, ${result.rounds} rounds)`);
    }
  }

  const seconds = (performance.now() - started) / 1000;
  const text = markdown(results, agreements, info, run(seconds), notes);
  console.log(text);
  if (!args.noFile && (args.out !== undefined || !args.quick)) writeOut(resolve(args.out ?? resultsFile("codec.md")), text);
  if (args.json !== undefined) {
    const peers = libs.map((l) => l.name).filter((l) => l !== "tsgrpc");
    writeOut(
      resolve(args.json),
      `${JSON.stringify(
        { run: run(seconds), build: info, agreements: Object.fromEntries(agreements), results, targets: targets(results, peers), notes },
        (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
        2,
      )}\n`,
    );
  }
  if (disagreed) {
    log("FAILED: a library disagreed with tsgrpc or a workload could not be measured (see above)");
    return 1;
  }
  return 0;
}

runMain("codec bench", () => main(process.argv.slice(2)));
