import * as zlib from "node:zlib";
import {
  compress,
  decompress,
  isSupportedCompression,
  negotiateCompression,
  parseAcceptEncoding,
} from "./compression.js";
import { GrpcError } from "./grpc-error.js";
import { Status } from "./status.js";

const text = Buffer.from("hello hello hello hello hello");

test.each(["gzip", "deflate"] as const)("%s round trip", (encoding) => {
  const packed = compress(encoding, text);
  expect(Buffer.from(packed).equals(text)).toBe(false);
  expect(Buffer.from(decompress(encoding, packed, 1000)).equals(text)).toBe(true);
});

test("gRPC deflate is the zlib format", () => {
  expect(Buffer.from(zlib.inflateSync(compress("deflate", text))).equals(text)).toBe(true);
});

test("identity does nothing", () => {
  expect(compress("identity", text)).toBe(text);
});

function errorOf(fn: () => unknown): GrpcError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GrpcError);
    return e as GrpcError;
  }
  throw new Error("expected an error");
}

const failures: Array<[string, string | undefined, Uint8Array, number, Status]> = [
  ["compressed flag without grpc-encoding", undefined, text, 1000, Status.INTERNAL],
  ["compressed flag with identity", "identity", text, 1000, Status.INTERNAL],
  ["unsupported encoding", "snappy", text, 1000, Status.INTERNAL],
  ["corrupt gzip", "gzip", Buffer.from("not gzip"), 1000, Status.INTERNAL],
  ["corrupt deflate", "deflate", Buffer.from("not deflate"), 1000, Status.INTERNAL],
  ["over the limit after inflating", "gzip", zlib.gzipSync(Buffer.alloc(2000)), 1000, Status.RESOURCE_EXHAUSTED],
];
test.each(failures)("%s", (_name, encoding, bytes, max, status) => {
  expect(errorOf(() => decompress(encoding, bytes, max)).code).toBe(status);
});

test("a zip bomb stops at the limit instead of inflating fully", () => {
  const bomb = zlib.gzipSync(Buffer.alloc(512 * 1024 * 1024)); // ~500 KiB that inflates to 512 MiB
  const before = process.memoryUsage().arrayBuffers;
  expect(errorOf(() => decompress("gzip", bomb, 4 * 1024 * 1024)).code).toBe(Status.RESOURCE_EXHAUSTED);
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
});

test("accept-encoding parsing and negotiation", () => {
  expect(parseAcceptEncoding("identity, gzip ,deflate,")).toEqual(["identity", "gzip", "deflate"]);
  expect(parseAcceptEncoding(undefined)).toEqual([]);
  expect(negotiateCompression("gzip", "identity,gzip")).toBe("gzip");
  expect(negotiateCompression("gzip", "identity,deflate")).toBe("identity");
  expect(negotiateCompression("gzip", undefined)).toBe("identity");
  expect(negotiateCompression("identity", "gzip")).toBe("identity");
  expect(isSupportedCompression("gzip")).toBe(true);
  expect(isSupportedCompression("snappy")).toBe(false);
});
