// @tsgrpc/runtime: protobuf messages on the wire, and gRPC over node:http2.
export * from "./message/index.js";
export { BinaryReader, BinaryWriter, DecodeError, type ReaderOptions } from "./wire/index.js";
export {
  toJson,
  toJsonString,
  fromJson,
  fromJsonString,
  JsonError,
  type JsonObject,
  type JsonValue,
  type JsonReadOptions,
  type JsonWriteOptions,
  type JsonWriteStringOptions,
} from "./json/index.js";
export { createRegistry, type Registry, type RegistryType, getExtension, setExtension, hasExtension, clearExtension } from "./registry/index.js";
export { toText, fromText, TextFormatError, type TextPrintOptions, type TextParseOptions, type TextRegistry } from "./text/index.js";
export * from "./grpc/index.js";
export * from "./client/index.js";
export * from "./server/index.js";
