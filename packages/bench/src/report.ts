// The markdown report: throughput per workload and library, tsgrpc's ratio to
// each peer, the targets, and what verification found.
import { arch, cpus, loadavg, platform } from "node:os";
import type { BuildInfo, LibraryName } from "./libraries.js";
import { libraryOrder } from "./libraries.js";
import { summarize, type Op, type Series, type Summary } from "./measure.js";
import type { Agreement } from "./verify.js";

export interface WorkloadResult {
  readonly name: string;
  readonly kind: "dataset" | "synthetic";
  readonly description: string;
  readonly typeName: string;
  readonly payloads: number;
  readonly bytes: number;
  readonly rounds: number;
  readonly series: Series[];
}

export interface RunInfo {
  readonly quick: boolean;
  readonly payloads: "uint8array" | "buffer";
  readonly rounds: number;
  readonly warmupMs: number;
  readonly sampleMs: number;
  readonly seconds: number;
}

export interface Cell extends Summary {
  /** Payload megabytes (10^6 B) per second. */
  readonly mbps: number;
  /** Messages per second. */
  readonly opsps: number;
}

export function cell(r: WorkloadResult, library: LibraryName, op: Op): Cell | undefined {
  const s = r.series.find((x) => x.library === library && x.op === op);
  if (s === undefined || s.samples.length === 0) return undefined;
  const sum = summarize(s.samples);
  return { ...sum, mbps: r.bytes / 1e6 / (sum.median / 1e3), opsps: r.payloads / (sum.median / 1e3) };
}

export interface Ratio {
  readonly value: number;
  /** Within the noise: |ratio - 1| is no more than the two spreads added. */
  readonly withinNoise: boolean;
}

/** tsgrpc's throughput over `peer`'s: above 1, tsgrpc is faster. */
export function ratio(r: WorkloadResult, peer: LibraryName, op: Op): Ratio | undefined {
  const ours = cell(r, "tsgrpc", op);
  const theirs = cell(r, peer, op);
  if (ours === undefined || theirs === undefined) return undefined;
  const value = theirs.median / ours.median;
  return { value, withinNoise: Math.abs(value - 1) <= ours.spread + theirs.spread };
}

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function fmtRatio(x: Ratio | undefined): string {
  if (x === undefined) return "–";
  const s = `${x.value.toFixed(2)}×`;
  return x.withinNoise ? `≈${s}` : x.value < 1 ? `**${s}**` : s;
}

const describe: Record<LibraryName, string> = {
  tsgrpc: "tsgrpc (protoc-gen-tsgrpc + @tsgrpc/runtime)",
  "protobuf-es": "@bufbuild/protobuf + protoc-gen-es (target=ts)",
  "ts-proto": "ts-proto (forceLong=bigint; runtime: @bufbuild/protobuf/wire)",
  protobufjs: "protobufjs static code (pbjs -t static-module -w es6, pbts)",
  "google-protobuf": "google-protobuf (protoc-gen-js)",
};

export interface Targets {
  readonly lines: string[];
  readonly met: boolean;
}

/** The issue's targets: on every dataset workload ≥1.2× protobufjs and ≥2× protobuf-es; no workload slower than any peer. */
export function targets(results: readonly WorkloadResult[], peers: readonly LibraryName[]): Targets {
  const lines: string[] = [];
  let met = true;
  const datasets = results.filter((r) => r.kind === "dataset");
  const check = (peer: LibraryName, min: number): void => {
    if (!peers.includes(peer)) {
      lines.push(`| ≥ ${min}× ${peer}, encode and decode, every dataset workload | not measured (${peer} unavailable) |`);
      return;
    }
    if (datasets.length === 0) {
      lines.push(`| ≥ ${min}× ${peer}, encode and decode, every dataset workload | not measured (no datasets) |`);
      return;
    }
    const misses: string[] = [];
    for (const r of datasets) {
      for (const op of ["decode", "encode"] as const) {
        const x = ratio(r, peer, op);
        if (x !== undefined && x.value < min) misses.push(`${r.name} ${op} ${x.value.toFixed(2)}×`);
      }
    }
    if (misses.length > 0) met = false;
    lines.push(`| ≥ ${min}× ${peer}, encode and decode, every dataset workload | ${misses.length === 0 ? "met" : `**missed**: ${misses.join(", ")}`} |`);
  };
  check("protobufjs", 1.2);
  check("protobuf-es", 2);
  const slower: string[] = [];
  const noisy: string[] = [];
  for (const r of results) {
    for (const peer of peers) {
      for (const op of ["decode", "encode"] as const) {
        const x = ratio(r, peer, op);
        if (x === undefined || x.value >= 1) continue;
        (x.withinNoise ? noisy : slower).push(`${r.name} ${op} vs ${peer} ${x.value.toFixed(2)}×`);
      }
    }
  }
  if (slower.length > 0) met = false;
  lines.push(
    `| no workload slower than any peer | ${slower.length === 0 ? "met" : `**missed**: ${slower.join(", ")}`}` +
      `${noisy.length > 0 ? `; slower within the noise: ${noisy.join(", ")}` : ""} |`,
  );
  return { lines, met };
}

