// The RPC benchmark: tsgrpc against @grpc/grpc-js, connect-node and raw
// node:http2 on one service with the four call kinds (proto/rpc.proto).
// Server and client run in separate processes, pinned to cores 0 and 1 where
// taskset exists, over 127.0.0.1. First every client must answer every call
// kind correctly against every server (or the run fails); then each measured
// pair runs its cells in fresh processes, once per round, pairs rotated from
// round to round. The report goes to stdout and bench-results/rpc.md.
//
//   node packages/bench/scripts/build.mjs && node packages/bench/dist/rpc.js [--quick] [--help]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { log, resultsFile, runMain, writeOut } from "./command.js";
import { type Args, type Pair, parse, usage } from "./rpc/args.js";
import { cellId, type Plan, planBudgetMs, standardCells } from "./rpc/plan.js";
import { type ClientOutput, killAll, machineCpu, pinning, runClient, started, startServer } from "./rpc/processes.js";
import type { ImplName } from "./rpc/protocol.js";
import { cellStats, markdown, median, type PairRecord, type RoundRecord, type RunInfo, targets, type Verification, type Versions } from "./rpc/report.js";

function readVersions(): Versions {
  const info = JSON.parse(readFileSync(new URL("peers.json", import.meta.url), "utf8")) as { rpc?: Versions };
  if (info.rpc === undefined) throw new Error("dist/peers.json has no rpc section: rebuild with scripts/build.mjs");
  return info.rpc;
}

function noise(r: RoundRecord): number {
  return r.foreignCpu ?? 0;
}

/**
 * Each implementation with itself, then the cross pairs that show which side
 * costs what: tsgrpc against grpc-js both ways, and against raw both ways
 * (tsgrpc's server with the cheapest possible client, and its client with the
 * cheapest possible server).
 */
function defaultPairs(impls: readonly ImplName[]): Pair[] {
  const pairs: Pair[] = impls.map((i) => ({ client: i, server: i }));
  for (const [client, server] of [["tsgrpc", "grpc-js"], ["grpc-js", "tsgrpc"], ["tsgrpc", "raw"], ["raw", "tsgrpc"]] as const) {
    if (impls.includes(client) && impls.includes(server)) pairs.push({ client, server });
  }
  return pairs;
}

/** Every client against every server, correctness only; one server process per server implementation. */
async function verifyAll(impls: readonly ImplName[], pin: ReturnType<typeof pinning>): Promise<Verification[]> {
  const out: Verification[] = [];
  for (const server of impls) {
    let handle;
    try {
      handle = await startServer(server, pin.server, [], 300);
    } catch (e) {
      for (const client of impls) out.push({ client, server, checks: [], error: String(e) });
      continue;
    }
    try {
      for (const client of impls) {
        const r = await runClient(client, handle, { verify: true }, pin.client, [], 120_000);
        out.push({ client, server, checks: r.checks ?? [], ...(r.error !== undefined ? { error: r.error } : {}) });
        const failed = (r.checks ?? []).filter((c) => !c.ok);
        log(`verify ${client} → ${server}: ${r.error !== undefined ? `ERROR ${r.error.split("\n")[0]}` : failed.length === 0 ? "ok" : `FAILED ${failed.map((c) => `${c.name}: ${c.detail}`).join("; ")}`}`);
      }
    } finally {
      await handle.stop();
    }
  }
  return out;
}

