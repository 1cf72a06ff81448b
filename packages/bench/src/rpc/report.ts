// The RPC benchmark's results: per pair and cell, medians over rounds; the
// issue's targets, as ratios taken in the same run; the markdown report.
import { arch, cpus, loadavg, platform } from "node:os";
import type { Pair } from "./args.js";
import type { Sample } from "./load.js";
import { cellId, type Cell, type Plan, sizeName } from "./plan.js";
import { implOrder, type ImplName } from "./protocol.js";
import type { Check } from "./verify.js";

export interface RoundRecord {
  readonly round: number;
  readonly samples: readonly Sample[];
  readonly serverRssKiB?: number;
  readonly clientRssKiB?: number;
  /** CPU the machine spent outside this round's processes, per second of the round (1 = one core). */
  readonly foreignCpu?: number;
  /** Hypervisor steal, per second (1 = one core). */
  readonly steal?: number;
  /** Runs it took (more than 1 when other processes disturbed it). */
  readonly attempts?: number;
  readonly error?: string;
}

export interface PairRecord extends Pair {
  readonly rounds: RoundRecord[];
}

export interface Verification extends Pair {
  readonly checks: readonly Check[];
  readonly error?: string;
}

export interface CellStats {
  readonly id: string;
  readonly cell: Cell;
  readonly rounds: number;
  /** Calls/s (unary), messages/s (stream), round trips/s (ping-pong). */
  readonly rate: number;
  /** Half the range of `rate` over the rounds, relative to its median. */
  readonly spread: number;
  readonly mbps: number;
  readonly p50Us?: number;
  readonly p99Us?: number;
  readonly serverCpu?: number;
  readonly clientCpu: number;
}

export interface RunInfo {
  readonly quick: boolean;
  readonly rounds: number;
  readonly warmupMs: number;
  readonly settleMs: number;
  readonly sampleMs: number;
  readonly pinning: string;
  readonly seconds: number;
}

export type Versions = Partial<Record<ImplName, { available: boolean; version: string; reason?: string }>>;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function defined(xs: readonly (number | undefined)[]): number[] {
  return xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
}

function medianOf(xs: readonly (number | undefined)[]): number | undefined {
  const d = defined(xs);
  return d.length === 0 ? undefined : median(d);
}

/** Medians over the rounds of one pair, per cell, in plan order. */
export function cellStats(record: PairRecord): CellStats[] {
  const byId = new Map<string, Sample[]>();
  for (const r of record.rounds) for (const s of r.samples) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
  const out: CellStats[] = [];
  for (const [id, samples] of byId) {
    const cell = samples[0]!.cell;
    const rates = samples.map((s) => (cell.kind === "stream" ? s.messages : s.calls) / s.seconds);
    const rate = median(rates);
    out.push({
      id,
      cell,
      rounds: samples.length,
      rate,
      spread: rate > 0 ? (Math.max(...rates) - Math.min(...rates)) / 2 / rate : 0,
      mbps: median(samples.map((s) => s.bytes / s.seconds / 1e6)),
      p50Us: medianOf(samples.map((s) => s.p50Us)),
      p99Us: medianOf(samples.map((s) => s.p99Us)),
      serverCpu: medianOf(samples.map((s) => s.serverCpu)),
      clientCpu: median(samples.map((s) => s.clientCpu)),
    });
  }
  return out;
}

export function serverRss(record: PairRecord): number | undefined {
  return medianOf(record.rounds.map((r) => r.serverRssKiB));
}

function clientRss(record: PairRecord): number | undefined {
  return medianOf(record.rounds.map((r) => r.clientRssKiB));
}

export const pairName = (p: Pair): string => `${p.client} → ${p.server}`;

function find(records: readonly PairRecord[], client: ImplName, server: ImplName): PairRecord | undefined {
  return records.find((r) => r.client === client && r.server === server);
}

function stat(records: readonly PairRecord[], impl: ImplName, id: string): CellStats | undefined {
  const r = find(records, impl, impl);
  return r === undefined ? undefined : cellStats(r).find((c) => c.id === id);
}

