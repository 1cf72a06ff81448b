// Buffers for frames too big for a FrameBatch block, handed back once
// node:http2 has written them. A fresh buffer per big message cost far more
// than the copy into it: streaming 64 KiB messages, the encode of the bytes
// field into new memory took 38% of the server's time (cold pages, and
// external-memory pressure driving the GC); into a reused block the same copy
// is several times cheaper. Sizes are rounded up to a granule so that a
// stream of similar messages reuses the same few blocks; what is kept is
// bounded per size and in all.
import { allocUninitialized } from "../wire/alloc.js";

/** Block sizes are multiples of this. */
const GRANULE = 16 * 1024;
/** Larger frames get a buffer of their own, never kept. */
const LARGEST_KEPT = 4 * 1024 * 1024;
/** Free blocks kept per size. */
const KEPT_PER_SIZE = 4;
/** Free blocks kept in all, in bytes. */
const KEPT_TOTAL = 16 * 1024 * 1024;

const free = new Map<number, Uint8Array[]>();
let keptBytes = 0;

/** A buffer of at least `size` bytes, contents unspecified; give it back with `releaseLargeBlock` once nobody reads it. */
export function takeLargeBlock(size: number): Uint8Array {
  if (size > LARGEST_KEPT) return allocUninitialized(size);
  const capacity = Math.ceil(size / GRANULE) * GRANULE;
  const block = free.get(capacity)?.pop();
  if (block === undefined) return allocUninitialized(capacity);
  keptBytes -= capacity;
  return block;
}

/** Takes back a block from `takeLargeBlock`, which must no longer be read or written by anyone. */
export function releaseLargeBlock(block: Uint8Array): void {
  const capacity = block.length;
  if (capacity > LARGEST_KEPT || capacity % GRANULE !== 0 || keptBytes + capacity > KEPT_TOTAL) return;
  let list = free.get(capacity);
  if (list === undefined) free.set(capacity, (list = []));
  if (list.length >= KEPT_PER_SIZE) return;
  list.push(block);
  keptBytes += capacity;
}

/** Free blocks kept, in bytes (for tests). */
export function keptLargeBlockBytes(): number {
  return keptBytes;
}
