// The frames a stream sends within one tick, encoded back to back into one
// block and handed to node:http2 as one write at the end of the tick (or
// earlier, when the sender flushes before waiting for flow control). Per write node:http2 costs an
// entry in the Writable's buffer, a chunk in the native writev and a Buffer
// object; measured with callgrind on a server streaming 1 KiB messages, that
// was about as much as everything else the runtime does per message.
// (Writing every few KiB instead of once a tick measured slower, and so did
// corking the stream around the batched writes.)
import { allocUninitialized, nodeBufferView } from "../wire/alloc.js";
import type { PartialMessage } from "../message/types.js";
import type { Codec } from "./codec.js";
import { FRAME_HEADER_SIZE, writeFrameHeader } from "./framing.js";
import { checkSendLimit, serializeError } from "./envelope.js";

/** The largest block; a message too big for it is framed on its own. */
export const BATCH_BLOCK_SIZE = 64 * 1024;
/**
 * A stream's first block. Blocks grow fourfold each time one fills, so a fast
 * stream soon batches into 64 KiB blocks while a slow one (a subscription
 * sending now and then) keeps no more than this.
 */
export const FIRST_BLOCK_SIZE = 4 * 1024;

export class FrameBatch {
  private block: Uint8Array | undefined;
  private blockSize = FIRST_BLOCK_SIZE;
  /** Start of the frames not yet taken. */
  private start = 0;
  /** End of the frames encoded so far. */
  private end = 0;
  private flushScheduled = false;

  /** @param emit writes frames out, in order: on flush, at the end of the tick, and when a block is full */
  constructor(private readonly emit: (frames: Uint8Array) => void) {}

  /** Bytes encoded and not yet taken. */
  get size(): number {
    return this.end - this.start;
  }

  /**
   * Appends an uncompressed frame of `message`. False when the codec cannot
   * encode in place or the message is too big for a block: the caller frames
   * it on its own, after flushing what is here. Throws GrpcError as packMessage does.
   */
  add<T>(codec: Codec<T>, message: PartialMessage<T>, maxSize: number): boolean {
    if (codec.encodeInto === undefined) return false;
    for (;;) {
      const block = this.block;
      const written = block === undefined ? -1 : this.encode(codec, message, block);
      if (written >= 0) {
        checkSendLimit(written, maxSize);
        writeFrameHeader(block!, false, written, this.end);
        this.end += FRAME_HEADER_SIZE + written;
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          process.nextTick(flushAtTickEnd, this);
        }
        return true;
      }
      // `-1 - written` is the message's size (encodeInto's contract keeps an empty message apart from a fit).
      const needed = block === undefined ? 0 : FRAME_HEADER_SIZE + (-1 - written);
      if (needed > BATCH_BLOCK_SIZE) return false;
      // A fresh block, big enough for this message; what the full one holds goes out first.
      this.flush();
      if (block !== undefined) this.blockSize = Math.min(BATCH_BLOCK_SIZE, this.blockSize * 4);
      this.block = allocUninitialized(Math.max(this.blockSize, needed));
      this.start = this.end = 0;
    }
  }

  /** Writes out the frames encoded so far, if any. */
  flush(): void {
    const frames = this.take();
    if (frames !== undefined) this.emit(frames);
  }

  /** @internal */
  tickEnded(): void {
    this.flushScheduled = false;
    this.flush();
  }

  /** The frames encoded since the last take, as one Node Buffer where there is one; undefined when there are none. */
  take(): Uint8Array | undefined {
    const block = this.block;
    if (block === undefined || this.end === this.start) return undefined;
    const frames = nodeBufferView(block.buffer, block.byteOffset + this.start, this.end - this.start);
    this.start = this.end;
    return frames;
  }

  private encode<T>(codec: Codec<T>, message: PartialMessage<T>, block: Uint8Array): number {
    try {
      return codec.encodeInto!(message, block, this.end + FRAME_HEADER_SIZE);
    } catch (e) {
      throw serializeError(codec, e);
    }
  }
}

function flushAtTickEnd(batch: FrameBatch): void {
  batch.tickEnded();
}
