// The load generators, run in the client process: closed-loop unary calls at
// a fixed concurrency on one connection, back-to-back server-streaming calls,
// and ping-pong on one bidi call. Each runs until its time is up or its count
// bound is reached, whichever comes first, and checks every response's size.
import { readFileSync } from "node:fs";
import { cellId, type Cell, type Plan } from "./plan.js";
import { bodyOf, type RpcClient } from "./protocol.js";

export interface Sample {
  readonly id: string;
  readonly cell: Cell;
  readonly seconds: number;
  /** Completed calls (unary and stream) or round trips (ping-pong). */
  readonly calls: number;
  /** Response messages received. */
  readonly messages: number;
  /** Response body bytes received. */
  readonly bytes: number;
  /** Latency percentiles in microseconds (unary, ping-pong). */
  readonly p50Us?: number;
  readonly p99Us?: number;
  /** CPU time over wall time, 1 = one core busy: this process, and the server when /proc shows it. */
  readonly clientCpu: number;
  readonly serverCpu?: number;
}

interface Counts {
  calls: number;
  messages: number;
  bytes: number;
  latencies?: Float64Array;
}

function mismatch(what: string, got: number, want: number): Error {
  return new Error(`${what}: got ${got}, expected ${want}`);
}

async function unary(client: RpcClient, size: number, concurrency: number, until: number, max: number, keep: boolean): Promise<Counts> {
  const body = bodyOf(size);
  const latencies = keep ? new Float64Array(max) : undefined;
  let issued = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (issued < max && performance.now() < until) {
      issued++;
      const t0 = performance.now();
      const reply = await client.unary(body);
      const dt = performance.now() - t0;
      if (reply.length !== size) throw mismatch("unary reply size", reply.length, size);
      if (latencies !== undefined) latencies[done] = dt;
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { calls: done, messages: done, bytes: done * size, latencies: latencies?.subarray(0, done) };
}

async function stream(client: RpcClient, size: number, perCall: number, until: number, max: number): Promise<Counts> {
  const counts: Counts = { calls: 0, messages: 0, bytes: 0 };
  while (counts.messages < max && performance.now() < until) {
    const t = await client.serverStream(perCall, size);
    if (t.messages !== perCall) throw mismatch("streamed messages", t.messages, perCall);
    if (t.bytes !== perCall * size) throw mismatch("streamed bytes", t.bytes, perCall * size);
    counts.calls++;
    counts.messages += t.messages;
    counts.bytes += t.bytes;
  }
  return counts;
}

async function pingpong(client: RpcClient, size: number, until: number, max: number, keep: boolean): Promise<Counts> {
  const body = bodyOf(size);
  const latencies = keep ? new Float64Array(max) : undefined;
  const session = client.bidi();
  let done = 0;
  while (done < max && performance.now() < until) {
    const t0 = performance.now();
    const reply = await session.ping(body);
    const dt = performance.now() - t0;
    if (reply.length !== size) throw mismatch("echo size", reply.length, size);
    if (latencies !== undefined) latencies[done] = dt;
    done++;
  }
  await session.close();
  return { calls: done, messages: done, bytes: done * size, latencies: latencies?.subarray(0, done) };
}

function run(client: RpcClient, cell: Cell, ms: number, plan: Plan, keep: boolean): Promise<Counts> {
  const until = performance.now() + ms;
  switch (cell.kind) {
    case "unary":
      return unary(client, cell.size, cell.concurrency, until, plan.maxCalls, keep);
    case "stream":
      return stream(client, cell.size, cell.perCall, until, plan.maxMessages);
    case "pingpong":
      return pingpong(client, cell.size, until, plan.maxCalls, keep);
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux Node.js runs on

/** CPU seconds a process used so far (all its threads), from /proc; undefined where there is no /proc. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export async function warmUp(client: RpcClient, plan: Plan): Promise<void> {
  const ms = plan.warmupMs;
  await run(client, { kind: "unary", size: 1024, concurrency: 16 }, ms * 0.4, plan, false);
  await run(client, { kind: "stream", size: 1024, perCall: 100 }, ms * 0.3, plan, false);
  await run(client, { kind: "pingpong", size: 0 }, ms * 0.3, plan, false);
}

/** Settles `cell` (unmeasured), then takes one sample of it. */
export async function measure(client: RpcClient, cell: Cell, plan: Plan, serverPid: number | undefined): Promise<Sample> {
  if (plan.settleMs > 0) await run(client, cell, plan.settleMs, plan, false);
  const cpu0 = process.cpuUsage();
  const server0 = serverPid !== undefined ? processCpuSeconds(serverPid) : undefined;
  const t0 = performance.now();
  const counts = await run(client, cell, plan.sampleMs, plan, true);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const server1 = serverPid !== undefined ? processCpuSeconds(serverPid) : undefined;
  let p50Us: number | undefined;
  let p99Us: number | undefined;
  if (counts.latencies !== undefined && counts.latencies.length > 0) {
    const sorted = Float64Array.from(counts.latencies).sort();
    p50Us = percentile(sorted, 0.5) * 1000;
    p99Us = percentile(sorted, 0.99) * 1000;
  }
  return {
    id: cellId(cell),
    cell,
    seconds,
    calls: counts.calls,
    messages: counts.messages,
    bytes: counts.bytes,
    p50Us,
    p99Us,
    clientCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    serverCpu: server0 !== undefined && server1 !== undefined ? (server1 - server0) / seconds : undefined,
  };
}
