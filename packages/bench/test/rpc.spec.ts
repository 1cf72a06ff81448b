// The RPC benchmark in --quick mode: builds what it needs in a folder of its
// own (so that it never races test/codec.spec.ts, whose build replaces
// dist/), then checks that every implementation answers every call kind with
// the right payloads, that every client interoperates with every server, that
// every measured pair produced every cell, and that no process it started is
// left running. Speed is not asserted here; bench-results/rpc.md is where the
// numbers go (`node packages/bench/dist/rpc.js`).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Sample } from "../src/rpc/load.js";
import type { ImplName } from "../src/rpc/protocol.js";
import type { CellStats, PairRecord, TargetLine, Verification } from "../src/rpc/report.js";
import { alive, bench, node, type NodeRun } from "./processes.js";

const impls: ImplName[] = ["tsgrpc", "grpc-js", "connect-node", "raw"];
const cellIds = ["unary/0B/c1", "unary/0B/c16", "unary/0B/c100", "unary/1KiB/c1", "unary/1KiB/c16", "unary/1KiB/c100", "stream/1KiB", "stream/64KiB", "pingpong/0B"];

interface Report {
  verification: Verification[];
  records: PairRecord[];
  stats: { client: ImplName; server: ImplName; cells: CellStats[] }[];
  targets: TargetLine[];
  pids: number[];
}

describe("rpc benchmark --quick", () => {
  // Inside the package, so that the built files resolve node_modules from the repo.
  const dir = mkdtempSync(join(bench, ".build-rpc-spec-"));
  const jsonFile = join(dir, "rpc.json");
  let run: NodeRun;
  let report: Report;

  beforeAll(async () => {
    const build = await node([join(bench, "scripts/build.mjs"), "--quiet", "--only", "rpc", "--out", dir], 40_000);
    if (build.code !== 0) throw new Error(`bench build failed:\n${build.stderr}`);
    run = await node([join(dir, "dist/rpc.js"), "--quick", "--json", jsonFile], 40_000);
    if (!existsSync(jsonFile)) throw new Error(`bench wrote no report (exit ${run.code}):\n${run.stderr}`);
    report = JSON.parse(readFileSync(jsonFile, "utf8")) as Report;
  }, 58_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 and prints the markdown report", () => {
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toContain("# tsgrpc RPC benchmark");
    expect(run.stdout).toContain("| payload | concurrency | client → server | calls/s | ± | p50 µs | p99 µs | server CPU | client CPU |");
    expect(run.stdout).toContain("| client ↓ server → | tsgrpc | grpc-js | connect-node | raw |");
  });

  it("every client answers every call kind of every server with the right payloads", () => {
    const pairs = report.verification.map((v) => `${v.client}:${v.server}`);
    expect(pairs.sort()).toEqual(impls.flatMap((c) => impls.map((s) => `${c}:${s}`)).sort());
    const failures = report.verification.flatMap((v) => [
      ...(v.error !== undefined ? [`${v.client} → ${v.server}: ${v.error}`] : []),
      ...v.checks.filter((c) => !c.ok).map((c) => `${v.client} → ${v.server}: ${c.name}: ${c.detail}`),
    ]);
    expect(failures).toEqual([]);
    for (const v of report.verification) {
      const names = v.checks.map((c) => c.name).join("\n");
      for (const kind of ["unary", "server stream", "client stream", "bidi"]) expect(names).toContain(kind);
    }
  });

  it("measures every implementation with itself and the cross pairs, every cell", () => {
    expect(report.records.map((r) => `${r.client}:${r.server}`)).toEqual([
      "tsgrpc:tsgrpc",
      "grpc-js:grpc-js",
      "connect-node:connect-node",
      "raw:raw",
      "tsgrpc:grpc-js",
      "grpc-js:tsgrpc",
      "tsgrpc:raw",
      "raw:tsgrpc",
    ]);
    for (const r of report.records) {
      expect(r.rounds).toHaveLength(1);
      const round = r.rounds[0]!;
      expect({ pair: `${r.client}:${r.server}`, error: round.error }).toEqual({ pair: `${r.client}:${r.server}`, error: undefined });
      expect(round.samples.map((s) => s.id)).toEqual(cellIds);
      expect(round.serverRssKiB).toBeGreaterThan(0);
      for (const s of round.samples as Sample[]) {
        expect(s.calls).toBeGreaterThan(0);
        expect(s.bytes).toBe(s.messages * s.cell.size);
        if (s.cell.kind === "stream") expect(s.messages).toBe(s.calls * s.cell.perCall);
        else expect([s.p50Us, s.p99Us].every((x) => x !== undefined && x > 0)).toBe(true);
      }
    }
  });

  it("reports every target as a ratio from the same run", () => {
    expect(report.targets).toHaveLength(6);
    for (const t of report.targets) expect(t.met).not.toBeUndefined();
  });

  it("leaves no process running", () => {
    expect(report.pids.length).toBe(16 + 4 + 2 * report.records.length);
    expect(report.pids.filter(alive)).toEqual([]);
  });
});
