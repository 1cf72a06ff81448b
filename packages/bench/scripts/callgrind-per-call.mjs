#!/usr/bin/env node
// Where the instructions of one call go, function by function, from the two
// profiles of a count that rpc-callgrind.js --keep DIR left: the run with
// W + N calls and the run with W + 2N. A function's Ir per call is the
// difference of its two self costs over N. Given a second pair (another
// commit's), it lists the functions whose Ir per call changed most.
//
//   node packages/bench/scripts/callgrind-per-call.mjs --calls N A-small.out A-big.out [B-small.out B-big.out] [--top K]
//
// Code V8 compiled has no symbol; callgrind names it by address, which
// differs from run to run, so it is summed into one row.
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({ options: { calls: { type: "string" }, top: { type: "string", default: "30" } }, allowPositionals: true });
const calls = Number(values.calls);
const top = Number(values.top);
if (!Number.isInteger(calls) || calls <= 0 || (positionals.length !== 2 && positionals.length !== 4)) {
  console.error("usage: callgrind-per-call.mjs --calls N A-small.out A-big.out [B-small.out B-big.out] [--top K]");
  process.exit(2);
}

const JIT = "(code V8 compiled: no symbol)";

/** Self Ir by function, from callgrind_annotate. */
function selfCosts(file) {
  const text = execFileSync("callgrind_annotate", ["--threshold=100", file], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const costs = new Map();
  for (const line of text.split("\n")) {
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (m === null || m[2] === "PROGRAM TOTALS") continue;
    const name = /^\?\?\?:0x[0-9a-f]+ \[\?\?\?\]$/.test(m[2]) ? JIT : m[2].replace(/^\?\?\?:/, "");
    costs.set(name, (costs.get(name) ?? 0) + Number(m[1].replaceAll(",", "")));
  }
  return costs;
}

function perCall(small, big) {
  const a = selfCosts(small);
  const b = selfCosts(big);
  const out = new Map();
  for (const name of new Set([...a.keys(), ...b.keys()])) out.set(name, ((b.get(name) ?? 0) - (a.get(name) ?? 0)) / calls);
  return out;
}

const sum = (m) => [...m.values()].reduce((x, y) => x + y, 0);
const fmt = (x) => Math.round(x).toLocaleString("en-US").padStart(9);
const short = (name) => (name.length > 140 ? `${name.slice(0, 137)}...` : name);

const first = perCall(positionals[0], positionals[1]);
if (positionals.length === 2) {
  console.log(`${fmt(sum(first))}  total Ir per call`);
  for (const [name, ir] of [...first].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${fmt(ir)}  ${short(name)}`);
} else {
  const second = perCall(positionals[2], positionals[3]);
  console.log(`${fmt(sum(first))} ${fmt(sum(second))} ${fmt(sum(second) - sum(first))}  total Ir per call (A, B, B − A)`);
  const names = new Set([...first.keys(), ...second.keys()]);
  const rows = [...names].map((n) => [n, first.get(n) ?? 0, second.get(n) ?? 0]);
  rows.sort((x, y) => Math.abs(y[2] - y[1]) - Math.abs(x[2] - x[1]));
  for (const [name, a, b] of rows.slice(0, top)) console.log(`${fmt(a)} ${fmt(b)} ${fmt(b - a)}  ${short(name)}`);
}