export function markdown(
  results: readonly WorkloadResult[],
  agreements: ReadonlyMap<string, readonly Agreement[]>,
  info: BuildInfo,
  run: RunInfo,
  notes: readonly string[],
): string {
  const measured = libraryOrder.filter((l) => results.some((r) => r.series.some((s) => s.library === l)));
  const peers = measured.filter((l) => l !== "tsgrpc");
  const cpu = cpus();
  const out: string[] = [];
  out.push("# tsgrpc codec benchmark", "");
  if (run.quick) out.push("> **Quick mode**: a few passes per library, to check correctness only. The numbers below mean nothing.", "");
  out.push(
    `Node ${process.version} (V8 ${process.versions.v8}), ${platform()} ${arch()}, ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}; ` +
      `${new Date().toISOString().slice(0, 10)}; ${run.rounds} rounds of ~${run.sampleMs} ms samples after ${run.warmupMs} ms warm-up ` +
      `per library and operation; ${run.seconds.toFixed(0)} s in all; load average ${loadavg()[0].toFixed(1)} at the end ` +
      "(other processes on the machine add noise: compare the ± columns).",
    "",
    "Libraries, each with the code its own generator made from the same .proto files:",
    "",
  );
  for (const l of libraryOrder) {
    const p = info.peers[l];
    if (p === undefined) continue;
    out.push(`- ${describe[l]} ${p.version}${p.available ? "" : ` — **not measured**: ${p.reason ?? "unavailable"}`}`);
  }
  out.push(
    "",
    `Payloads are decoded from ${run.payloads === "buffer" ? "Node.js Buffers (as node:http2 delivers them; protobufjs then decodes strings with Buffer#utf8Slice)" : "plain Uint8Arrays (run with --payloads buffer for Node.js Buffers, as node:http2 delivers them)"}. ` +
      "One op is one message decoded (or encoded). MB/s counts the payload's bytes (10^6 B), for encode too. " +
      "Numbers are the median of the rounds; ± is half the interquartile range, relative to the median. " +
      "Libraries are sampled round-robin within each round, one process per workload. " +
      "tsgrpc ÷ peer is tsgrpc's throughput over the peer's: above 1× tsgrpc is faster; **bold** below 1×; ≈ within the noise.",
    "",
  );

  out.push("## tsgrpc ÷ peer (decode / encode)", "");
  out.push(`| workload | ${peers.map((p) => `vs ${p}`).join(" | ")} |`, `|---|${peers.map(() => "---|").join("")}`);
  for (const r of results) {
    out.push(`| ${r.name} | ${peers.map((p) => `${fmtRatio(ratio(r, p, "decode"))} / ${fmtRatio(ratio(r, p, "encode"))}`).join(" | ")} |`);
  }
  out.push("");

  const t = targets(results, peers);
  out.push("## Targets", "", "| target | result |", "|---|---|", ...t.lines, "");

  out.push("## Per workload", "");
  for (const r of results) {
    out.push(`### ${r.name}`, "", `${r.description}. ${r.payloads} payload(s), ${r.bytes} B in all; ${r.rounds} rounds.`, "");
    out.push(
      "| library | decode MB/s | decode ops/s | ± | encode MB/s | encode ops/s | ± | tsgrpc ÷ lib decode | tsgrpc ÷ lib encode |",
      "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    );
    for (const l of measured) {
      const d = cell(r, l, "decode");
      const e = cell(r, l, "encode");
      const pct = (c: Cell | undefined): string => (c === undefined ? "–" : `${(c.spread * 100).toFixed(1)}%`);
      out.push(
        `| ${l} | ${d ? fmt(d.mbps) : "–"} | ${d ? fmt(d.opsps) : "–"} | ${pct(d)} | ${e ? fmt(e.mbps) : "–"} | ${e ? fmt(e.opsps) : "–"} | ${pct(e)} | ` +
          `${l === "tsgrpc" ? "1.00×" : fmtRatio(ratio(r, l, "decode"))} | ${l === "tsgrpc" ? "1.00×" : fmtRatio(ratio(r, l, "encode"))} |`,
      );
    }
    out.push("");
  }

  out.push("## Verification", "");
  out.push(
    "Before timing, for every payload and library L: L's decoded values equal tsgrpc's field by field; L's encoding, " +
      "read back by tsgrpc, has the same values; tsgrpc's encoding, read by L, has the same values.",
    "",
    "| workload | library | agreed | notes |",
    "|---|---|---|---|",
  );
  for (const [name, list] of agreements) {
    for (const a of list) {
      out.push(`| ${name} | ${a.library} | ${a.agreed ? "yes" : "**NO**"} (${a.payloads} payloads) | ${[a.failure ?? "", ...a.notes].filter((s) => s !== "").join("; ")} |`);
    }
  }
  if (notes.length > 0) out.push("", "Notes:", "", ...notes.map((n) => `- ${n}`));
  out.push("");
  return out.join("\n");
}
