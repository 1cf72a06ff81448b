// Message compression (`grpc-encoding`). Compression contexts do not span
// messages, so each message is (de)compressed on its own — synchronously, so
// that decoding stays in the data callback. Decompression stops at the receive
// limit (zlib's maxOutputLength), which defuses zip bombs.
import * as zlib from "node:zlib";
import { GrpcError } from "./grpc-error.js";
import { Status } from "./status.js";

export type Compression = "identity" | "gzip" | "deflate";

/** Every encoding this runtime implements, in the order we advertise them. */
export const SUPPORTED_COMPRESSION: readonly Compression[] = ["identity", "deflate", "gzip"];

export function isSupportedCompression(name: string): name is Compression {
  return name === "identity" || name === "gzip" || name === "deflate";
}

/** The value of `grpc-accept-encoding` for a list of encodings. */
export function acceptEncodingHeader(encodings: readonly Compression[]): string {
  return encodings.join(",");
}

/** Parses `grpc-accept-encoding` (comma-separated, whitespace tolerated). */
export function parseAcceptEncoding(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/**
 * The encoding for responses: the server's preference if the client listed it
 * in `grpc-accept-encoding`, identity otherwise.
 */
export function negotiateCompression(preferred: Compression, acceptHeader: string | undefined): Compression {
  if (preferred === "identity" || acceptHeader === undefined) return "identity";
  return parseAcceptEncoding(acceptHeader).includes(preferred) ? preferred : "identity";
}

export function compress(encoding: Compression, bytes: Uint8Array): Uint8Array {
  switch (encoding) {
    case "gzip":
      return zlib.gzipSync(bytes);
    case "deflate":
      // gRPC's "deflate" is the zlib format (RFC 1950), like HTTP's.
      return zlib.deflateSync(bytes);
    case "identity":
      return bytes;
  }
}

/** `encoding` is the peer's `grpc-encoding`, undefined when it sent none. */
export function decompress(encoding: string | undefined, bytes: Uint8Array, maxSize: number): Uint8Array {
  if (encoding === undefined || encoding === "identity") {
    throw new GrpcError(
      Status.INTERNAL,
      "protocol error: compressed flag set but no grpc-encoding (or identity) was given",
    );
  }
  const options = { maxOutputLength: Math.max(1, Math.min(maxSize, 2 ** 31 - 1)) };
  try {
    let out: Buffer;
    if (encoding === "gzip") out = zlib.gunzipSync(bytes, options);
    else if (encoding === "deflate") out = zlib.inflateSync(bytes, options);
    else throw new GrpcError(Status.INTERNAL, `protocol error: unsupported grpc-encoding "${encoding}"`);
    if (out.length > maxSize) throw tooLarge(maxSize);
    return out;
  } catch (e) {
    if (e instanceof GrpcError) throw e;
    if ((e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(maxSize);
    throw new GrpcError(Status.INTERNAL, `failed to decompress message (${encoding}): ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function tooLarge(maxSize: number): GrpcError {
  return new GrpcError(Status.RESOURCE_EXHAUSTED, `decompressed message larger than max (${maxSize})`);
}
