#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function,
// with its file and line, biggest first.
//
// Usage: cpuprofile-summary.mjs FILE [TOP] [--layers] [--under PATTERN]…
//   --layers          also self time per layer: the runtime's folders
//                     (runtime/client, runtime/server, runtime/grpc, runtime/wire,
//                     runtime/message…), node:http2, node streams, other node
//                     internals, the bench, other packages, GC, idle
//   --under PATTERN   also inclusive time of the frames whose location contains
//                     PATTERN (e.g. runtime/dist/server/): every sample with such
//                     a frame on its stack, so node calls made from there count
//   --skip-ms N       ignore the first N ms of the profile (start-up, warm-up)
//   --ops N           also µs per operation: N operations in the part analysed
//   Percentages are of the busy time (all but idle).
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
const flags = { layers: false, under: [], ops: undefined, skipMs: 0 };
const positional = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--layers") flags.layers = true;
  else if (a === "--under") flags.under.push(argv[++i]);
  else if (a === "--ops") flags.ops = Number(argv[++i]);
  else if (a === "--skip-ms") flags.skipMs = Number(argv[++i]);
  else positional.push(a);
}
const [file, topArg] = positional;
if (!file) {
  console.error("usage: cpuprofile-summary.mjs FILE.cpuprofile [TOP] [--layers] [--under PATTERN]… [--skip-ms N] [--ops N]");
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const shortUrl = (url) => url.replace(/^file:\/\/.*?\/(packages|runtime|node_modules)\//, "$1/");

function layer(cf) {
  const name = cf.functionName;
  if (name === "(idle)") return "idle";
  if (name === "(garbage collector)") return "GC";
  if (name === "(program)" || name === "(root)") return "(program: V8 and native code outside JS frames)";
  const url = cf.url ?? "";
  if (url === "") return "native builtins (no JS location)";
  const runtime = /\/runtime\/dist\/([^/]+)\//.exec(url);
  if (runtime) return `runtime/${runtime[1]}`;
  if (url.startsWith("node:internal/http2")) return "node:http2";
  if (url.startsWith("node:internal/streams") || url.startsWith("node:internal/stream_base")) return "node streams";
  if (url.startsWith("node:events")) return "node:events";
  if (url.startsWith("node:internal/process/task_queues") || url.startsWith("node:internal/process/promises")) return "node ticks and microtasks";
  if (url.startsWith("node:")) return "other node internals";
  if (url.includes("/packages/bench/")) return "bench";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1];
  return shortUrl(url);
}

const self = new Map();
const layers = new Map();
const under = new Map(flags.under.map((p) => [p, 0]));
let total = 0;
let idle = 0;
const dt = profile.timeDeltas;
let clock = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  const node = byId.get(id);
  const t = dt[i] ?? 0;
  clock += t;
  if (clock < flags.skipMs * 1000) continue;
  total += t;
  const cf = node.callFrame;
  if (cf.functionName === "(idle)") idle += t;
  const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : "";
  const key = `${cf.functionName || "(anonymous)"} ${where}`.trim();
  self.set(key, (self.get(key) ?? 0) + t);
  const l = layer(cf);
  layers.set(l, (layers.get(l) ?? 0) + t);
  if (under.size > 0) {
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const url = byId.get(n).callFrame.url ?? "";
      for (const p of under.keys()) if (!seen.has(p) && url.includes(p)) seen.add(p);
    }
    for (const p of seen) under.set(p, under.get(p) + t);
  }
}
const busy = total - idle;
const ms = (t) => `${(t / 1000).toFixed(0)} ms`;
const pct = (t) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
const perOp = (t) => (flags.ops ? `  ${((t / flags.ops)).toFixed(2).padStart(7)} µs/op` : "");
console.log(`total ${ms(total)} sampled, busy ${ms(busy)} (${((100 * busy) / total).toFixed(0)}%); percentages of busy time${flags.ops ? `; ${flags.ops} ops` : ""}`);
if (flags.layers) {
  console.log("-- self time by layer");
  for (const [k, t] of [...layers.entries()].filter(([k]) => k !== "idle").sort((a, b) => b[1] - a[1])) console.log(`${pct(t)}${perOp(t)}  ${k}`);
}
if (under.size > 0) {
  console.log("-- inclusive time under");
  for (const [p, t] of under) console.log(`${pct(t)}${perOp(t)}  ${p}`);
}
console.log("-- self time by function");
const rows = [...self.entries()].filter(([k]) => !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, top);
for (const [k, t] of rows) console.log(`${pct(t)}${perOp(t)}  ${k}`);
