// What the callgrind benchmark measures: a side (the process run under
// valgrind) and a call kind, with how many calls warm it up and how many are
// counted.
import { type CallKind, callKinds } from "./calls.js";

export type Side = "client" | "server";

export interface Cell {
  readonly side: Side;
  readonly call: CallKind;
}

export const allCells: readonly Cell[] = (["client", "server"] as const).flatMap((side) => callKinds.map((call) => ({ side, call })));

export function cellId(c: Cell): string {
  return `${c.side}/${c.call}`;
}

export interface Counts {
  /** Calls before the measured ones: V8 has compiled the call path by then. */
  readonly warmup: number;
  /** Measured calls. */
  readonly calls: number;
}

/** Enough warm-up for V8's optimising tier; N large enough that a garbage collection more or less weighs little. */
export function defaultCounts(call: CallKind): Counts {
  return call === "unary" ? { warmup: 6000, calls: 1000 } : { warmup: 3000, calls: 500 };
}
