// @tsgrpc/runtime: protobuf messages on the wire, and gRPC over node:http2.
export * from "./message/index.js";
export { BinaryReader, BinaryWriter, DecodeError, type ReaderOptions } from "./wire/index.js";
