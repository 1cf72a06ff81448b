#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function,
// with its file and line, biggest first. Usage: cpuprofile-summary.mjs FILE [TOP]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: cpuprofile-summary.mjs FILE.cpuprofile [TOP]");
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const t = dt[i] ?? 0;
  total += t;
  const cf = node.callFrame;
  const where = cf.url ? `${cf.url.replace(/^file:\/\/.*?\/(packages|runtime|node_modules)\//, "$1/")}:${cf.lineNumber + 1}` : "";
  const key = `${cf.functionName || "(anonymous)"} ${where}`.trim();
  self.set(key, (self.get(key) ?? 0) + t);
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [k, t] of rows) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
