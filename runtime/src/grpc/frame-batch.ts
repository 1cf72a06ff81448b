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
import { FRAME_SLICE_MAX, frameSliceWritten, takeFrameSlice } from "./frame-slabs.js";
import { releaseLargeBlock, takeLargeBlock } from "./large-blocks.js";

/** The largest block; a message too big for it is framed on its own. */
export const BATCH_BLOCK_SIZE = 64 * 1024;
/**
 * A stream's first block of its own, taken when the frames of its first tick
 * outgrow their exact fit (see nextBlock). Blocks grow fourfold each time one
 * fills, so a fast stream soon batches into 64 KiB blocks while a slow one (a
 * subscription sending now and then) keeps no more than this.
 */
export const FIRST_BLOCK_SIZE = 4 * 1024;

/** No room at all: encoding into it only measures the message (encodeInto returns `-1 - size`). */
const NO_ROOM = new Uint8Array(0);

export class FrameBatch {
  private block: Uint8Array | undefined;
  /** Size of the next block of its own; 0 until the stream's first frames have gone out. */
  private blockSize = 0;
  /** While the block is a frame slice (see frame-slabs): gives it back once written. */
  private sliceWritten: (() => void) | undefined;
  /** Start of the frames not yet taken. */
  private start = 0;
  /** End of the frames encoded so far. */
  private end = 0;
  private flushScheduled = false;

  /**
   * @param emit writes frames out, in order: on flush, at the end of the tick,
   *   and when a block is full. With `written`, the frames are in a block that
   *   may be reused: call it once they have been written (or will never be).
   */
  constructor(private readonly emit: (frames: Uint8Array, written?: () => void) => void) {}

  /** @internal Bytes of the block it holds on to between writes. */
  get heldBytes(): number {
    return this.block?.byteLength ?? 0;
  }

  /** Bytes encoded and not yet taken. */
  get size(): number {
    return this.end - this.start;
  }

  /**
   * Appends an uncompressed frame of `message`; one too big for a block goes
   * out at once, in a block of its own. False when the codec cannot encode
   * in place: the caller frames it on its own, after flushing what is here.
   * Throws GrpcError as packMessage does.
   */
  add<T>(codec: Codec<T>, message: PartialMessage<T>, maxSize: number): boolean {
    if (codec.encodeInto === undefined) return false;
    for (;;) {
      const block = this.block;
      // Without a block, this measures the message, so that the first block fits it exactly.
      const written = this.encode(codec, message, block ?? NO_ROOM);
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
      const needed = FRAME_HEADER_SIZE + (-1 - written);
      if (needed > BATCH_BLOCK_SIZE) {
        this.sendLarge(codec, message, maxSize, needed - FRAME_HEADER_SIZE);
        return true;
      }
      this.block = this.nextBlock(block, needed);
    }
  }

  /**
   * A block with room for a frame of `needed` bytes after the frames not yet
   * taken, which go out first unless they move into it.
   *
   * A stream's first frame gets an exact fit carved from the shared pool: many
   * calls send one message, or one now and then. A 4 KiB block of their own per
   * stream came to 40 MiB of malloc'd memory with 10,000 streams open (external
   * memory 52 MiB, where raw node:http2 has 13), much of which glibc keeps once
   * freed (`npm run bench:memory`). When the first tick has more to send, its
   * frames move into the stream's first block of its own, so that they still
   * go out as one write.
   */
  private nextBlock(full: Uint8Array | undefined, needed: number): Uint8Array {
    if (full === undefined) {
      this.start = this.end = 0;
      if (this.blockSize === 0 && needed <= FRAME_SLICE_MAX) {
        const slice = takeFrameSlice(needed);
        this.sliceWritten = frameSliceWritten();
        return slice;
      }
      return allocUninitialized(Math.max(this.blockSize, needed));
    }
    if (this.blockSize === 0) {
      this.blockSize = FIRST_BLOCK_SIZE;
      const pending = this.end - this.start;
      if (pending + needed <= FIRST_BLOCK_SIZE) {
        const next = allocUninitialized(FIRST_BLOCK_SIZE);
        next.set(full.subarray(this.start, this.end));
        this.start = 0;
        this.end = pending;
        // The slice's frame moved: nobody writes the slice now.
        const written = this.sliceWritten;
        this.sliceWritten = undefined;
        written?.();
        return next;
      }
    } else {
      this.blockSize = Math.min(BATCH_BLOCK_SIZE, this.blockSize * 4);
    }
    this.flush();
    this.start = this.end = 0;
    return allocUninitialized(Math.max(this.blockSize, needed));
  }

  /** Writes out the frames encoded so far, if any. */
  flush(): void {
    const written = this.sliceWritten;
    this.sliceWritten = undefined;
    const frames = this.take();
    if (frames !== undefined) this.emit(frames, written);
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
    if (this.blockSize === 0) {
      // The exact fit is full: let it go with its write. Kept, it would hold
      // on to its share of the pool block for as long as the stream lives
      // (with 10,000 streams open, 12 MiB of pool blocks for 1 KiB messages),
      // all of it malloc'd at the peak that glibc keeps once freed.
      this.block = undefined;
      this.blockSize = FIRST_BLOCK_SIZE;
      this.sliceWritten = undefined;
    }
    return frames;
  }

  /** A frame too big for a block: flushed at once after what is batched, from a block that comes back once written. */
  private sendLarge<T>(codec: Codec<T>, message: PartialMessage<T>, maxSize: number, size: number): void {
    checkSendLimit(size, maxSize);
    const block = takeLargeBlock(FRAME_HEADER_SIZE + size);
    let written: number;
    try {
      written = codec.encodeInto!(message, block, FRAME_HEADER_SIZE);
    } catch (e) {
      releaseLargeBlock(block);
      throw serializeError(codec, e);
    }
    // The size was measured a moment ago; a message changed in between is a bug, not a send.
    if (written !== size) {
      releaseLargeBlock(block);
      throw serializeError(codec, new Error(`message size changed while encoding (${size} then ${written < 0 ? -1 - written : written} bytes)`));
    }
    writeFrameHeader(block, false, size, 0);
    this.flush();
    this.emit(nodeBufferView(block.buffer, block.byteOffset, FRAME_HEADER_SIZE + size), () => releaseLargeBlock(block));
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
