// What a client process measures: the cells (one workload each), how long,
// and the bounds that keep every sample finite in time and in count.

export type Cell =
  | { readonly kind: "unary"; readonly size: number; readonly concurrency: number }
  | { readonly kind: "stream"; readonly size: number; readonly perCall: number }
  | { readonly kind: "pingpong"; readonly size: number };

export interface Plan {
  readonly cells: readonly Cell[];
  /** Once per client process, before the first cell: every call kind, unmeasured. */
  readonly warmupMs: number;
  /** Per cell, the same load unmeasured just before its sample. */
  readonly settleMs: number;
  /** Length of a sample. */
  readonly sampleMs: number;
  /** Bound on calls (unary) or round trips (ping-pong) per sample, and on latencies kept. */
  readonly maxCalls: number;
  /** Bound on streamed messages per sample. */
  readonly maxMessages: number;
}

export function sizeName(size: number): string {
  if (size === 0) return "0B";
  if (size % 1024 === 0) return `${size / 1024}KiB`;
  return `${size}B`;
}

/** e.g. `unary/1KiB/c100`, `stream/64KiB`, `pingpong/0B`: names in reports and for --cells. */
export function cellId(cell: Cell): string {
  switch (cell.kind) {
    case "unary":
      return `unary/${sizeName(cell.size)}/c${cell.concurrency}`;
    case "stream":
      return `stream/${sizeName(cell.size)}`;
    case "pingpong":
      return `pingpong/${sizeName(cell.size)}`;
  }
}

const KiB = 1024;

/** The cells: unary at concurrency 1, 16, 100 with 0 B and 1 KiB; streams of 1 KiB and 64 KiB; ping-pong. */
export function standardCells(quick: boolean): Cell[] {
  const cells: Cell[] = [];
  for (const size of [0, KiB]) for (const concurrency of [1, 16, 100]) cells.push({ kind: "unary", size, concurrency });
  // Calls long enough that per-call setup is noise next to the messages (~1 MB and ~6.5 MB a call).
  cells.push({ kind: "stream", size: KiB, perCall: quick ? 10 : 1000 });
  cells.push({ kind: "stream", size: 64 * KiB, perCall: quick ? 3 : 100 });
  cells.push({ kind: "pingpong", size: 0 });
  return cells;
}

/** How long a client process may take for `plan`, generously: a bound for the harness to kill it after. */
export function planBudgetMs(plan: Plan): number {
  return plan.warmupMs + plan.cells.length * (plan.settleMs + plan.sampleMs) * 2 + 30_000;
}
