// The codec benchmark in --quick mode: builds it (every peer's generator),
// then checks that every library decoded and re-encoded every payload to the
// values tsgrpc holds. Speed is not asserted here; bench-results/codec.md is
// where the numbers go (`node packages/bench/dist/codec.js`).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScalarType, type MessageType } from "@tsgrpc/runtime/codegen";
import type { Codec, Library, LibraryName } from "../src/libraries.js";
import { firstDifference, normalize, UNSET } from "../src/normalize.js";
import { verify, type Agreement } from "../src/verify.js";
import type { Workload } from "../src/workloads.js";
import { bench, node, type NodeRun, root } from "./processes.js";

const benchdata = join(root, "../shared/benchdata");

interface Report {
  build: { peers: Record<LibraryName, { available: boolean; version: string; reason?: string }>; datasets: string | null };
  agreements: Record<string, Agreement[]>;
  results: { name: string; kind: string; series: { library: string; op: string; samples: number[] }[] }[];
}

describe("codec benchmark --quick", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsgrpc-bench-"));
  const jsonFile = join(dir, "codec.json");
  let run: NodeRun;
  let report: Report;

  beforeAll(async () => {
    const build = await node([join(bench, "scripts/build.mjs"), "--quiet"]);
    if (build.code !== 0) throw new Error(`bench build failed:\n${build.stderr}`);
    run = await node([join(bench, "dist/codec.js"), "--quick", "--json", jsonFile]);
    if (!existsSync(jsonFile)) throw new Error(`bench wrote no report (exit ${run.code}):\n${run.stderr}`);
    report = JSON.parse(readFileSync(jsonFile, "utf8")) as Report;
  }, 240_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 and prints the markdown report", () => {
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toContain("# tsgrpc codec benchmark");
    expect(run.stdout).toContain("| workload | vs protobuf-es | vs ts-proto | vs protobufjs |");
  });

  it("builds every npm-installable peer and says why google-protobuf is missing", () => {
    const peers = report.build.peers;
    for (const name of ["tsgrpc", "protobuf-es", "ts-proto", "protobufjs"] as const) {
      expect({ name, ...peers[name] }).toMatchObject({ name, available: true });
    }
    if (!peers["google-protobuf"].available) expect(peers["google-protobuf"].reason).toMatch(/protoc-gen-js/);
  });

  it("runs the synthetic workloads, and the datasets when ../shared/benchdata has them", () => {
    const names = Object.keys(report.agreements);
    expect(names).toEqual(expect.arrayContaining(["scalars", "packed_int32", "map_string_int64", "tree", "oneof", "strings"]));
    const datasets = ["google_message1_proto2", "google_message1_proto3", "google_message2"];
    if (existsSync(join(benchdata, "dataset.google_message2.pb"))) expect(names).toEqual(expect.arrayContaining(datasets));
    else expect(names.filter((n) => datasets.includes(n))).toEqual([]);
  });

  it("every library agrees with tsgrpc on every payload of every workload", () => {
    const disagreements = Object.entries(report.agreements).flatMap(([w, list]) =>
      list.filter((a) => !a.agreed).map((a) => `${w}: ${a.library}: ${a.failure}`),
    );
    expect(disagreements).toEqual([]);
    for (const list of Object.values(report.agreements)) {
      expect(list.map((a) => a.library)).toEqual(["tsgrpc", "protobuf-es", "ts-proto", "protobufjs"]);
      for (const a of list) expect(a.payloads).toBeGreaterThan(0);
    }
  });

  it("times both operations of every library on every workload", () => {
    expect(report.results.map((r) => r.name)).toEqual(Object.keys(report.agreements));
    for (const r of report.results) {
      expect(r.series).toHaveLength(8);
      for (const s of r.series) expect(s.samples.every((x) => x > 0)).toBe(true);
    }
  });
});

// The comparison itself, on hand-made messages: it must see through
// representations (bigint, Long, number) and catch every real difference.
describe("normalize and verify", () => {
  const field = (no: number, name: string, T: ScalarType, extra: object = {}): object => ({
    no,
    name,
    localName: name,
    jsonName: name,
    kind: "scalar",
    T,
    explicit: false,
    ...extra,
  });
  const type = {
    fields: [field(1, "big", ScalarType.UINT64), field(2, "d", ScalarType.DOUBLE), field(3, "opt", ScalarType.INT32, { explicit: true })],
  } as unknown as MessageType<object>;
  const plain = (name: LibraryName, presence = true): Library => ({
    name,
    version: "0",
    presence,
    codec: () => Promise.reject(new Error("unused")),
    get: (m, f) => (m as Record<string, unknown>)[f.localName],
  });
  const ours = plain("tsgrpc");

  it.each([
    ["bigint vs Long of the same uint64", { big: 2n ** 63n + 5n }, { big: { low: 5, high: 0x80000000, unsigned: true } }, undefined],
    ["bigint vs safe number", { big: 7n }, { big: 7 }, undefined],
    ["different uint64", { big: 7n }, { big: 8n }, "$.big(1): 7 vs 8"],
    ["NaN equals NaN", { d: NaN }, { d: NaN }, undefined],
    ["-0 differs from 0", { d: -0 }, { d: 0 }, "$.d(2): -0 vs 0"],
    ["unset differs from set to default", { opt: 0 }, {}, `$.opt(3): 0 vs ${UNSET}`],
    ["a string where a number belongs", { d: 1 }, { d: "1" }, "$.d(2): 1 vs <unexpected string: 1>"],
  ])("%s", (_name, a, b, diff) => {
    expect(firstDifference(normalize(ours, type, a, true), normalize(ours, type, b, true))).toBe(diff);
  });

  it("reads unset fields as defaults for libraries without presence", () => {
    const lib = plain("ts-proto", false);
    expect(firstDifference(normalize(ours, type, { opt: 0 }, false), normalize(lib, type, {}, false))).toBeUndefined();
  });

  it("verify reports the first difference of a library that decodes wrongly", () => {
    const codec = (off: bigint): Codec => ({
      decode: (b) => ({ big: BigInt(b[0]) + off }),
      encode: (m) => new Uint8Array([Number((m as { big: bigint }).big)]),
    });
    const workload = { name: "w", payloads: [new Uint8Array([3])] } as unknown as Workload;
    const agreements = verify(workload, type, [
      { lib: ours, codec: codec(0n) },
      { lib: plain("protobufjs"), codec: codec(1n) },
    ]);
    expect(agreements.map((a) => [a.library, a.agreed])).toEqual([
      ["tsgrpc", true],
      ["protobufjs", false],
    ]);
    expect(agreements[1].failure).toBe("payload 0: decoded values differ (tsgrpc vs protobufjs): $.big(1): 3 vs 4");
  });
});
