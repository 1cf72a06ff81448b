// Exact-fit buffers for small frames on their way to node:http2, carved from
// slabs that are reused once every frame carved from them has been written.
// A stream's first frame comes from here (see FrameBatch): 10,000 streams
// opening at once each write one, and from a pool that leaves freed blocks to
// the garbage collector those came to megabytes of malloc'd blocks waiting to
// be collected at the peak, memory that glibc keeps after the streams close.
// Recycled, the same frames pass through a few slabs.
import { allocUninitialized } from "../wire/alloc.js";

/** Bytes per slab. */
export const FRAME_SLAB_SIZE = 64 * 1024;
/** Larger frames do not come from a slab. */
export const FRAME_SLICE_MAX = 4 * 1024;
/**
 * Retired slabs kept for reuse once all their frames are written. One is
 * enough for steady streaming (a slab's writes are done by the time the next
 * fills); the extra slabs of a burst are left to the collector, as a slab
 * kept from the peak would sit at the top of glibc's heap and keep it from
 * shrinking below it.
 */
const SPARE_SLABS = 1;

class Slab {
  readonly bytes = allocUninitialized(FRAME_SLAB_SIZE);
  /** `.buffer` is a call into the runtime: read once. */
  readonly buffer = this.bytes.buffer;
  used = 0;
  /** Slices handed out and not yet written. */
  pending = 0;
  /** No more slices come from it; it is reused once `pending` reaches 0. */
  retired = false;
  /** Called once per slice when node:http2 no longer reads it; one function per slab, not per slice. */
  readonly written = (): void => {
    if (--this.pending === 0 && this.retired) spareSlab(this);
  };

  reset(): void {
    this.used = 0;
    this.retired = false;
  }
}

const spare: Slab[] = [];
let current = new Slab();

function spareSlab(slab: Slab): void {
  if (spare.length < SPARE_SLABS) spare.push(slab);
}

/**
 * A buffer of `size` bytes (at most FRAME_SLICE_MAX; contents unspecified)
 * for a frame that goes to node:http2 as it is. Call `frameSliceWritten()`,
 * taken right after this call, once the write is done (or will never be); a
 * slice whose callback never comes only keeps its slab from being reused.
 */
export function takeFrameSlice(size: number): Uint8Array {
  if (size > FRAME_SLICE_MAX) throw new RangeError(`frame slice of ${size} bytes (at most ${FRAME_SLICE_MAX})`);
  let slab = current;
  if (size > FRAME_SLAB_SIZE - slab.used) {
    slab.retired = true;
    if (slab.pending === 0) slab.reset();
    else {
      slab = spare.pop() ?? new Slab();
      slab.reset();
      current = slab;
    }
  }
  const offset = slab.used;
  // 8-byte aligned, as the shared pool's slices are.
  slab.used = (offset + size + 7) & ~7;
  slab.pending++;
  return new Uint8Array(slab.buffer, slab.bytes.byteOffset + offset, size);
}

/** The callback that gives back the slice `takeFrameSlice` returned last. */
export function frameSliceWritten(): () => void {
  return current.written;
}

/** Retired slabs waiting for reuse (for tests). */
export function spareFrameSlabs(): number {
  return spare.length;
}
