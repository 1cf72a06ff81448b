// Instruction counts with valgrind's callgrind tool, shared by the codec and
// RPC benchmarks. The difference of two runs that differ only in the number
// of measured iterations is the cost of those iterations, as long as the
// rest of the two runs executes the same instructions; node's flags below
// see to that.
import { spawnSync } from "node:child_process";

/**
 * Node's flags for a measured process. --single-threaded: V8 compiles and
 * collects garbage on the main thread, inline, at the same points in every
 * run. Fixed seeds: with a random hash seed V8 spends a different number of
 * instructions on finding its hash constants in every process (millions,
 * seen as detail::sprp under HashSeed::InitializeRoots), and hash tables
 * differ in layout from run to run.
 */
export const NODE_FLAGS: readonly string[] = ["--single-threaded", "--hash-seed=1", "--random-seed=1"];

/**
 * valgrind's command line up to the program: callgrind, its profile written
 * to `outFile` (for callgrind_annotate) and its messages to `logFile`, apart
 * from the program's own output.
 */
export function callgrindCommand(outFile: string, logFile: string): string[] {
  return ["valgrind", "--tool=callgrind", `--callgrind-out-file=${outFile}`, `--log-file=${logFile}`];
}

/** The total instructions callgrind reports at the end of a run ("Collected : N"). */
export function collectedIr(log: string): number {
  const m = /Collected\s*:\s*(\d+)/.exec(log);
  if (m === null) throw new Error(`callgrind reported no total; its log ends:\n${log.slice(-2000)}`);
  return Number(m[1]);
}

/** Throws, saying what to install, when valgrind cannot be run. */
export function requireValgrind(): string {
  const r = spawnSync("valgrind", ["--version"], { encoding: "utf8" });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`valgrind is needed for instruction counts and cannot be run (${r.error?.message ?? `exit ${r.status}`}): install it (Debian: apt-get install valgrind)`);
  }
  return r.stdout.trim();
}