export interface TargetLine {
  readonly target: string;
  readonly measured: string;
  /** undefined: not measured. */
  readonly met: boolean | undefined;
}

/** The issue's targets, each from the same run: tsgrpc with itself against each peer with itself. */
export function targets(records: readonly PairRecord[]): TargetLine[] {
  const lines: TargetLine[] = [];
  const unaryIds = (c: number): string[] => [0, 1024].map((size) => cellId({ kind: "unary", size, concurrency: c }));
  const ratio = (peer: ImplName, ids: string[], min: number, what: string): void => {
    const parts: string[] = [];
    let met: boolean | undefined = true;
    for (const id of ids) {
      const ours = stat(records, "tsgrpc", id);
      const theirs = stat(records, peer, id);
      if (ours === undefined || theirs === undefined) {
        met = undefined;
        parts.push(`${id}: not measured`);
        continue;
      }
      const x = ours.rate / theirs.rate;
      if (x < min && met !== undefined) met = false;
      parts.push(`${id}: ${x.toFixed(2)}×`);
    }
    lines.push({ target: `${what} tsgrpc ÷ ${peer} ≥ ${min}`, measured: parts.join(", "), met });
  };
  ratio("grpc-js", unaryIds(100), 1.5, "unary calls/s at concurrency 100,");
  ratio("connect-node", unaryIds(100), 1.2, "unary calls/s at concurrency 100,");
  ratio("raw", unaryIds(100), 0.85, "unary calls/s at concurrency 100,");
  ratio("raw", [cellId({ kind: "stream", size: 1024, perCall: 0 }), cellId({ kind: "stream", size: 65536, perCall: 0 })], 0.9, "server streaming messages/s,");

  const p99: string[] = [];
  let p99met: boolean | undefined = true;
  for (const c of [1, 16, 100]) {
    for (const id of unaryIds(c)) {
      const ours = stat(records, "tsgrpc", id)?.p99Us;
      const theirs = stat(records, "grpc-js", id)?.p99Us;
      if (ours === undefined || theirs === undefined) {
        p99met = undefined;
        continue;
      }
      if (ours > theirs && p99met !== undefined) p99met = false;
      p99.push(`${id}: ${fmtUs(ours)} vs ${fmtUs(theirs)} µs`);
    }
  }
  lines.push({ target: "unary p99 latency tsgrpc ≤ grpc-js at every concurrency", measured: p99.length > 0 ? p99.join(", ") : "not measured", met: p99met });

  const ours = find(records, "tsgrpc", "tsgrpc");
  const theirs = find(records, "grpc-js", "grpc-js");
  const a = ours && serverRss(ours);
  const b = theirs && serverRss(theirs);
  lines.push({
    target: "server peak RSS tsgrpc ≤ grpc-js",
    measured: a !== undefined && b !== undefined ? `${fmtMiB(a)} vs ${fmtMiB(b)} MiB` : "not measured",
    met: a !== undefined && b !== undefined ? a <= b : undefined,
  });
  return lines;
}

function fmtRate(n: number): string {
  if (!Number.isFinite(n)) return "–";
  if (n >= 100) return Math.round(n).toLocaleString("en-US");
  return n.toFixed(1);
}

function fmtUs(us: number | undefined): string {
  if (us === undefined) return "–";
  return us >= 100 ? Math.round(us).toLocaleString("en-US") : us.toFixed(1);
}

function fmtMiB(kib: number | undefined): string {
  return kib === undefined ? "–" : (kib / 1024).toFixed(1);
}

function pct(x: number | undefined): string {
  return x === undefined ? "–" : `${Math.round(x * 100)}%`;
}

const describe: Record<ImplName, string> = {
  tsgrpc: "tsgrpc: protoc-gen-tsgrpc code (RpcBench, RpcBenchClient) on @tsgrpc/runtime",
  "grpc-js": "grpc-js: rpc.proto loaded with @grpc/proto-loader (protobufjs reflection), callback and Node-stream API",
  "connect-node": "connect-node: gRPC protocol over HTTP/2, protoc-gen-es code; compression off on both sides (by default it gzips responses ≥ 1 KiB)",
  raw: "raw: node:http2 with hand-written framing and Payload bytes, nothing else — the ceiling for anything on node:http2",
};

