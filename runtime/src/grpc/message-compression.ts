// Per-message compression, for the few callers that need more than the
// per-call setting (the gRPC interop cases do; grpc-js has write flags for
// this, grpc C++ WriteOptions::set_no_compression and the message flags).
// Both directions are keyed by the message object, so neither the call kinds'
// signatures nor the hot path change: a WeakSet lookup when a call compresses,
// a WeakSet insert when a received message was compressed.

const uncompressed = new WeakSet<object>();
const receivedCompressed = new WeakSet<object>();

/**
 * Marks `message` to be sent without compression (Compressed-Flag 0) even on
 * a call that compresses; the call's `grpc-encoding` is unchanged. Works for
 * requests (client) and responses (server). Returns `message`.
 */
export function sendUncompressed<T extends object>(message: T): T {
  uncompressed.add(message);
  return message;
}

/** True if this received message (request or response) arrived with the Compressed-Flag set. */
export function wasCompressed(message: object): boolean {
  return receivedCompressed.has(message);
}

/** @internal */
export function isMarkedUncompressed(message: unknown): boolean {
  return typeof message === "object" && message !== null && uncompressed.has(message);
}

/** @internal */
export function markReceivedCompressed(message: unknown): void {
  if (typeof message === "object" && message !== null) receivedCompressed.add(message);
}
