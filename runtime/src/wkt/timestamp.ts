// google.protobuf.Timestamp to and from JavaScript time. Nanosecond precision
// is truncated to the millisecond going to a Date or a millisecond count.
import type { Timestamp } from "./gen/google/protobuf/timestamp_pb.js";
import { Timestamp as TimestampType } from "./gen/google/protobuf/timestamp_pb.js";

/** The current time. */
export function timestampNow(): Timestamp {
  return timestampFromMs(Date.now());
}

export function timestampFromDate(date: Date): Timestamp {
  return timestampFromMs(date.getTime());
}

export function timestampDate(ts: Timestamp): Date {
  return new Date(timestampMs(ts));
}

/** A Timestamp from milliseconds since the Unix epoch; a fractional part becomes nanoseconds. */
export function timestampFromMs(ms: number): Timestamp {
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
  let seconds = Math.floor(ms / 1000);
  // nanos is always in [0, 1e9): the seconds round down, also before the epoch.
  let nanos = Math.round((ms - seconds * 1000) * 1_000_000);
  if (nanos >= 1_000_000_000) {
    seconds += 1;
    nanos -= 1_000_000_000;
  }
  return TimestampType.create({ seconds: BigInt(seconds), nanos });
}

/** Milliseconds since the Unix epoch, truncated (towards the past) to a whole millisecond. */
export function timestampMs(ts: Timestamp): number {
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000);
}