async function measurePair(pair: PairRecord, plan: Plan, args: Args, pin: ReturnType<typeof pinning>, round: number): Promise<void> {
  const prof = (role: string, impl: ImplName): string[] =>
    args.cpuProf === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${join(resolve(args.cpuProf), `${role}-${impl}`)}`];
  const budget = planBudgetMs(plan);
  const t0 = performance.now();
  const machine0 = machineCpu();
  const own0 = process.cpuUsage();
  const server = await startServer(pair.server, pin.server, prof("server", pair.server), Math.ceil(budget / 1000) + 60);
  let out: ClientOutput | undefined;
  try {
    out = await runClient(pair.client, server, { plan }, pin.client, prof("client", pair.client), budget);
  } finally {
    const end = await server.stop();
    const seconds = (performance.now() - t0) / 1000;
    const machine1 = machineCpu();
    const own = process.cpuUsage(own0);
    let foreign: { foreignCpu: number; steal: number } | undefined;
    if (machine0 !== undefined && machine1 !== undefined && end.cpuSeconds !== undefined && out?.cpuSeconds !== undefined) {
      // What the machine's cores did that our three processes did not, per second: other processes' load.
      const ours = end.cpuSeconds + out.cpuSeconds + (own.user + own.system) / 1e6;
      foreign = { foreignCpu: Math.max(0, machine1.busy - machine0.busy - ours) / seconds, steal: (machine1.steal - machine0.steal) / seconds };
    }
    const error = out === undefined ? "client did not run" : out.error;
    pair.rounds.push({
      round,
      samples: out?.samples ?? [],
      ...(end.maxRssKiB !== undefined ? { serverRssKiB: end.maxRssKiB } : {}),
      ...(out?.maxRssKiB !== undefined ? { clientRssKiB: out.maxRssKiB } : {}),
      ...(foreign ?? {}),
      ...(error !== undefined ? { error } : {}),
    });
  }
  const last = pair.rounds[pair.rounds.length - 1]!;
  const s = (performance.now() - t0) / 1000;
  const other = last.foreignCpu !== undefined ? `; other processes ${Math.round(last.foreignCpu * 100)}% of a core, steal ${Math.round(last.steal! * 100)}%` : "";
  if (out!.error !== undefined) log(`round ${round + 1}: ${pair.client} → ${pair.server}: FAILED ${out!.error}`);
  else log(`round ${round + 1}: ${pair.client} → ${pair.server} (${s.toFixed(1)} s${other})`);
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const started_ = performance.now();
  const versions = readVersions();
  const notes: string[] = [];
  const impls = args.impls.filter((i) => {
    const v = versions[i];
    if (v?.available === true) return true;
    notes.push(`${i}: not measured: ${v?.reason ?? "not built"}`);
    return false;
  });
  const pin = pinning(!args.pin);
  log(`rpc bench: ${impls.join(", ")}; ${pin.note}`);

  // 1. Every client against every server, before anything is timed.
  let failed = false;
  const verification = args.verify ? await verifyAll(impls, pin) : [];
  for (const v of verification) if (v.error !== undefined || v.checks.length === 0 || v.checks.some((c) => !c.ok)) failed = true;

  // 2. The measured pairs, rounds rotated so that drift falls on all of them alike.
  const pairs = (args.pairs ?? defaultPairs(impls)).filter((p) => impls.includes(p.client) && impls.includes(p.server));
  const cells = standardCells(args.quick).filter((c) => args.cells === undefined || args.cells.some((prefix) => cellId(c).startsWith(prefix)));
  const plan: Plan = {
    cells,
    warmupMs: args.warmupMs,
    settleMs: args.settleMs,
    sampleMs: args.sampleMs,
    maxCalls: args.quick ? 200 : 1_000_000,
    maxMessages: args.quick ? 100 : 50_000_000,
  };
  const records: PairRecord[] = pairs.map((p) => ({ ...p, rounds: [] }));
  if (!failed && cells.length > 0) {
    let retries = args.retries;
    for (let round = 0; round < args.rounds; round++) {
      for (let k = 0; k < records.length; k++) {
        const record = records[(k + round) % records.length]!;
        // A round that other processes disturbed is run again while the retry budget lasts; the quietest attempt counts.
        for (let attempt = 0; ; attempt++) {
          const kept = record.rounds.findIndex((r) => r.round === round);
          const previous = kept >= 0 ? record.rounds.splice(kept, 1)[0] : undefined;
          try {
            await measurePair(record, plan, args, pin, round);
          } catch (e) {
            log(`round ${round + 1}: ${record.client} → ${record.server}: FAILED ${String(e)}`);
            if (!record.rounds.some((r) => r.round === round)) record.rounds.push({ round, samples: [], error: String(e) });
          }
          const i = record.rounds.findIndex((r) => r.round === round);
          const current = { ...record.rounds[i]!, attempts: attempt + 1 };
          record.rounds[i] = previous !== undefined && noise(previous) < noise(current) && previous.error === undefined ? { ...previous, attempts: attempt + 1 } : current;
          if (noise(current) <= args.maxNoise || current.error !== undefined || retries === 0) break;
          retries--;
          log(`round ${round + 1}: ${record.client} → ${record.server}: other processes used ${Math.round(noise(current) * 100)}% of a core; running it again`);
        }
      }
    }
    if (args.retries > retries) notes.push(`${args.retries - retries} round(s) run again because other processes used more than ${Math.round(args.maxNoise * 100)}% of a core during them (retry budget ${args.retries}); the quietest attempt counts.`);
  } else if (failed) {
    notes.push("Not measured: a client failed verification against a server (see Verification).");
  }
  for (const r of records) {
    for (const x of r.rounds) {
      if (x.error !== undefined) {
        failed = true;
        notes.push(`${r.client} → ${r.server}, round ${x.round + 1}: ${x.error.split("\n")[0]}`);
      }
    }
  }
  const foreign = records.flatMap((r) => r.rounds.map((x) => x.foreignCpu)).filter((x): x is number => x !== undefined);
  if (foreign.length > 0 && Math.max(...foreign) > 0.15) {
    notes.push(
      `Other processes on the machine were busy during some rounds (up to ${Math.round(Math.max(...foreign) * 100)}% of a core, ` +
        `median ${Math.round(median(foreign) * 100)}%): those rounds are slower; medians over rounds damp it, ± shows it.`,
    );
  }
  if (args.cpuProf !== undefined) notes.push(`CPU profiles of the measured processes in ${resolve(args.cpuProf)}.`);

  const run: RunInfo = {
    quick: args.quick,
    rounds: args.rounds,
    warmupMs: args.warmupMs,
    settleMs: args.settleMs,
    sampleMs: args.sampleMs,
    pinning: pin.note,
    seconds: (performance.now() - started_) / 1000,
  };
  const text = markdown(records, verification, versions, run, notes, plan);
  console.log(text);
  if (!args.noFile && (args.out !== undefined || !args.quick)) writeOut(resolve(args.out ?? resultsFile("rpc.md")), text);
  if (args.json !== undefined) {
    const stats = records.map((r) => ({ client: r.client, server: r.server, cells: cellStats(r) }));
    writeOut(
      resolve(args.json),
      `${JSON.stringify({ run, versions, verification, records, stats, targets: targets(records), pids: started, notes }, null, 2)}\n`,
    );
  }
  if (failed) {
    log("FAILED: a client failed verification or a measurement failed (see above)");
    return 1;
  }
  return 0;
}

process.once("exit", killAll);
runMain("rpc bench", () => main(process.argv.slice(2)));
