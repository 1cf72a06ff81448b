// What generated code imports. Not meant for hand-written code: the symbols
// here may change with the generator.
export {
  defineMessage,
  defineExtension,
  type ExtensionType,
  reserveSlot,
  fillSlot,
  appendUnknown,
  setMapEntry,
  EMPTY_BYTES,
  type MapValues,
  ScalarType,
  type EnumType,
  type MessageType,
  type PartialMessage,
} from "../message/index.js";
export type { BinaryReader } from "../wire/reader.js";
export type { BinaryWriter } from "../wire/writer.js";
export { sizeBytes, sizeInt32, sizeInt64, sizeSint32, sizeSint64, sizeString, sizeUint64, sizeVarint32, sizeVarint64 } from "../wire/size.js";
export { splitInt64, splitUint64, words, zigzagWords } from "../wire/varint.js";
export type { MethodDefinition, ServiceDefinition } from "../grpc/service.js";
export type { Channel } from "../client/channel.js";
export type { CallOptions } from "../client/call-options.js";
export { mergeCallOptions } from "../client/call-options.js";
export type { ServerContext } from "../server/context.js";
export type { RequestStream } from "../client/call.js";
