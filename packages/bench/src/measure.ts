// Timing. One pass decodes every payload of a workload once (or encodes every
// decoded message once). Each library and operation is warmed up, then sampled
// in rounds: every round takes one sample of each, libraries rotated round-robin
// and the two operations alternated, so that drift (thermal, frequency, GC
// heap growth) falls on all of them alike. Every loop is bounded in count and
// in time.
import type { Codec, Library, LibraryName } from "./libraries.js";
import type { Workload } from "./workloads.js";

export type Op = "decode" | "encode";

export interface MeasureOptions {
  readonly rounds: number;
  /** Warm-up per library and operation, also used to size the samples. */
  readonly warmupMs: number;
  /** Target duration of one sample. */
  readonly sampleMs: number;
  /** Quick mode: a few passes only, for correctness rather than numbers. */
  readonly quick: boolean;
  /** The operations to time (both, unless profiling one). */
  readonly ops: readonly Op[];
  /** Stop sampling (with fewer rounds) once the workload has taken this long. */
  readonly budgetMs: number;
}

export interface Series {
  readonly library: LibraryName;
  readonly op: Op;
  /** Passes per sample, from the warm-up. */
  readonly passes: number;
  /** Milliseconds per pass, one entry per round. */
  readonly samples: number[];
}

export interface Subject {
  readonly lib: Library;
  readonly codec: Codec;
  /** This library's own decoding of every payload: what its encode pass writes. */
  readonly messages: readonly object[];
}

// Results land here so that no pass can be optimised away.
let sink: unknown;
let sinkBytes = 0;

/** One pass of `op` over the workload, as a closure to call repeatedly. */
export function pass(subject: Subject, op: Op, payloads: readonly Uint8Array[]): () => void {
  const { codec, messages } = subject;
  if (op === "decode") {
    return () => {
      for (let i = 0; i < payloads.length; i++) sink = codec.decode(payloads[i]);
    };
  }
  return () => {
    let n = 0;
    for (let i = 0; i < messages.length; i++) n += codec.encode(messages[i]).length;
    sinkBytes += n;
  };
}

const MAX_PASSES = 10_000_000;

/** Runs `run` up to `passes` times or until `limitMs` has gone by; returns milliseconds per pass. */
function timed(run: () => void, passes: number, limitMs: number): number {
  const t0 = performance.now();
  let i = 0;
  while (i < passes) {
    run();
    i++;
    if ((i & 7) === 0 && performance.now() - t0 > limitMs) break;
  }
  return (performance.now() - t0) / i;
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

export function measure(workload: Workload, subjects: readonly Subject[], opts: MeasureOptions): { series: Series[]; rounds: number } {
  const started = performance.now();
  const ops = opts.ops;
  const cells = subjects.flatMap((s) => ops.map((op) => ({ s, op, run: pass(s, op, workload.payloads), passes: 1, samples: [] as number[] })));

  for (const c of cells) {
    if (opts.quick) {
      timed(c.run, 2, 1000);
      c.passes = 2;
      continue;
    }
    const msPerPass = timed(c.run, MAX_PASSES, opts.warmupMs);
    c.passes = Math.max(1, Math.min(MAX_PASSES, Math.round(opts.sampleMs / msPerPass)));
  }

  let rounds = 0;
  const n = subjects.length;
  for (let r = 0; r < opts.rounds; r++) {
    if (r > 0 && performance.now() - started > opts.budgetMs) break;
    for (let k = 0; k < n; k++) {
      const lib = (k + r) % n;
      for (let j = 0; j < ops.length; j++) {
        const c = cells[lib * ops.length + ((j + r) % ops.length)];
        gc?.();
        c.samples.push(timed(c.run, c.passes, opts.sampleMs * 3));
      }
    }
    rounds++;
  }
  // Reading the sinks keeps them observable.
  if (sink === undefined && sinkBytes < 0) console.error("unreachable");
  return {
    series: cells.map((c) => ({ library: c.s.lib.name, op: c.op, passes: c.passes, samples: c.samples })),
    rounds,
  };
}

export interface Summary {
  /** Median milliseconds per pass. */
  readonly median: number;
  /** Half the interquartile range, relative to the median. */
  readonly spread: number;
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number): number => {
    const x = (s.length - 1) * p;
    const lo = Math.floor(x);
    const hi = Math.ceil(x);
    return s[lo] + (s[hi] - s[lo]) * (x - lo);
  };
  const median = q(0.5);
  return { median, spread: median > 0 ? (q(0.75) - q(0.25)) / 2 / median : 0 };
}
