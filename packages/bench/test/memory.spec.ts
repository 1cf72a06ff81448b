// The memory benchmark in --quick mode: builds what it needs in a folder of
// its own (as test/rpc.spec.ts does), then checks that every server was
// measured at every phase, that the samples with streams open saw them, and
// that no process it started is left running. The numbers themselves are
// not asserted: bench-results/memory.md is where they go.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ImplRecord } from "../src/memory.js";
import { alive, bench, node, type NodeRun } from "./processes.js";

interface Report {
  args: { streams: number };
  records: ImplRecord[];
  pids: number[];
}

describe("memory benchmark --quick", () => {
  const dir = mkdtempSync(join(bench, ".build-memory-spec-"));
  const jsonFile = join(dir, "memory.json");
  let run: NodeRun;
  let report: Report;

  beforeAll(async () => {
    const build = await node([join(bench, "scripts/build.mjs"), "--quiet", "--only", "rpc", "--out", dir], 40_000);
    if (build.code !== 0) throw new Error(`bench build failed:\n${build.stderr}`);
    run = await node([join(dir, "dist/memory.js"), "--quick", "--json", jsonFile], 40_000);
    if (!existsSync(jsonFile)) throw new Error(`bench wrote no report (exit ${run.code}):\n${run.stderr}`);
    report = JSON.parse(readFileSync(jsonFile, "utf8")) as Report;
  }, 85_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits cleanly and prints a row per server", () => {
    expect(run.code).toBe(0);
    for (const impl of ["tsgrpc", "grpc-js", "raw"]) expect(run.stdout).toMatch(new RegExp(`^\\| ${impl} \\| [0-9.]+ \\|`, "m"));
  });

  it("measures tsgrpc, grpc-js and raw at start, with the streams open, after they end and after disconnect", () => {
    expect(report.records.map((r) => r.impl)).toEqual(["tsgrpc", "grpc-js", "raw"]);
    for (const r of report.records) {
      expect(r.rounds).toHaveLength(1);
      for (const s of [r.start, r.rounds[0]!.open, r.rounds[0]!.after, r.closed]) {
        expect(s.rss).toBeGreaterThan(s.heapUsed);
        expect(s.heapUsed).toBeGreaterThan(0);
      }
      // glibc's main heap, read from /proc/self/maps.
      if (process.platform === "linux") for (const s of [r.start, r.rounds[0]!.open, r.rounds[0]!.after]) expect(s.mallocHeap).toBeGreaterThan(0);
      // The start follows a full collection, the open sample holds the live calls.
      expect(r.rounds[0]!.open.heapUsed).toBeGreaterThan(r.start.heapUsed);
      expect(r.maxRss).toBeGreaterThanOrEqual(r.rounds[0]!.open.rss);
    }
  });

  it("leaves no server process behind", () => {
    expect(report.pids).toHaveLength(3);
    for (const pid of report.pids) expect(alive(pid)).toBe(false);
  });
});
