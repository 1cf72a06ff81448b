#!/usr/bin/env node
// Where the instructions of one call go, function by function, from the
// profile of a measured window that rpc-callgrind.js --keep DIR left
// (DIR/<cell>-r<k>.callgrind.out.1, N calls): a function's self Ir over N.
// Given a second profile (another commit's, or another repeat), it lists the
// functions whose Ir per call differ most.
//
//   node packages/bench/scripts/callgrind-per-call.mjs --calls N A.callgrind.out.1 [B.callgrind.out.1] [--top K]
//
// Code V8 compiled has no symbol; callgrind names it by address, which
// differs from run to run, so it is summed into one row.
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({ options: { calls: { type: "string" }, top: { type: "string", default: "30" } }, allowPositionals: true });
const calls = Number(values.calls);
const top = Number(values.top);
if (!Number.isInteger(calls) || calls <= 0 || (positionals.length !== 1 && positionals.length !== 2)) {
  console.error("usage: callgrind-per-call.mjs --calls N A.callgrind.out.1 [B.callgrind.out.1] [--top K]");
  process.exit(2);
}

const JIT = "(code V8 compiled: no symbol)";

/**
 * Self Ir by function, from callgrind_annotate. In the profile of a window
 * (a dump before the run's end), the functions on the stack at the dump
 * show the whole window: they are left out.
 */
function selfCosts(file) {
  const text = execFileSync("callgrind_annotate", ["--threshold=100", file], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const total = Number(/^\s*([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS$/m.exec(text)?.[1].replaceAll(",", "") ?? NaN);
  const costs = new Map();
  for (const line of text.split("\n")) {
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (m === null || m[2] === "PROGRAM TOTALS" || Number(m[1].replaceAll(",", "")) >= 0.99 * total) continue;
    const name = /^\?\?\?:0x[0-9a-f]+ \[\?\?\?\]$/.test(m[2]) ? JIT : m[2].replace(/^\?\?\?:/, "");
    costs.set(name, (costs.get(name) ?? 0) + Number(m[1].replaceAll(",", "")));
  }
  return costs;
}

function perCall(file) {
  const out = new Map();
  for (const [name, ir] of selfCosts(file)) out.set(name, ir / calls);
  return out;
}

const sum = (m) => [...m.values()].reduce((x, y) => x + y, 0);
const fmt = (x) => Math.round(x).toLocaleString("en-US").padStart(9);
const short = (name) => (name.length > 140 ? `${name.slice(0, 137)}...` : name);

const first = perCall(positionals[0]);
if (positionals.length === 1) {
  console.log(`${fmt(sum(first))}  total Ir per call`);
  for (const [name, ir] of [...first].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${fmt(ir)}  ${short(name)}`);
} else {
  const second = perCall(positionals[1]);
  console.log(`${fmt(sum(first))} ${fmt(sum(second))} ${fmt(sum(second) - sum(first))}  total Ir per call (A, B, B − A)`);
  const names = new Set([...first.keys(), ...second.keys()]);
  const rows = [...names].map((n) => [n, first.get(n) ?? 0, second.get(n) ?? 0]);
  rows.sort((x, y) => Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1]));
  for (const [name, a, b] of rows.slice(0, top)) console.log(`${fmt(a)} ${fmt(b)} ${fmt(b - a)}  ${short(name)}`);
}
