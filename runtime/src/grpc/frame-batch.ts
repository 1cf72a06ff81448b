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
 * A stream's first block of its own, taken when a tick has more than one
 * frame to send. Blocks grow fourfold each time one fills, up to
 * BATCH_BLOCK_SIZE; a tick that sends a single frame lets the block go and
 * starts over (see tickEnded).
 */
export const FIRST_BLOCK_SIZE = 4 * 1024;

/** No room at all: encoding into it only measures the message (encodeInto returns `-1 - size`). */
const NO_ROOM = new Uint8Array(0);

export class FrameBatch {
  private block: Uint8Array | undefined;
  /** Size of the next block of its own. */
  private blockSize = FIRST_BLOCK_SIZE;
  /** While the block is a frame slice (see frame-slabs): gives it back once written. */
  private sliceWritten: (() => void) | undefined;
  /** Start of the frames not yet taken. */
  private start = 0;
  /** End of the frames encoded so far. */
  private end = 0;
  private flushScheduled = false;
  /** Frames added since the flush at the end of this tick was scheduled. */
  private tickFrames = 0;

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
      // Without a block, this measures the message, so that its slice fits it exactly.
      const written = this.encode(codec, message, block ?? NO_ROOM);
      if (written >= 0) {
        checkSendLimit(written, maxSize);
        writeFrameHeader(block!, false, written, this.end);
        this.end += FRAME_HEADER_SIZE + written;
        this.tickFrames++;
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
   * The first frame of a tick gets an exact fit from the shared frame slabs,
   * which goes with its write: many streams send one message now and then,
   * and a block of their own would be memory held for as long as they live.
   * A second frame in the same tick moves both into a block of the stream's
   * own, so that they still go out as one write.
   */
  private nextBlock(full: Uint8Array | undefined, needed: number): Uint8Array {
    if (full === undefined) {
      this.start = this.end = 0;
      if (needed <= FRAME_SLICE_MAX) {
        const slice = takeFrameSlice(needed);
        this.sliceWritten = frameSliceWritten();
        return slice;
      }
      return allocUninitialized(Math.max(this.blockSize, needed));
    }
    const slice = this.sliceWritten;
    if (slice !== undefined) {
      const pending = this.end - this.start;
      if (pending + needed <= this.blockSize) {
        const next = allocUninitialized(this.blockSize);
        next.set(full.subarray(this.start, this.end));
        this.start = 0;
        this.end = pending;
        // The slice's frame moved: nobody writes the slice now.
        this.sliceWritten = undefined;
        slice();
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
    const frames = this.take();
    if (frames !== undefined) this.emit(frames, written);
  }

  /** @internal */
  tickEnded(): void {
    this.flushScheduled = false;
    const frames = this.tickFrames;
    this.tickFrames = 0;
    this.flush();
    if (frames === 1 && this.block !== undefined) {
      // At one frame a tick, a block of the stream's own saves no write and
      // is held between ticks, growing as it fills: 10,000 streams that had
      // echoed 20 messages each held a 64 KiB block apiece (`npm run
      // bench:memory -- --messages 20`). The next tick starts with a slice.
      this.block = undefined;
      this.blockSize = FIRST_BLOCK_SIZE;
    }
  }

  /** The frames encoded since the last take, as one Node Buffer where there is one; undefined when there are none. */
  take(): Uint8Array | undefined {
    const block = this.block;
    if (block === undefined || this.end === this.start) return undefined;
    const frames = nodeBufferView(block.buffer, block.byteOffset + this.start, this.end - this.start);
    this.start = this.end;
    if (this.sliceWritten !== undefined) {
      // A slice holds one frame: it goes with its write. Kept, it would hold
      // its slab for as long as the stream lives (10,000 open streams held
      // 12 MiB that way), malloc'd at the peak that glibc keeps once freed.
      this.block = undefined;
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
