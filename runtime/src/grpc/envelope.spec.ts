import type { Codec } from "./codec.js";
import { packMessage, unpackMessage } from "./envelope.js";
import { GrpcError } from "./grpc-error.js";
import { Status } from "./status.js";

const Raw: Codec<Uint8Array> = {
  typeName: "test.Raw",
  create: () => new Uint8Array(0),
  encode: (m) => m as Uint8Array,
  decode: (b) => {
    if (b[0] === 0xff) throw new Error("bad byte");
    return b.slice();
  },
};

function codeOf(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GrpcError);
    return (e as GrpcError).code;
  }
  throw new Error("expected an error");
}

test.each(["identity", "gzip", "deflate"] as const)("pack/unpack with %s", (encoding) => {
  const frame = packMessage(Raw, Uint8Array.of(1, 2, 3), encoding, 100);
  expect(frame[0]).toBe(encoding === "identity" ? 0 : 1);
  const out = unpackMessage(Raw, frame[0] === 1, frame.subarray(5), encoding, 100);
  expect(out).toEqual(Uint8Array.of(1, 2, 3));
});

test("send limit applies to the serialized size", () => {
  expect(codeOf(() => packMessage(Raw, new Uint8Array(101), "identity", 100))).toBe(Status.RESOURCE_EXHAUSTED);
  expect(packMessage(Raw, new Uint8Array(100), "identity", 100)).toHaveLength(105);
});

test("codec failures become INTERNAL", () => {
  const Broken: Codec<Uint8Array> = { ...Raw, encode: () => { throw new Error("nope"); } };
  expect(codeOf(() => packMessage(Broken, new Uint8Array(1), "identity", 100))).toBe(Status.INTERNAL);
  expect(codeOf(() => unpackMessage(Raw, false, Uint8Array.of(0xff), undefined, 100))).toBe(Status.INTERNAL);
});
