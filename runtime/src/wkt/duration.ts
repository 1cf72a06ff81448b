// google.protobuf.Duration to and from milliseconds.
import type { Duration } from "./gen/google/protobuf/duration_pb.js";
import { Duration as DurationType } from "./gen/google/protobuf/duration_pb.js";

/** A Duration of `ms` milliseconds; a fractional part becomes nanoseconds. Seconds and nanos share the sign of `ms`. */
export function durationFromMs(ms: number): Duration {
  if (!Number.isFinite(ms)) throw new RangeError(`not a duration: ${ms}`);
  let seconds = Math.trunc(ms / 1000);
  let nanos = Math.round((ms - seconds * 1000) * 1_000_000);
  if (Math.abs(nanos) >= 1_000_000_000) {
    seconds += Math.sign(nanos);
    nanos -= Math.sign(nanos) * 1_000_000_000;
  }
  // -0 is not an integer value on the wire.
  return DurationType.create({ seconds: BigInt(seconds), nanos: nanos === 0 ? 0 : nanos });
}

/** The length of `d` in milliseconds, with nanoseconds as the fractional part. */
export function durationMs(d: Duration): number {
  return Number(d.seconds) * 1000 + d.nanos / 1_000_000;
}
