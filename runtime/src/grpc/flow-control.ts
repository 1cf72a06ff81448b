// HTTP/2 flow control: how much a peer may send before we acknowledge it.
//
// node:http2's default receive window is the protocol's 65,535 bytes, per
// stream and per connection. A stream can then carry one window per round
// trip between the two event loops, which (measured on loopback) held a
// server stream of 1 KiB messages to 0.6 M messages/s and one of 64 KiB
// messages to 0.5 GB/s with both processes partly idle. grpc-java's default
// is 1 MiB; grpc-go grows its window by bandwidth-delay probing.
//
// What a bigger window costs: a stream whose reader stops (its message queue
// past the high-water mark pauses it) may have up to one window buffered in
// node:http2 before the sender is held back.

/** The receive window tsgrpc asks for, per stream and per connection, unless told otherwise. */
export const DEFAULT_FLOW_CONTROL_WINDOW = 1024 * 1024;
/** The protocol's initial window; smaller values could not be advertised for the connection. */
const MIN_WINDOW = 65_535;
/** 2^31 - 1, the largest window HTTP/2 allows. */
const MAX_WINDOW = 0x7fff_ffff;

/** The window an option asks for, checked; RangeError outside what HTTP/2 allows. */
export function flowControlWindow(option: number | undefined): number {
  if (option === undefined) return DEFAULT_FLOW_CONTROL_WINDOW;
  if (!Number.isInteger(option) || option < MIN_WINDOW || option > MAX_WINDOW) {
    throw new RangeError(`flowControlWindow must be an integer from ${MIN_WINDOW} to ${MAX_WINDOW}, got ${option}`);
  }
  return option;
}

/** Opens a session's connection-level window to `window` (the per-stream one is the initialWindowSize setting). */
export function openConnectionWindow(session: { setLocalWindowSize(size: number): void; destroyed: boolean }, window: number): void {
  if (window <= MIN_WINDOW || session.destroyed) return;
  try {
    session.setLocalWindowSize(window);
  } catch {
    // The session closed under us; its calls end through their streams.
  }
}
