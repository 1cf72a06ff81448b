// Length-Prefixed-Message: 1-byte Compressed-Flag, 4-byte big-endian length,
// payload. DATA frame boundaries have nothing to do with message boundaries.
import { GrpcError } from "./grpc-error.js";
import { Status } from "./status.js";

export const FRAME_HEADER_SIZE = 5;
const FLAG_COMPRESSED = 1;

export function encodeFrame(payload: Uint8Array, compressed: boolean): Uint8Array {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_SIZE + payload.length);
  writeFrameHeader(frame, compressed, payload.length);
  frame.set(payload, FRAME_HEADER_SIZE);
  return frame;
}

/** Fills in the 5-byte prefix at `offset` (default: the start of `frame`). */
export function writeFrameHeader(frame: Uint8Array, compressed: boolean, length: number, offset = 0): void {
  frame[offset] = compressed ? FLAG_COMPRESSED : 0;
  frame[offset + 1] = length >>> 24;
  frame[offset + 2] = (length >>> 16) & 0xff;
  frame[offset + 3] = (length >>> 8) & 0xff;
  frame[offset + 4] = length & 0xff;
}

/** Receives the messages a FrameDecoder completes, synchronously. */
export interface FrameSink {
  onFrame(compressed: boolean, payload: Uint8Array): void;
}

/**
 * Incremental decoder. A message that lies whole inside a chunk is handed on
 * as a view, without copying; one split across chunks is copied once into a
 * buffer allocated from its length prefix. Sizes are checked against the
 * limit before anything is buffered.
 */
export class FrameDecoder {
  /** Bytes of a 5-byte header split across chunks; allocated only when that happens. */
  private header: Buffer | undefined;
  private headerFill = 0;
  /** Payload of a message split across chunks, while it is being filled. */
  private body: Buffer | undefined;
  private bodyFill = 0;
  private bodyCompressed = false;

  constructor(
    private readonly sink: FrameSink,
    private readonly maxMessageSize: number,
  ) {}

  /** True while a message is incomplete; at end of stream that means it was truncated. */
  get partial(): boolean {
    return this.headerFill > 0 || this.body !== undefined;
  }

  /** Throws GrpcError on a malformed or oversized message. */
  push(chunk: Uint8Array): void {
    const end = chunk.length;
    let pos = 0;
    // Read once per chunk: `.buffer` is a call into the runtime.
    let backing: ArrayBufferLike | undefined;
    while (pos < end) {
      if (this.body !== undefined) {
        const n = Math.min(this.body.length - this.bodyFill, end - pos);
        this.body.set(chunk.subarray(pos, pos + n), this.bodyFill);
        this.bodyFill += n;
        pos += n;
        if (this.bodyFill === this.body.length) {
          const body = this.body;
          this.body = undefined;
          this.sink.onFrame(this.bodyCompressed, body);
        }
        continue;
      }
      let flags: number;
      let length: number;
      if (this.headerFill === 0 && end - pos >= FRAME_HEADER_SIZE) {
        flags = chunk[pos]!;
        length = readUint32(chunk, pos + 1);
        pos += FRAME_HEADER_SIZE;
      } else {
        const header = (this.header ??= Buffer.alloc(FRAME_HEADER_SIZE));
        const n = Math.min(FRAME_HEADER_SIZE - this.headerFill, end - pos);
        header.set(chunk.subarray(pos, pos + n), this.headerFill);
        this.headerFill += n;
        pos += n;
        if (this.headerFill < FRAME_HEADER_SIZE) return;
        this.headerFill = 0;
        flags = header[0]!;
        length = readUint32(header, 1);
      }
      if (flags > FLAG_COMPRESSED) {
        throw new GrpcError(Status.INTERNAL, `protocol error: invalid message flags 0x${flags.toString(16)}`);
      }
      if (length > this.maxMessageSize) {
        throw new GrpcError(
          Status.RESOURCE_EXHAUSTED,
          `received message larger than max (${length} vs. ${this.maxMessageSize})`,
        );
      }
      const compressed = flags === FLAG_COMPRESSED;
      if (end - pos >= length) {
        // A plain Uint8Array view: Buffer's own subarray costs several times more.
        backing ??= chunk.buffer;
        this.sink.onFrame(compressed, new Uint8Array(backing, chunk.byteOffset + pos, length));
        pos += length;
      } else {
        this.body = Buffer.allocUnsafe(length);
        this.bodyFill = 0;
        this.bodyCompressed = compressed;
      }
    }
  }
}

function readUint32(bytes: Uint8Array, pos: number): number {
  return bytes[pos]! * 0x1000000 + ((bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!);
}
