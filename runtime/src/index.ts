// @tsgrpc/runtime: protobuf messages on the wire, and gRPC over node:http2.
// Code that must not load node:http2 (browsers, edge runtimes) imports the
// message half alone from @tsgrpc/runtime/protobuf.
export * from "./protobuf/index.js";
export * from "./grpc/index.js";
export * from "./client/index.js";
export * from "./server/index.js";
export * from "./in-memory/index.js";
