// The callgrind benchmark's report: per cell the instructions of one call,
// median of the counts, and how far the counts lie apart.
import type { CallKind } from "./calls.js";
import { NODE_FLAGS } from "../valgrind.js";
import type { Cell } from "./cells.js";

export interface CellResult {
  readonly cell: Cell;
  readonly warmup: number;
  readonly calls: number;
  /** Ir per call, one per repeat. */
  readonly perCall: readonly number[];
  /** The same less what V8's optimising compiler and garbage collector executed: the call path's own work. */
  readonly ownWork: readonly number[];
}

export interface RunInfo {
  readonly impl: string;
  readonly peer: string;
  readonly valgrind: string;
  readonly node: string;
  readonly seconds: number;
  readonly describe: (call: CallKind) => string;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** (max − min) / median: how far apart the repeats lie. */
export function spread(xs: readonly number[]): number {
  return (Math.max(...xs) - Math.min(...xs)) / median(xs);
}

const thousands = (x: number): string => Math.round(x).toLocaleString("en-US");

export function markdown(results: readonly CellResult[], run: RunInfo): string {
  const out = [
    "# Instructions per call (callgrind)",
    "",
    `Measured: ${run.impl}, under ${run.valgrind} --tool=callgrind, node ${run.node} ${NODE_FLAGS.join(" ")}; ` +
      `the other side: ${run.peer} in plain node, in a process of its own; one HTTP/2 connection to 127.0.0.1, one call at a time. ` +
      "Ir/call = the Ir of N calls after W warm-up calls, over N, each count in fresh processes; median of the repeats, " +
      `spread = (max − min) / median. Own work: less what V8's optimising compiler and garbage collector executed, which come in lumps ` +
      `of millions whose number in the window shifts with the code measured: compare commits by this column. ${Math.round(run.seconds)} s.`,
    "",
    "| measured | call | W | N | Ir / call | spread | own work | spread | repeats (own work) |",
    "|---|---|--:|--:|--:|--:|--:|--:|---|",
  ];
  for (const r of results) {
    out.push(
      `| ${r.cell.side} | ${run.describe(r.cell.call)} | ${r.warmup} | ${r.calls} | ${thousands(median(r.perCall))} | ${(spread(r.perCall) * 100).toFixed(1)} % | ` +
        `${thousands(median(r.ownWork))} | ${(spread(r.ownWork) * 100).toFixed(1)} % | ${r.ownWork.map(thousands).join(", ")} |`,
    );
  }
  out.push("");
  return out.join("\n");
}
