// Instruction counts, for differences that timing cannot resolve. Each
// library × operation runs under `valgrind --tool=callgrind` twice, with the
// same warm-up and then N or 2N measured passes; the difference of the two
// totals, over N, is the instructions (Ir) of one pass — start-up, loading
// and warm-up cancel out (see valgrind.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Args } from "./args.js";
import type { Codec, Library } from "./libraries.js";
import { pass, type Op } from "./measure.js";
import { callgrindCommand, collectedIr, NODE_FLAGS } from "./valgrind.js";
import type { Workload } from "./workloads.js";

const script = fileURLToPath(new URL("./codec.js", import.meta.url));

export function defaultPasses(w: Workload): { warmup: number; passes: number } {
  const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, Math.ceil(x)));
  return { warmup: clamp(5e6 / w.bytes, 20, 20_000), passes: clamp(1e6 / w.bytes, 5, 2_000) };
}

/** The measured loop of an --ir-worker process: the same passes the timings use. */
export function runPasses(w: Workload, lib: Library, codec: Codec, op: Op, warmup: number, passes: number): void {
  const one = pass({ lib, codec, messages: w.payloads.map((p) => codec.decode(p)) }, op, w.payloads);
  for (let i = 0; i < warmup; i++) one();
  for (let i = 0; i < passes; i++) one();
}

function instructions(args: Args, w: Workload, lib: Library, op: Op, warmup: number, passes: number): number {
  const dir = mkdtempSync(join(tmpdir(), "tsgrpc-callgrind-"));
  try {
    const [valgrind, ...options] = callgrindCommand(join(dir, "callgrind.out"), join(dir, "valgrind.log"));
    const r = spawnSync(
      valgrind!,
      [
        ...options,
        process.execPath,
        ...NODE_FLAGS,
        script,
        "--ir-worker",
        "--workloads",
        w.name,
        "--libs",
        lib.name,
        "--ops",
        op,
        "--payloads",
        args.payloads,
        "--warmup-passes",
        String(warmup),
        "--passes",
        String(passes),
      ],
      { encoding: "utf8", timeout: 30 * 60 * 1000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`valgrind failed (status ${r.status}):\n${r.stderr.slice(-2000)}`);
    return collectedIr(readFileSync(join(dir, "valgrind.log"), "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function callgrind(args: Args, w: Workload, libs: readonly Library[]): string {
  const d = defaultPasses(w);
  const warmup = args.warmupPasses ?? d.warmup;
  const passes = args.passes ?? d.passes;
  const rows: { lib: Library; op: Op; perPass: number }[] = [];
  for (const op of args.ops) {
    for (const lib of libs) {
      process.stderr.write(`callgrind: ${w.name} ${lib.name} ${op}: ${warmup} warm-up passes, then ${passes} and ${2 * passes} passes ... `);
      const a = instructions(args, w, lib, op, warmup, passes);
      const b = instructions(args, w, lib, op, warmup, 2 * passes);
      const perPass = (b - a) / passes;
      process.stderr.write(`${Math.round(perPass)} Ir/pass\n`);
      rows.push({ lib, op, perPass });
    }
  }
  const out = [
    `# Instruction counts: ${w.name}`,
    "",
    `valgrind --tool=callgrind, node ${process.version} ${NODE_FLAGS.join(" ")}; payloads as ${args.payloads}; one pass = ${w.payloads.length} message(s), ${w.bytes} B. ` +
      `Ir/pass = (Ir after ${warmup}+${2 * passes} passes − Ir after ${warmup}+${passes}) / ${passes}. ` +
      "tsgrpc ÷ lib is the peer's Ir over tsgrpc's: above 1× tsgrpc executes fewer instructions.",
    "",
    "| op | library | Ir / message | Ir / byte | tsgrpc ÷ lib |",
    "|---|---|--:|--:|--:|",
  ];
  for (const r of rows) {
    const ours = rows.find((x) => x.op === r.op && x.lib.name === "tsgrpc");
    const ratio = ours === undefined ? "–" : `${(r.perPass / ours.perPass).toFixed(2)}×`;
    out.push(`| ${r.op} | ${r.lib.name} | ${Math.round(r.perPass / w.payloads.length)} | ${(r.perPass / w.bytes).toFixed(1)} | ${ratio} |`);
  }
  out.push("");
  return out.join("\n");
}
