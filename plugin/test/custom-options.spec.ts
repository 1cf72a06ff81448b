// Custom options: a .proto that extends descriptor.proto's option messages
// imports them from @tsgrpc/runtime/wkt, and its extension consts read the
// option values out of descriptors protoc wrote.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { getExtension, setExtension } from "@tsgrpc/runtime";
import { FieldOptions, FileDescriptorSet, type FileDescriptorProto } from "@tsgrpc/runtime/wkt";
import { runtimeWktFiles } from "../src/names.js";
import { audited, label, weights } from "./gen/tsgrpc/test/options_pb.js";
import { protosDir, removeDir, root, tempDir } from "./run-plugin.js";
import { firstFieldLabel } from "./user-code.js";

/** options.proto as protoc describes it (--descriptor_set_out). */
function optionsDescriptorSet(): Uint8Array {
  const dir = tempDir("descriptor-set");
  try {
    const out = join(dir, "set.binpb");
    execFileSync(join(root, "node_modules/.bin/protoc"), [
      `--descriptor_set_out=${out}`,
      `-I${protosDir}`,
      `-I${join(root, "node_modules/protoc/include")}`,
      "tsgrpc/test/options.proto",
    ]);
    return new Uint8Array(readFileSync(out));
  } finally {
    removeDir(dir);
  }
}

/** The same, decoded by the runtime's descriptor.proto codec. */
function describeOptionsProto(): FileDescriptorProto {
  const set = FileDescriptorSet.decode(optionsDescriptorSet());
  expect(set.file.map((f) => f.name)).toEqual(["tsgrpc/test/options.proto"]);
  return set.file[0]!;
}

test("the generated file imports descriptor.proto's messages from @tsgrpc/runtime/wkt", () => {
  const src = readFileSync("plugin/test/gen/tsgrpc/test/options_pb.ts", "utf8");
  expect(src).toContain(`import { FieldOptions, MessageOptions } from "@tsgrpc/runtime/wkt";`);
  expect(src).not.toMatch(/descriptor_pb/);
  expect(label.extendee).toBe(FieldOptions);
});

test("extension consts read custom option values from a decoded descriptor", () => {
  const file = describeOptionsProto();
  const labeled = file.messageType.find((m) => m.name === "Labeled")!;
  const [name, count] = labeled.field;
  expect(getExtension(name!.options!, label)).toBe("the name");
  expect(getExtension(name!.options!, weights)).toEqual([3, 5]);
  expect(count!.options).toBeUndefined();
  expect(getExtension(labeled.options!, audited)).toBe(true);
});

test("README's example reads the option", () => {
  expect(firstFieldLabel(optionsDescriptorSet())).toBe("the name");
});

test("option values written with setExtension survive encode and decode of FieldOptions", () => {
  const options = FieldOptions.create({ deprecated: true });
  setExtension(options, label, "set here");
  const back = FieldOptions.decode(FieldOptions.encode(options));
  expect(back.deprecated).toBe(true);
  expect(getExtension(back, label)).toBe("set here");
});

test("every file the runtime ships resolves to @tsgrpc/runtime/wkt, and only those", () => {
  const genDir = join(root, "runtime/src/wkt/gen");
  const shipped = readdirSync(genDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith("_pb.ts"))
    .map((f) => relative(genDir, join(genDir, f)).replace(/_pb\.ts$/, ".proto"))
    .sort();
  expect([...runtimeWktFiles].sort()).toEqual(shipped);
  expect(shipped).toEqual(expect.arrayContaining(["google/protobuf/descriptor.proto", "google/protobuf/compiler/plugin.proto"]));
});
