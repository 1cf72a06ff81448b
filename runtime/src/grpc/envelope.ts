// One message to and from its framed, possibly compressed wire form. Shared by
// client and server so that limits and errors read the same on both sides.
import type { PartialMessage } from "../message/types.js";
import type { Codec } from "./codec.js";
import { compress, type Compression, decompress } from "./compression.js";
import { encodeFrame, FRAME_HEADER_SIZE, writeFrameHeader } from "./framing.js";
import { GrpcError } from "./grpc-error.js";
import { isMarkedUncompressed, markReceivedCompressed } from "./message-compression.js";
import { Status } from "./status.js";

/** Encodes, checks the send limit (on the serialized size), compresses and frames. */
export function packMessage<T>(codec: Codec<T>, message: PartialMessage<T>, encoding: Compression, maxSize: number): Uint8Array {
  const uncompressed = encoding === "identity" || isMarkedUncompressed(message);
  // The common case: the codec leaves room for the prefix, so the frame is
  // the encoder's own buffer.
  if (uncompressed && codec.encodeWithHeadroom !== undefined) {
    let frame: Uint8Array;
    try {
      frame = codec.encodeWithHeadroom(message, FRAME_HEADER_SIZE);
    } catch (e) {
      throw serializeError(codec, e);
    }
    const length = frame.length - FRAME_HEADER_SIZE;
    checkSendLimit(length, maxSize);
    writeFrameHeader(frame, false, length);
    return frame;
  }
  let bytes: Uint8Array;
  try {
    bytes = codec.encode(message);
  } catch (e) {
    throw serializeError(codec, e);
  }
  checkSendLimit(bytes.length, maxSize);
  if (uncompressed) return encodeFrame(bytes, false);
  return encodeFrame(compress(encoding, bytes), true);
}

/** The error for a message the codec failed to encode. */
export function serializeError<T>(codec: Codec<T>, e: unknown): GrpcError {
  return new GrpcError(Status.INTERNAL, `failed to serialize ${codec.typeName}: ${(e as Error).message}`, { cause: e });
}

/** Throws RESOURCE_EXHAUSTED for a serialized message over the send limit. */
export function checkSendLimit(length: number, maxSize: number): void {
  if (length > maxSize) {
    throw new GrpcError(Status.RESOURCE_EXHAUSTED, `trying to send message larger than max (${length} vs. ${maxSize})`);
  }
}

// Received payloads are views of buffers node:http2 handed over, or buffers
// this runtime allocated; nothing writes to them later, so bytes fields may
// alias them instead of being copied (as grpc-js's protobufjs does).
const RECEIVED = Object.freeze({ aliasBytes: true });

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
    message = codec.decode(bytes, RECEIVED);
  } catch (e) {
    throw new GrpcError(Status.INTERNAL, `failed to deserialize ${codec.typeName}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (compressed) markReceivedCompressed(message);
  return message;
}
