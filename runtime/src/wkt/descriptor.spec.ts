// descriptor.proto and plugin.proto as shipped in @tsgrpc/runtime/wkt, against
// @bufbuild/protobuf as the oracle: protoc's descriptors of both files (with
// source info, so comments and spans too) decode to the same JSON and
// re-encode to the same bytes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary, toBinary, toJson as theirToJson } from "@bufbuild/protobuf";
import { toJson } from "../json/index.js";
import { CodeGeneratorRequestSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { CodeGeneratorRequest, FileDescriptorSet } from "./index.js";

function descriptorSetBytes(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "tsgrpc-descriptor-"));
  try {
    const out = join(dir, "set.binpb");
    execFileSync(join(process.cwd(), "node_modules/.bin/protoc"), [
      `--descriptor_set_out=${out}`,
      "--include_imports",
      "--include_source_info",
      `-I${join(process.cwd(), "node_modules/protoc/include")}`,
      "google/protobuf/compiler/plugin.proto",
    ]);
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bytes = descriptorSetBytes();

test("a FileDescriptorSet decodes as @bufbuild/protobuf decodes it and encodes back to protoc's bytes", () => {
  const ours = FileDescriptorSet.decode(bytes);
  expect(ours.file.map((f) => f.name)).toEqual(["google/protobuf/descriptor.proto", "google/protobuf/compiler/plugin.proto"]);
  expect(toJson(FileDescriptorSet, ours)).toEqual(theirToJson(FileDescriptorSetSchema, fromBinary(FileDescriptorSetSchema, bytes)));
  expect(Buffer.from(FileDescriptorSet.encode(ours)).equals(Buffer.from(bytes))).toBe(true);
});

test("a CodeGeneratorRequest round-trips with @bufbuild/protobuf", () => {
  const set = FileDescriptorSet.decode(bytes);
  const request = CodeGeneratorRequest.create({
    fileToGenerate: ["google/protobuf/compiler/plugin.proto"],
    parameter: "target=ts",
    protoFile: set.file,
    compilerVersion: { major: 33, minor: 2, patch: 0, suffix: "" },
  });
  const encoded = CodeGeneratorRequest.encode(request);
  const theirs = fromBinary(CodeGeneratorRequestSchema, encoded);
  expect(toJson(CodeGeneratorRequest, CodeGeneratorRequest.decode(encoded))).toEqual(theirToJson(CodeGeneratorRequestSchema, theirs));
  expect(Buffer.from(toBinary(CodeGeneratorRequestSchema, theirs)).equals(Buffer.from(encoded))).toBe(true);
});
