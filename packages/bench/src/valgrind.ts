// Instruction counts with valgrind's callgrind tool, shared by the codec and
// RPC benchmarks.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { getPriority, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "./command.js";

/**
 * Node's flags for a measured process. --single-threaded: V8 compiles and
 * collects garbage on the main thread, inline, at the same points in every
 * run. Fixed seeds: with a random hash seed V8 spends a different number of
 * instructions on finding its hash constants in every process (millions,
 * seen as detail::sprp under HashSeed::InitializeRoots), and hash tables
 * differ in layout from run to run. --interrupt-budget at an eighth of its
 * default: V8 optimises hot functions after an eighth of the work, so that
 * a warm-up of thousands of calls reaches the code of the steady state;
 * with the default, TurboFan still compiled the call path (tens of thousands
 * of Ir per call) 8000 calls in. A new space of fixed size: V8 sizes it by
 * allocation rates it measures in time, and a client's window held 1 or 24
 * scavenges (10 % of its instructions) from run to run. No forced garbage
 * collection before the window: gc() threw compiled code away, and V8 spent
 * the window compiling the call path again (two thirds of a server's window).
 */
export const NODE_FLAGS: readonly string[] = [
  "--single-threaded",
  "--hash-seed=1",
  "--random-seed=1",
  "--interrupt-budget=8448",
  "--min-semi-space-size=16",
  "--max-semi-space-size=16",
];

/**
 * A measured window within a run: callgrind zeroes its counts on entering
 * libuv's uv_loadavg and writes them out on entering uv_os_getpriority, two
 * functions only os.loadavg() and os.getPriority() call. Start-up, loading,
 * warm-up and shutdown stay outside, and so does the compiling V8 does there,
 * which varies by tens of millions of instructions from run to run.
 */
const WINDOW_OPTIONS = ["--zero-before=uv_loadavg", "--dump-before=uv_os_getpriority"];

export function startWindow(): void {
  loadavg();
}

export function endWindow(): void {
  getPriority();
}

/**
 * valgrind's command line up to the program: callgrind, its profile written
 * to `outFile` (for callgrind_annotate) and its messages to `logFile`, apart
 * from the program's own output. With `window`, the counts between
 * startWindow() and endWindow() go to `${outFile}.1` (see windowIr).
 */
export function callgrindCommand(outFile: string, logFile: string, window = false): string[] {
  return [valgrind().command, "--tool=callgrind", `--callgrind-out-file=${outFile}`, `--log-file=${logFile}`, ...(window ? WINDOW_OPTIONS : [])];
}

/** The total instructions callgrind reports at the end of a run ("Collected : N"). */
export function collectedIr(log: string): number {
  const m = /Collected\s*:\s*(\d+)/.exec(log);
  if (m === null) throw new Error(`callgrind reported no total; its log ends:\n${log.slice(-2000)}`);
  return Number(m[1]);
}

/** Functions of V8's optimising compiler (TurboFan). */
const COMPILER = /v8::internal::compiler::/;
/** Functions of V8's garbage collector. */
const GC = /heap::base::|Scavenge|MarkCompact|Marking|Sweeper|Evacuat|IterateObjectCache|RememberedSet|PretenuringHandler|SemiSpaceNewSpace|BodyDescriptor|SizeFromMap|Heap::|LiveObject/;

export interface WindowParts {
  /** What TurboFan executed itself. */
  readonly compiler: number;
  /** What the garbage collector executed. */
  readonly gc: number;
}

/**
 * Of the instructions in the window, those of V8's optimising compiler and
 * of its garbage collector (by function name, from callgrind_annotate). Both
 * come in lumps of millions (a compilation, a scavenge) whose number in the
 * window shifts with the code measured, so the rest, the call path's own
 * work, is what tells a change in the work per call.
 */
export function windowParts(outFile: string): WindowParts {
  const { command } = valgrind();
  const annotate = command === "valgrind" ? "callgrind_annotate" : join(dirname(command), "callgrind_annotate");
  const r = spawnSync(annotate, ["--threshold=100", `${outFile}.1`], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.error !== undefined || r.status !== 0) throw new Error(`${annotate} failed on ${outFile}.1: ${r.error?.message ?? r.stderr}`);
  let compiler = 0;
  let gc = 0;
  for (const line of r.stdout.split("\n")) {
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (m === null || m[2] === "PROGRAM TOTALS") continue;
    const ir = Number(m[1]!.replaceAll(",", ""));
    if (COMPILER.test(m[2]!)) compiler += ir;
    else if (GC.test(m[2]!)) gc += ir;
  }
  return { compiler, gc };
}

/** The instructions of the window of a run whose profile went to `outFile`. */
export function windowIr(outFile: string): number {
  const part = `${outFile}.1`;
  let text: string;
  try {
    text = readFileSync(part, "utf8");
  } catch (e) {
    throw new Error(`callgrind wrote no profile of the measured window (${part}): did the program call startWindow() and endWindow()?`, { cause: e });
  }
  const m = /^summary:\s*(\d+)$/m.exec(text);
  if (m === null || !/^desc: Trigger: --dump-before=uv_os_getpriority$/m.test(text)) throw new Error(`${part} is not the profile of a measured window`);
  return Number(m[1]);
}

interface Valgrind {
  readonly command: string;
  readonly env: Readonly<Record<string, string>>;
  readonly version: string;
}

let found: Valgrind | undefined;

/**
 * The machine's valgrind, or one fetched into .cache/valgrind
 * (scripts/valgrind.mjs); its environment is added to this process's, which
 * the measured processes inherit. Throws, saying why, when neither works.
 */
export function valgrind(): Valgrind {
  if (found !== undefined) return found;
  const script = join(repoRoot(), "packages/bench/scripts/valgrind.mjs");
  const r = spawnSync(process.execPath, [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.error !== undefined || r.status !== 0) throw new Error(`no valgrind to count instructions with (${script}: ${r.error?.message ?? `exit ${r.status}`})`);
  found = JSON.parse(r.stdout) as Valgrind;
  Object.assign(process.env, found.env);
  return found;
}
