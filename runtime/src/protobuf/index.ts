// @tsgrpc/runtime/protobuf: everything about messages and nothing about gRPC:
// the codec layers, JSON, text format and registries. It imports no `node:`
// module, so a browser or edge bundle can use JSON and text format through
// it; the package root re-exports it next to the Node client and server.
export * from "../message/index.js";
export { BinaryReader, BinaryWriter, DecodeError, type ReaderOptions } from "../wire/index.js";
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
} from "../json/index.js";
export { createRegistry, type Registry, type RegistryType, getExtension, setExtension, hasExtension, clearExtension } from "../registry/index.js";
export { toText, fromText, TextFormatError, type TextPrintOptions, type TextParseOptions, type TextRegistry } from "../text/index.js";
