import { Timestamp } from "./gen/google/protobuf/timestamp_pb.js";
import { timestampDate, timestampFromDate, timestampFromMs, timestampMs, timestampNow } from "./timestamp.js";

describe("timestamps", () => {
  test.each<[number, bigint, number]>([
    [0, 0n, 0],
    [1500, 1n, 500_000_000],
    [-1, -1n, 999_000_000],
    [-1500, -2n, 500_000_000],
    [1.5, 0n, 1_500_000],
    [-0.000001, -1n, 999_999_999],
    [253402300799999, 253402300799n, 999_000_000],
    [-62135596800000, -62135596800n, 0],
  ])("timestampFromMs(%p) = %ps %pns", (ms, seconds, nanos) => {
    expect(timestampFromMs(ms)).toEqual(Timestamp.create({ seconds, nanos }));
  });

  test.each<[bigint, number, number]>([
    [0n, 0, 0],
    [1n, 500_000_000, 1500],
    [-1n, 999_000_000, -1],
    [-1n, 999_999_999, -1],
    [0n, 1_999_999, 1],
  ])("timestampMs(%ps %pns) = %p", (seconds, nanos, ms) => {
    expect(timestampMs(Timestamp.create({ seconds, nanos }))).toBe(ms);
  });

  test("Dates", () => {
    const d = new Date("2024-02-29T12:34:56.789Z");
    expect(timestampFromDate(d)).toEqual(Timestamp.create({ seconds: BigInt(Date.parse("2024-02-29T12:34:56Z") / 1000), nanos: 789_000_000 }));
    expect(timestampDate(timestampFromDate(d)).getTime()).toBe(d.getTime());
  });

  test("now", () => {
    const before = Date.now();
    const ms = timestampMs(timestampNow());
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  test("rejects a non-finite time", () => {
    expect(() => timestampFromMs(NaN)).toThrow(RangeError);
    expect(() => timestampFromDate(new Date("nope"))).toThrow(RangeError);
  });
});
