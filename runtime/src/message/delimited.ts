// Size-delimited messages: each one a varint byte count followed by that
// many bytes of the message, the framing of Java's writeDelimitedTo, C++'s
// SerializeDelimitedToOstream, protobuf-es's sizeDelimitedEncode and
// protobuf.js's encodeDelimited. Streams of them are files or sockets of
// messages without any other framing.
import { DecodeError } from "../wire/errors.js";
import { sizeVarint32 } from "../wire/size.js";
import { writeVarint32 } from "../wire/varint.js";
import { BinaryWriter } from "../wire/writer.js";
import type { BinaryReadOptions, MessageType, PartialMessage } from "./types.js";

export interface DelimitedReadOptions extends BinaryReadOptions {
  /**
   * The largest message size a stream may announce, in bytes. A larger one
   * fails before any of it is buffered. Default 4 MiB, gRPC's default
   * receive limit.
   */
  readonly maxSize?: number;
}

const DEFAULT_MAX_SIZE = 4 * 1024 * 1024;
/** A varint has at most 10 bytes; past that it is malformed. */
const MAX_VARINT_BYTES = 10;

/** `message` prefixed with its size as a varint. */
export function encodeDelimited<T extends object>(type: MessageType<T>, message: PartialMessage<T>): Uint8Array {
  const sizes: number[] = [];
  const saved: unknown[] = [];
  const size = type.spec.size(message, sizes, saved);
  const prefix = sizeVarint32(size);
  // The prefix goes in the writer's headroom: one buffer, no copy.
  const writer = new BinaryWriter(size, sizes, saved, prefix);
  writeVarint32(writer.buf, 0, size);
  type.spec.write(message, writer);
  return writer.finish();
}

/**
 * The one size-delimited message that `bytes` holds. Throws DecodeError when
 * the size is malformed, when fewer bytes follow than it announces, or when
 * bytes are left after the message (a stream of several is for
 * `decodeDelimitedStream`).
 */
export function decodeDelimited<T extends object>(type: MessageType<T>, bytes: Uint8Array, options?: BinaryReadOptions): T {
  const header = new SizeHeader(Number.MAX_SAFE_INTEGER);
  let pos = 0;
  while (pos < bytes.length && !header.push(bytes[pos++]!));
  if (!header.done) throw new DecodeError(header.started ? "truncated size-delimited message: the size varint is cut off" : "no size-delimited message: empty input");
  const end = pos + header.size;
  if (end > bytes.length) {
    throw new DecodeError(`truncated size-delimited message: the size says ${header.size} bytes, ${bytes.length - pos} follow`);
  }
  if (end < bytes.length) throw new DecodeError(`${bytes.length - end} bytes after the size-delimited message`);
  return type.decode(bytes.subarray(pos, end), options);
}

/**
 * Decodes a stream of size-delimited messages, yielding each as soon as its
 * last byte arrives. Chunks may split messages (and their size varints)
 * anywhere. Memory is bounded by `maxSize`: a message is buffered only up to
 * the size it announced, and one that fits in a chunk is decoded in place.
 * Throws DecodeError on a malformed or too large size, a message that does
 * not decode (naming its index in the stream), or a stream that ends inside
 * a message.
 */
export async function* decodeDelimitedStream<T extends object>(
  type: MessageType<T>,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: DelimitedReadOptions,
): AsyncGenerator<T, void, undefined> {
  const maxSize = options?.maxSize ?? DEFAULT_MAX_SIZE;
  const header = new SizeHeader(maxSize);
  /** The message being assembled across chunks, when it did not fit in one. */
  let partial: Uint8Array | undefined;
  let filled = 0;
  let index = 0;
  const decode = (bytes: Uint8Array): T => {
    try {
      return type.decode(bytes, options);
    } catch (e) {
      if (e instanceof DecodeError) throw new DecodeError(`${e.reason} (size-delimited message #${index})`, e.path);
      throw e;
    }
  };
  for await (const chunk of chunks) {
    let pos = 0;
    while (pos < chunk.length) {
      if (partial !== undefined) {
        const n = Math.min(partial.length - filled, chunk.length - pos);
        partial.set(chunk.subarray(pos, pos + n), filled);
        filled += n;
        pos += n;
        if (filled < partial.length) break;
        const bytes = partial;
        partial = undefined;
        yield decode(bytes);
        index++;
        continue;
      }
      if (!header.push(chunk[pos++]!)) continue;
      const size = header.size;
      header.reset();
      if (chunk.length - pos >= size) {
        const bytes = chunk.subarray(pos, pos + size);
        pos += size;
        yield decode(bytes);
        index++;
      } else {
        partial = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (partial !== undefined) {
    throw new DecodeError(`truncated size-delimited message #${index}: the stream ended after ${filled} of its ${partial.length} bytes`);
  }
  if (header.started) throw new DecodeError(`truncated size-delimited message #${index}: the stream ended inside its size varint`);
}

/** The size varint, read a byte at a time (it may be split across chunks). */
class SizeHeader {
  size = 0;
  done = false;
  private bytes = 0;

  constructor(private readonly maxSize: number) {}

  get started(): boolean {
    return this.bytes > 0;
  }

  reset(): void {
    this.size = 0;
    this.done = false;
    this.bytes = 0;
  }

  /** Takes the next byte; true when the varint is complete. */
  push(byte: number): boolean {
    // Multiplication, not shifts: past 31 bits a shift would wrap.
    this.size += (byte & 0x7f) * 2 ** (7 * this.bytes);
    this.bytes++;
    const last = (byte & 0x80) === 0;
    // The value only grows with more bytes, so an oversize one fails before its varint ends.
    if (this.size > this.maxSize) {
      const size = last ? `${this.size} bytes` : `at least ${this.size} bytes`;
      throw new DecodeError(`size-delimited message of ${size} exceeds the limit of ${this.maxSize} (option maxSize)`);
    }
    if (last) return (this.done = true);
    if (this.bytes === MAX_VARINT_BYTES) throw new DecodeError("invalid size varint: more than 10 bytes");
    return false;
  }
}
