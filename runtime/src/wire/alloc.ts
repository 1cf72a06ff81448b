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
