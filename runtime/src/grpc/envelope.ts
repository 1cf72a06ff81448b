// One message to and from its framed, possibly compressed wire form. Shared by
// client and server so that limits and errors read the same on both sides.
import type { PartialMessage } from "../message/types.js";
import type { Codec } from "./codec.js";
import { compress, type Compression, decompress } from "./compression.js";
import { encodeFrame } from "./framing.js";
import { GrpcError } from "./grpc-error.js";
import { isMarkedUncompressed, markReceivedCompressed } from "./message-compression.js";
import { Status } from "./status.js";

/** Encodes, checks the send limit (on the serialized size), compresses and frames. */
export function packMessage<T>(codec: Codec<T>, message: PartialMessage<T>, encoding: Compression, maxSize: number): Buffer {
  let bytes: Uint8Array;
  try {
    bytes = codec.encode(message);
  } catch (e) {
    throw new GrpcError(Status.INTERNAL, `failed to serialize ${codec.typeName}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (bytes.length > maxSize) {
    throw new GrpcError(
      Status.RESOURCE_EXHAUSTED,
      `trying to send message larger than max (${bytes.length} vs. ${maxSize})`,
    );
  }
  if (encoding === "identity" || isMarkedUncompressed(message)) return encodeFrame(bytes, false);
  return encodeFrame(compress(encoding, bytes), true);
}

/** Decompresses (bounded by `maxSize`) and decodes one received message. */
export function unpackMessage<T>(
  codec: Codec<T>,
  compressed: boolean,
  payload: Uint8Array,
  encoding: string | undefined,
  maxSize: number,
): T {
  const bytes = compressed ? decompress(encoding, payload, maxSize) : payload;
  let message: T;
  try {
    message = codec.decode(bytes);
  } catch (e) {
    throw new GrpcError(Status.INTERNAL, `failed to deserialize ${codec.typeName}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (compressed) markReceivedCompressed(message);
  return message;
}
