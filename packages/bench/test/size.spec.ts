// The size benchmark in --quick mode: builds what it needs in a folder of its
// own (so that it never races test/codec.spec.ts, whose build replaces
// dist/), bundles every program for both libraries, and checks what is in
// the bundles: tsgrpc's carry no JSON or text format, its codec bundle
// nothing but the wire and message layers, and none of the codec bundles
// imports a Node module when built for browsers. How large they are is not
// asserted here; bench-results/size.md is where the numbers go
// (`node packages/bench/dist/size.js`).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Measured } from "../src/size/bundle.js";
import type { CaseResult } from "../src/size/report.js";
import { bench, node, type NodeRun, root } from "./processes.js";

const partNames = (m: Measured): string[] => m.parts.map((p) => p.name).sort();

describe("size benchmark --quick", () => {
  // Inside the package, so that the bundled files resolve node_modules from the repo.
  const dir = mkdtempSync(join(bench, ".build-size-spec-"));
  const jsonFile = join(dir, "size.json");
  let run: NodeRun;
  let results: Map<string, CaseResult>;

  beforeAll(async () => {
    const build = await node([join(bench, "scripts/build.mjs"), "--quiet", "--only", "size", "--out", dir], 50_000);
    if (build.code !== 0) throw new Error(`bench build failed:\n${build.stderr}`);
    run = await node([join(dir, "dist/size.js"), "--quick", "--json", jsonFile], 30_000);
    if (!existsSync(jsonFile)) throw new Error(`size benchmark wrote no report (exit ${run.code}):\n${run.stderr}`);
    const report = JSON.parse(readFileSync(jsonFile, "utf8")) as { results: CaseResult[] };
    results = new Map(report.results.map((r) => [r.case.name, r]));
  }, 85_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 and prints the markdown report with every program", () => {
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toContain("# tsgrpc bundle size");
    expect(run.stdout).toContain("| bundle (minified / gzip; kB = 1000 bytes) | tsgrpc | peer | tsgrpc ÷ peer |");
    expect([...results.keys()]).toEqual(["codec", "client", "server", "json"]);
  });

  it("measures every bundle: gzip smaller than minified, the parts adding up to at most the whole", () => {
    for (const r of results.values()) {
      for (const m of [r.node.tsgrpc, r.node.peer]) {
        expect(m.gzip).toBeGreaterThan(0);
        expect(m.gzip).toBeLessThan(m.minified);
        const parts = m.parts.reduce((n, p) => n + p.bytes, 0);
        expect(parts).toBeGreaterThan(m.minified / 2);
        expect(parts).toBeLessThanOrEqual(m.minified);
      }
    }
  });

  it("leaves JSON, text format and registries out of every tsgrpc bundle that does not call them", () => {
    for (const name of ["codec", "client", "server"]) {
      const parts = partNames(results.get(name)!.node.tsgrpc).filter((p) => /\/(json|text|registry|wkt)$/.test(p));
      expect({ bundle: name, parts }).toEqual({ bundle: name, parts: [] });
    }
  });

  it("bundles JSON without the text format when a program prints JSON", () => {
    const parts = partNames(results.get("json")!.node.tsgrpc);
    expect(parts).toContain("@tsgrpc/runtime/json");
    expect(parts).not.toContain("@tsgrpc/runtime/text");
  });

  it("bundles one codec from the wire and message layers and its generated code alone", () => {
    expect(partNames(results.get("codec")!.node.tsgrpc)).toEqual(["@tsgrpc/runtime/message", "@tsgrpc/runtime/wire", "entry point", "generated code"]);
  });

  it("keeps the server out of the client and the client out of the server", () => {
    expect(partNames(results.get("client")!.node.tsgrpc)).toContain("@tsgrpc/runtime/client");
    expect(partNames(results.get("client")!.node.tsgrpc)).not.toContain("@tsgrpc/runtime/server");
    expect(partNames(results.get("server")!.node.tsgrpc)).toContain("@tsgrpc/runtime/server");
    expect(partNames(results.get("server")!.node.tsgrpc)).not.toContain("@tsgrpc/runtime/client");
  });

  it("builds the codec bundles for browsers without a Node module", () => {
    // (d) takes toJsonString from @tsgrpc/runtime/protobuf, the entry that
    // leaves gRPC out; the package root would bring node:http2 along.
    for (const name of ["codec", "json"]) {
      const browser = results.get(name)!.browser!;
      expect({ name, tsgrpc: [...browser.tsgrpc.nodeImports, ...browser.tsgrpc.unresolved], peer: [...browser.peer.nodeImports, ...browser.peer.unresolved] }).toEqual({ name, tsgrpc: [], peer: [] });
    }
    expect(results.get("client")!.node.tsgrpc.nodeImports).toContain("node:http2");
  });
});
