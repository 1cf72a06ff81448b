// The memory benchmark: how much of what a server takes for many concurrent
// streams it gives back once they end. For tsgrpc, @grpc/grpc-js and raw
// node:http2 (src/rpc/impl/), each in a server process of its own under
// --expose-gc, driven by the same client (raw node:http2, in this process):
//
//   start   after a warm-up of 100 streams, a full collection and a settle
//   open    N Bidi calls open at once, each having received one message and
//           echoed it, or M one after another with --messages M (the server
//           holds N live streams)
//   after   the N calls ended (client half-close, server OK), then a full
//           collection and a settle; the connection stays up
//   closed  after the client closed its connection, collection and settle
//
// Rounds repeat open/after on the same server, to tell memory kept for reuse
// (after round 2 ≈ after round 1) from a leak (it grows). The report goes to
// stdout and bench-results/memory.md.
//
//   node packages/bench/scripts/build.mjs --only rpc && node packages/bench/dist/memory.js [--quick] [--help]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { log, resultsFile, writeOut } from "./command.js";
import { int, list } from "./cli-values.js";
import { startedPids, startMemoryServer } from "./memory/server-process.js";
import type { MemorySample } from "./memory/sample.js";
import { loadImplementation } from "./rpc/impls.js";
import { bodyOf, type ImplName, implOrder, isImplName, type RpcClient } from "./rpc/protocol.js";

const usage = `Usage: node packages/bench/dist/memory.js [options]
  (build first: npx tsc -b runtime plugin && node packages/bench/scripts/build.mjs --only rpc)

  --quick          200 streams, 1 round, short settles: checks that it runs; the numbers mean nothing
  --streams N      concurrent Bidi calls per round (default 10000)
  --size N         bytes of each message a call receives and echoes (default 1024)
  --messages N     messages each call receives and echoes, one at a time, before the sample with the streams open (default 1)
  --rounds N       rounds of N streams on the same server (default 2)
  --settle-ms N    wait after the collection before each "after" sample (default 8000: V8 gives freed pages back some seconds after a collection)
  --impls a,b      servers to measure: tsgrpc, grpc-js, raw (default all three)
  --client NAME    the client for every server (default raw)
  --window BYTES   HTTP/2 receive window of the tsgrpc and raw servers (default theirs: 1 MiB)
  --out FILE       markdown report (default bench-results/memory.md at the repo root; none with --quick)
  --json FILE      results as JSON too
  --no-file        print the report only

  Server processes inherit the environment, so glibc's malloc can be tuned per run,
  e.g. MALLOC_ARENA_MAX=1 node packages/bench/dist/memory.js`;

const measured: readonly ImplName[] = ["tsgrpc", "grpc-js", "raw"];

interface Args {
  readonly quick: boolean;
  readonly streams: number;
  readonly size: number;
  readonly messages: number;
  readonly rounds: number;
  readonly settleMs: number;
  readonly impls: readonly ImplName[];
  readonly client: ImplName;
  readonly window?: number;
  readonly out?: string;
  readonly json?: string;
  readonly noFile: boolean;
}

function implName(name: string, flag: string): ImplName {
  if (!isImplName(name)) throw new Error(`${flag}: unknown implementation "${name}"; known: ${implOrder.join(", ")}`);
  return name;
}

function parse(argv: string[]): Args | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      streams: { type: "string" },
      size: { type: "string" },
      messages: { type: "string" },
      rounds: { type: "string" },
      "settle-ms": { type: "string" },
      impls: { type: "string" },
      client: { type: "string" },
      window: { type: "string" },
      out: { type: "string" },
      json: { type: "string" },
      "no-file": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const quick = values.quick;
  const streams = int("streams", values.streams, quick ? 200 : 10_000);
  if (streams === 0) throw new Error("--streams must be at least 1");
  return {
    quick,
    streams,
    size: int("size", values.size, 1024),
    messages: Math.max(1, int("messages", values.messages, 1)),
    rounds: Math.max(1, int("rounds", values.rounds, quick ? 1 : 2)),
    settleMs: int("settle-ms", values["settle-ms"], quick ? 200 : 8000),
    impls: (list(values.impls) ?? measured).map((n) => implName(n, "--impls")),
    client: implName(values.client ?? "raw", "--client"),
    ...(values.window !== undefined ? { window: int("window", values.window, 0) } : {}),
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values.json !== undefined ? { json: values.json } : {}),
    noFile: values["no-file"],
  };
}

export interface ImplRecord {
  readonly impl: ImplName;
  readonly start: MemorySample;
  /** Per round: with every stream open, and after they ended and the server settled. */
  readonly rounds: { readonly open: MemorySample; readonly after: MemorySample }[];
  /** After the client disconnected and the server settled. */
  readonly closed: MemorySample;
  /** Peak resident set over the server's life (getrusage), bytes. */
  readonly maxRss?: number;
}

const WARM_UP_STREAMS = 100;
/** Bound on each phase (opening N streams, ending them, one server command). */
const PHASE_TIMEOUT_MS = 120_000;