export function markdown(
  records: readonly PairRecord[],
  verification: readonly Verification[],
  versions: Versions,
  run: RunInfo,
  notes: readonly string[],
  plan: Plan,
): string {
  const cpu = cpus();
  const out: string[] = [];
  out.push("# tsgrpc RPC benchmark", "");
  if (run.quick) out.push("> **Quick mode**: tiny windows and counts, to check correctness only. The numbers below mean nothing.", "");
  out.push(
    `Node ${process.version}, ${platform()} ${arch()}, ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}; ` +
      `${new Date().toISOString().slice(0, 10)}; ${run.pinning}; ` +
      `${run.rounds} round(s) per pair, each in fresh server and client processes: ${run.warmupMs} ms warm-up of all call kinds, ` +
      `then per cell ${run.settleMs} ms unmeasured and a ${run.sampleMs} ms sample; medians over the rounds; ` +
      `${run.seconds.toFixed(0)} s in all; load average ${loadavg()[0]!.toFixed(1)} at the end.`,
    "",
    "Every client makes one HTTP/2 connection to 127.0.0.1 (h2c, no TLS), without compression. Each implementation " +
      "runs with its own default settings: grpc-js and connect-node keep node:http2's 64 KiB flow-control windows, " +
      "tsgrpc advertises 1 MiB windows (its `flowControlWindow` default), and raw uses tsgrpc's windows so that it stays the ceiling. " +
      "Implementations, each as a server and as a client:",
    "",
  );
  for (const name of implOrder) {
    const v = versions[name];
    if (v === undefined) continue;
    out.push(`- ${describe[name]} (${v.version})${v.available ? "" : ` — **not measured**: ${v.reason ?? "unavailable"}`}`);
  }
  const streams = plan.cells.flatMap((c) => (c.kind === "stream" ? [`${c.perCall} × ${sizeName(c.size)}`] : []));
  out.push(
    "",
    "Unary: closed loop, N calls in flight on the one connection, each echoing a body of the size shown. " +
      `Server streaming: back-to-back calls of ${streams.join(" or ")} messages. ` +
      "Ping-pong: one bidi call, one message echoed at a time. " +
      "Cross pairs (client → server of different implementations) show which side costs what; raw on one side leaves the other's cost. " +
      "± is half the range over the rounds, relative to the median. CPU is the process's CPU time over the sample's wall time " +
      "(100% = one core: at 100% that side is the bottleneck). MB/s counts body bytes (10^6 B).",
    "",
  );

  const t = targets(records);
  out.push("## Targets", "", "| target | measured | result |", "|---|---|---|");
  for (const l of t) out.push(`| ${l.target} | ${l.measured} | ${l.met === undefined ? "not measured" : l.met ? "met" : "**missed**"} |`);
  out.push("");

  const rows = records.flatMap((r) => cellStats(r).map((s) => ({ r, s })));
  const byCell = (kind: Cell["kind"]) =>
    rows
      .filter((x) => x.s.cell.kind === kind)
      .sort((a, b) => {
        const ca = a.s.cell;
        const cb = b.s.cell;
        if (ca.size !== cb.size) return ca.size - cb.size;
        if (ca.kind === "unary" && cb.kind === "unary" && ca.concurrency !== cb.concurrency) return ca.concurrency - cb.concurrency;
        return records.indexOf(a.r) - records.indexOf(b.r);
      });

  const unary = byCell("unary");
  if (unary.length > 0) {
    out.push("## Unary", "", "| payload | concurrency | client → server | calls/s | ± | p50 µs | p99 µs | server CPU | client CPU |", "|---|--:|---|--:|--:|--:|--:|--:|--:|");
    for (const { r, s } of unary) {
      const c = s.cell as Extract<Cell, { kind: "unary" }>;
      out.push(
        `| ${sizeName(c.size)} | ${c.concurrency} | ${pairName(r)} | ${fmtRate(s.rate)} | ${pct(s.spread)} | ${fmtUs(s.p50Us)} | ${fmtUs(s.p99Us)} | ${pct(s.serverCpu)} | ${pct(s.clientCpu)} |`,
      );
    }
    out.push("");
  }
  const stream = byCell("stream");
  if (stream.length > 0) {
    out.push("## Server streaming", "", "| message | client → server | messages/s | MB/s | ± | server CPU | client CPU |", "|---|---|--:|--:|--:|--:|--:|");
    for (const { r, s } of stream) {
      out.push(`| ${sizeName(s.cell.size)} | ${pairName(r)} | ${fmtRate(s.rate)} | ${s.mbps.toFixed(1)} | ${pct(s.spread)} | ${pct(s.serverCpu)} | ${pct(s.clientCpu)} |`);
    }
    out.push("");
  }
  const ping = byCell("pingpong");
  if (ping.length > 0) {
    out.push("## Bidi ping-pong", "", "| message | client → server | round trips/s | ± | p50 µs | p99 µs | server CPU | client CPU |", "|---|---|--:|--:|--:|--:|--:|--:|");
    for (const { r, s } of ping) {
      out.push(`| ${sizeName(s.cell.size)} | ${pairName(r)} | ${fmtRate(s.rate)} | ${pct(s.spread)} | ${fmtUs(s.p50Us)} | ${fmtUs(s.p99Us)} | ${pct(s.serverCpu)} | ${pct(s.clientCpu)} |`);
    }
    out.push("");
  }
  const foreign = records.flatMap((r) => r.rounds.map((x) => x.foreignCpu)).filter((x): x is number => x !== undefined);
  if (foreign.length > 0) {
    const steal = records.flatMap((r) => r.rounds.map((x) => x.steal)).filter((x): x is number => x !== undefined);
    out.push(
      "## Noise",
      "",
      `CPU used on the machine by processes other than the round's server, client and harness, per round: median ${pct(median(foreign))}, ` +
        `max ${pct(Math.max(...foreign))} of a core; hypervisor steal median ${pct(median(steal))}, max ${pct(Math.max(...steal))}.`,
      "",
    );
  }
  if (records.length > 0) {
    out.push("## Peak RSS", "", "Peak resident set (getrusage maxRSS) of each process over its whole run, median over the rounds.", "");
    out.push("| client → server | server MiB | client MiB |", "|---|--:|--:|");
    for (const r of records) out.push(`| ${pairName(r)} | ${fmtMiB(serverRss(r))} | ${fmtMiB(clientRss(r))} |`);
    out.push("");
  }

  if (verification.length > 0) {
    const impls = implOrder.filter((i) => verification.some((v) => v.client === i || v.server === i));
    out.push(
      "## Verification",
      "",
      "Before timing, every client called every server with each call kind and checked sizes and bytes " +
        "(empty and 64 KiB messages, empty streams, 32 concurrent calls). Rows: client; columns: server.",
      "",
      `| client ↓ server → | ${impls.join(" | ")} |`,
      `|---|${impls.map(() => "---|").join("")}`,
    );
    for (const c of impls) {
      const cells = impls.map((s) => {
        const v = verification.find((x) => x.client === c && x.server === s);
        if (v === undefined) return "–";
        const failed = v.checks.filter((k) => !k.ok);
        if (v.error !== undefined) return `**failed**: ${v.error.split("\n")[0]}`;
        return failed.length === 0 ? `ok (${v.checks.length})` : `**failed**: ${failed.map((k) => `${k.name}: ${k.detail ?? ""}`).join("; ")}`;
      });
      out.push(`| ${c} | ${cells.join(" | ")} |`);
    }
    out.push("");
  }
  if (notes.length > 0) out.push("Notes:", "", ...notes.map((n) => `- ${n}`), "");
  return out.join("\n");
}
