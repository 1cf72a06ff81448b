import { isGrpcContentType, isReservedHeader } from "./headers.js";

test.each([
  ["application/grpc", true],
  ["application/grpc+proto", true],
  ["application/grpc;charset=utf-8", true],
  ["application/grpc+proto; foo=bar", true],
  ["application/grpc+json", false],
  ["application/grpcx", false],
  ["application/json", false],
  ["text/plain", false],
  [undefined, false],
])("content-type %p accepted: %p", (value, ok) => {
  expect(isGrpcContentType(value)).toBe(ok);
});

test.each([
  [":path", true],
  ["grpc-status", true],
  ["grpc-anything", true],
  ["grpc-trace-bin", false],
  ["te", true],
  ["connection", true],
  ["content-type", true],
  ["user-agent", false],
  ["authorization", false],
])("%p reserved: %p", (key, reserved) => {
  expect(isReservedHeader(key)).toBe(reserved);
});
