// What the bench measures: the protobuf project's benchmark datasets, when
// the build found them, and the synthetic messages of proto/bench.proto.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { esSchema, tsgrpcType, type BuildInfo, type TypeRef } from "./libraries.js";
import { syntheticSpecs } from "./synthetic.js";

export interface Workload extends TypeRef {
  readonly name: string;
  readonly kind: "dataset" | "synthetic";
  readonly description: string;
  readonly payloads: readonly Uint8Array[];
  /** Total size of the payloads: the bytes one pass decodes. */
  readonly bytes: number;
}

interface DatasetFile extends TypeRef {
  readonly file: string;
}

const datasetFiles: readonly DatasetFile[] = [
  { file: "dataset.google_message1_proto2.pb", protoFile: "benchmark_message1_proto2.proto", typeName: "benchmarks.proto2.GoogleMessage1", packageName: "benchmarks.proto2" },
  { file: "dataset.google_message1_proto3.pb", protoFile: "benchmark_message1_proto3.proto", typeName: "benchmarks.proto3.GoogleMessage1", packageName: "benchmarks.proto3" },
  { file: "dataset.google_message2.pb", protoFile: "benchmark_message2.proto", typeName: "benchmarks.proto2.GoogleMessage2", packageName: "benchmarks.proto2" },
];

const benchmarkDataset: TypeRef = { protoFile: "benchmarks.proto", typeName: "benchmarks.BenchmarkDataset", packageName: "benchmarks" };

export interface WorkloadList {
  /** Names in the order they run: datasets first. */
  readonly names: string[];
  readonly notes: string[];
}

function datasetName(d: DatasetFile): string {
  return d.file.replace(/^dataset\./, "").replace(/\.pb$/, "");
}

export function listWorkloads(info: BuildInfo): WorkloadList {
  const names: string[] = [];
  const notes: string[] = [];
  if (info.datasets === null) {
    notes.push("protobuf benchmark datasets not found (../shared/benchdata beside the repo, or $TSGRPC_BENCHDATA, at build time): dataset workloads skipped.");
  } else {
    for (const d of datasetFiles) {
      if (existsSync(join(info.datasets, d.file))) names.push(datasetName(d));
      else notes.push(`${d.file} not found in ${info.datasets}: skipped.`);
    }
  }
  for (const s of syntheticSpecs()) names.push(s.name);
  return { names, notes };
}

/**
 * What the payloads are handed to decoders as: a plain Uint8Array (what a
 * browser, fetch or another protobuf library gives) or a Node.js Buffer (what
 * node:http2 and fs give). Some libraries take faster paths for Buffer.
 */
export type PayloadKind = "uint8array" | "buffer";

export async function loadWorkload(info: BuildInfo, name: string, kind: PayloadKind = "uint8array"): Promise<Workload> {
  const w = await load(info, name);
  // Copies, so that every payload owns its memory whatever produced it.
  const payloads = w.payloads.map((p) => (kind === "buffer" ? Buffer.from(p) : new Uint8Array(p)));
  return { ...w, payloads };
}

async function load(info: BuildInfo, name: string): Promise<Workload> {
  const d = datasetFiles.find((f) => datasetName(f) === name);
  if (d !== undefined) {
    if (info.datasets === null) throw new Error(`workload ${name}: no datasets`);
    const Dataset = await tsgrpcType(benchmarkDataset);
    const ds = Dataset.decode(readFileSync(join(info.datasets, d.file))) as { name: string; messageName: string; payload: Uint8Array[] };
    if (ds.messageName !== d.typeName) throw new Error(`${d.file}: message_name is ${ds.messageName}, expected ${d.typeName}`);
    return workload(d, name, "dataset", `protobuf benchmark dataset ${ds.name}: ${ds.payload.length} payload(s) of ${d.typeName}`, ds.payload);
  }
  const s = syntheticSpecs().find((x) => x.name === name);
  if (s === undefined) throw new Error(`unknown workload ${name}`);
  const type: TypeRef = { protoFile: "bench.proto", typeName: s.typeName, packageName: "tsgrpc.bench" };
  // Payloads come from the reference implementation; tsgrpc must build the same bytes from the same values.
  const schema = await esSchema(type);
  const T = await tsgrpcType(type);
  const payloads = s.inits.map((init, i) => {
    const bytes = toBinary(schema, create(schema, init));
    const ours = T.encode(T.create(init));
    if (Buffer.compare(bytes, ours) !== 0) {
      throw new Error(`workload ${name}, payload ${i}: tsgrpc create+encode gives ${ours.length} bytes that differ from protobuf-es's ${bytes.length}`);
    }
    return bytes;
  });
  return workload(type, name, "synthetic", s.description, payloads);
}

function workload(type: TypeRef, name: string, kind: Workload["kind"], description: string, payloads: Uint8Array[]): Workload {
  const bytes = payloads.reduce((n, p) => n + p.length, 0);
  return { protoFile: type.protoFile, typeName: type.typeName, packageName: type.packageName, name, kind, description, payloads, bytes };
}
