import { decodeRpcStatus, encodeRpcStatus } from "./status-details.js";

test("round trip with details", () => {
  const status = {
    code: 3,
    message: "bad request ü",
    details: [
      { typeUrl: "type.googleapis.com/google.rpc.BadRequest", value: Uint8Array.of(10, 2, 8, 1) },
      { typeUrl: "type.googleapis.com/google.rpc.DebugInfo", value: new Uint8Array(0) },
    ],
  };
  expect(decodeRpcStatus(encodeRpcStatus(status))).toEqual(status);
});

test("known bytes (as protoc would write them)", () => {
  // code: 5, message: "nf", details: [{ type_url: "t", value: "\x01" }]
  const bytes = Uint8Array.of(0x08, 0x05, 0x12, 0x02, 0x6e, 0x66, 0x1a, 0x06, 0x0a, 0x01, 0x74, 0x12, 0x01, 0x01);
  expect(encodeRpcStatus({ code: 5, message: "nf", details: [{ typeUrl: "t", value: Uint8Array.of(1) }] })).toEqual(bytes);
  expect(decodeRpcStatus(bytes)).toEqual({ code: 5, message: "nf", details: [{ typeUrl: "t", value: Uint8Array.of(1) }] });
});

test("negative int32 code and unknown fields", () => {
  const bytes = encodeRpcStatus({ code: -1, message: "", details: [] });
  expect(bytes).toHaveLength(11);
  const withUnknown = Uint8Array.of(...bytes, 0x20, 0x07, 0x2d, 1, 2, 3, 4, 0x31, 1, 2, 3, 4, 5, 6, 7, 8);
  expect(decodeRpcStatus(withUnknown)).toEqual({ code: -1, message: "", details: [] });
});

test.each([
  ["truncated length", Uint8Array.of(0x12, 0x05, 0x61)],
  ["truncated varint", Uint8Array.of(0x08, 0x80)],
  ["bad wire type", Uint8Array.of(0x0b)],
  ["truncated fixed64", Uint8Array.of(0x31, 1, 2)],
])("%s decodes to undefined, never throws", (_name, bytes) => {
  expect(decodeRpcStatus(bytes)).toBeUndefined();
});
