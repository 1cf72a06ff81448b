// Where generated symbols live and what they are called.
import type { DescEnum, DescFile, DescMessage, DescService } from "@bufbuild/protobuf";
import type { GeneratedFile, ImportSymbol } from "@bufbuild/protoplugin";

/** Files that are published inside @tsgrpc/runtime rather than generated beside the user's code. */
const runtimeWkt = new Set([
  "google/protobuf/any.proto",
  "google/protobuf/api.proto",
  "google/protobuf/duration.proto",
  "google/protobuf/empty.proto",
  "google/protobuf/field_mask.proto",
  "google/protobuf/source_context.proto",
  "google/protobuf/struct.proto",
  "google/protobuf/timestamp.proto",
  "google/protobuf/type.proto",
  "google/protobuf/wrappers.proto",
]);

export const wktModule = "@tsgrpc/runtime/wkt";

/** The module generated code imports `desc`'s symbols from, relative to the output root. */
export function moduleOf(file: DescFile, filesToGenerate: readonly DescFile[]): string {
  if (runtimeWkt.has(file.proto.name) && !filesToGenerate.includes(file)) {
    return wktModule;
  }
  return "./" + file.name + "_pb.js";
}

/**
 * The identifier of a message or enum: its name and the names of the messages
 * it nests in, joined by `_`, made safe by protoplugin (reserved words and
 * clashes get a `$` suffix). The interface and the codec const share it.
 */
export function typeSymbol(
  f: GeneratedFile,
  desc: DescMessage | DescEnum,
  filesToGenerate: readonly DescFile[],
): ImportSymbol {
  const name = f.importShape(desc).name;
  return f.import(name, moduleOf(desc.file, filesToGenerate));
}

/** The runtime descriptor of an enum (TS enums cannot carry one themselves). */
export function enumInfoSymbol(
  f: GeneratedFile,
  desc: DescEnum,
  filesToGenerate: readonly DescFile[],
): ImportSymbol {
  const name = f.importShape(desc).name + "$enum";
  return f.import(name, moduleOf(desc.file, filesToGenerate));
}

export function localTypeName(f: GeneratedFile, desc: DescMessage | DescEnum): string {
  return f.importShape(desc).name;
}

export function serviceName(f: GeneratedFile, desc: DescService): string {
  return f.importSchema(desc).name;
}
