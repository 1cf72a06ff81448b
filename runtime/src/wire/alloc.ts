// Memory the codecs fill completely before anyone reads it. Zero-filling it
// first was measured at about as many instructions as the copies into it
// (callgrind, gRPC server streaming 1 KiB messages), so on Node it comes from
// Buffer.allocUnsafeSlow. Callers get plain Uint8Arrays either way: a Buffer's
// slice() would be a view, not the copy a Uint8Array's slice() is.

interface NodeBufferClass {
  allocUnsafeSlow(size: number): Uint8Array;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
}

const nodeBuffer = (globalThis as { Buffer?: NodeBufferClass }).Buffer;
const allocUnsafeSlow = typeof nodeBuffer?.allocUnsafeSlow === "function" ? nodeBuffer : undefined;

/** A new, unshared buffer of `size` bytes whose contents are unspecified: write every byte before exposing it. */
export function allocUninitialized(size: number): Uint8Array {
  if (allocUnsafeSlow === undefined || size === 0) return new Uint8Array(size);
  const b = allocUnsafeSlow.allocUnsafeSlow(size);
  return new Uint8Array(b.buffer, b.byteOffset, size);
}

/**
 * A view of `length` bytes of `buffer`: a Node Buffer where there is one,
 * which node:http2 and sockets take as it is (they turn any other
 * Uint8Array into a Buffer first, an extra object per write).
 */
export function nodeBufferView(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array {
  if (nodeBuffer === undefined) return new Uint8Array(buffer, byteOffset, length);
  return nodeBuffer.from(buffer, byteOffset, length);
}

// Small buffers (encoded messages, copies of bytes fields) are carved out of a
// shared block, as Node's Buffer pool does: a fresh ArrayBuffer each is an
// off-heap allocation, which dominated encoding small messages and decoding
// small bytes fields. A slice keeps its block alive; large sizes get their own.
const POOL_SIZE = 64 * 1024;
const POOLED_MAX = 4 * 1024;
let pool = allocUninitialized(POOL_SIZE);
let poolBuffer = pool.buffer; // `.buffer` is a call into the runtime: read it once per block
let poolPos = 0;

/**
 * A buffer of `size` bytes with unspecified contents (write every byte before
 * exposing it), from the shared pool when small. A plain Uint8Array unless
 * `asNodeBuffer`, which gives a Node Buffer where there is one.
 */
export function allocPooled(size: number, asNodeBuffer = false): Uint8Array {
  let buffer: ArrayBufferLike;
  let offset: number;
  if (size > POOLED_MAX) {
    const own = allocUninitialized(size);
    if (!asNodeBuffer) return own;
    buffer = own.buffer;
    offset = own.byteOffset;
  } else {
    if (size > POOL_SIZE - poolPos) {
      pool = allocUninitialized(POOL_SIZE);
      poolBuffer = pool.buffer;
      poolPos = 0;
    }
    buffer = poolBuffer;
    offset = pool.byteOffset + poolPos;
    // Keep slices 8-byte aligned, so that callers may view them as wider arrays.
    poolPos = (poolPos + size + 7) & ~7;
  }
  // A view made directly: subarray() costs a species lookup and a second object.
  return asNodeBuffer ? nodeBufferView(buffer, offset, size) : new Uint8Array(buffer, offset, size);
}