function within<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${PHASE_TIMEOUT_MS} ms`)), PHASE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens `n` Bidi calls at once, each echoing `messages` messages in turn; resolves with a function that ends them all. */
async function openStreams(client: RpcClient, n: number, size: number, messages = 1): Promise<() => Promise<void>> {
  const body = bodyOf(size);
  const sessions = Array.from({ length: n }, () => client.bidi());
  for (let m = 0; m < messages; m++) {
    const echoes = await within(`${n} echoes`, Promise.all(sessions.map((s) => s.ping(body))));
    const wrong = echoes.findIndex((e) => e.length !== size);
    if (wrong >= 0) throw new Error(`stream ${wrong} echoed ${echoes[wrong]!.length} bytes instead of ${size}`);
  }
  return () => within(`ending ${n} streams`, Promise.all(sessions.map((s) => s.close()))).then(() => undefined);
}

async function measure(impl: ImplName, args: Args): Promise<ImplRecord> {
  const server = await startMemoryServer(impl, args.window, PHASE_TIMEOUT_MS);
  try {
    const client = await (await loadImplementation(args.client)).connect(server.port);
    await (await openStreams(client, WARM_UP_STREAMS, args.size))();
    const start = await server.settle(args.settleMs);
    const rounds: ImplRecord["rounds"][number][] = [];
    for (let r = 0; r < args.rounds; r++) {
      const end = await openStreams(client, args.streams, args.size, args.messages);
      const open = await server.sample();
      await end();
      rounds.push({ open, after: await server.settle(args.settleMs) });
      const after = rounds[r]!.after;
      log(
        `memory ${impl}: round ${r + 1}: rss ${mib(start.rss)} → ${mib(open.rss)} → ${mib(after.rss)} MiB, ` +
          `malloc heap ${mib(start.mallocHeap)} → ${mib(open.mallocHeap)} → ${mib(after.mallocHeap)} MiB`,
      );
    }
    await client.close();
    const closed = await server.settle(args.settleMs);
    const maxRss = await server.stop();
    return { impl, start, rounds, closed, ...(maxRss !== undefined ? { maxRss } : {}) };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? "–" : (bytes / 1024 / 1024).toFixed(1);
}

/** Growth of RssAnon not explained by V8's heap, or "–" off Linux. */
function outsideHeap(start: MemorySample, after: MemorySample): string {
  if (start.rssAnon === undefined || after.rssAnon === undefined) return "–";
  return signedMib(after.rssAnon - start.rssAnon - (after.heapTotal - start.heapTotal));
}

function signedMib(bytes: number): string {
  return `${bytes >= 0 ? "+" : "−"}${mib(Math.abs(bytes))}`;
}

export function markdown(records: readonly ImplRecord[], args: Args, versions: Record<string, { version: string }>): string {
  const lines = [
    `# Memory after ${args.streams} concurrent streams`,
    "",
    `Server memory in MiB. Client: ${args.client} (the same for every server), one connection; ${args.streams} Bidi calls open at once, each receiving and echoing ${args.messages === 1 ? "one" : `${args.messages}, one at a time,`} ${args.size}-byte message${args.messages === 1 ? "" : "s"}; then they end (OK) and the server collects garbage (--expose-gc) and settles ${args.settleMs} ms.` +
      (args.window !== undefined ? ` HTTP/2 receive window of the tsgrpc and raw servers: ${args.window} bytes.` : ""),
    "",
    "| server | RSS start | RSS open | RSS after | kept (after − start) | kept outside V8's heap | malloc heap start → open → after | peak RSS | heap total start → after | heap used start → after | external start → after | arrayBuffers start → after | RSS after disconnect |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const rec of records) {
    rec.rounds.forEach(({ open, after }, i) => {
      const s = rec.start;
      lines.push(
        `| ${rec.impl}${rec.rounds.length > 1 ? ` (round ${i + 1})` : ""} | ${mib(s.rss)} | ${mib(open.rss)} | ${mib(after.rss)} | ${signedMib(after.rss - s.rss)} | ${outsideHeap(s, after)} | ` +
          `${mib(s.mallocHeap)} → ${mib(open.mallocHeap)} → ${mib(after.mallocHeap)} | ${mib(rec.maxRss)} | ` +
          `${mib(s.heapTotal)} → ${mib(after.heapTotal)} | ${mib(s.heapUsed)} → ${mib(after.heapUsed)} | ${mib(s.external)} → ${mib(after.external)} | ${mib(s.arrayBuffers)} → ${mib(after.arrayBuffers)} | ` +
          `${i === rec.rounds.length - 1 ? mib(rec.closed.rss) : ""} |`,
      );
    });
  }
  lines.push(
    "",
    "Kept outside V8's heap: the growth of the anonymous resident set (RssAnon) less that of V8's heap (heap total, which V8 gives back on a schedule of its own): " +
      "memory of malloc (node:http2, nghttp2, ArrayBuffer contents) that the process freed or still holds.",
    "Malloc heap: glibc's main heap (the [heap] mapping), which gives memory back only from its top: what it grew by while the streams were open stays mapped " +
      "once a chunk allocated near the peak is still in use (V8's global-handle blocks, which node:http2's per-stream objects fill, are never freed), and what of it was touched stays resident.",
  );
  lines.push("", "Versions: " + records.map((r) => `${r.impl} ${versions[r.impl]?.version ?? "?"}`).join("; ") + `; Node ${process.version}.`, "");
  return lines.join("\n");
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args === undefined) {
    console.log(usage);
    return;
  }
  const versions = (JSON.parse(readFileSync(new URL("peers.json", import.meta.url), "utf8")) as { rpc: Record<string, { version: string }> }).rpc;
  const records: ImplRecord[] = [];
  for (const impl of args.impls) records.push(await measure(impl, args));
  const text = markdown(records, args, versions);
  process.stdout.write(text);
  if (args.json !== undefined) writeOut(resolve(args.json), JSON.stringify({ args, records, pids: startedPids }, null, 2));
  if (!args.noFile && (args.out !== undefined || !args.quick)) writeOut(resolve(args.out ?? resultsFile("memory.md")), text);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
