import { durationFromMs, durationMs } from "./duration.js";
import { Duration } from "./gen/google/protobuf/duration_pb.js";

describe("durations", () => {
  test.each<[number, bigint, number]>([
    [0, 0n, 0],
    [1500, 1n, 500_000_000],
    [-1500, -1n, -500_000_000],
    [-500, 0n, -500_000_000],
    [0.000001, 0n, 1],
    [-0.000001, 0n, -1],
    [1000, 1n, 0],
    [-0, 0n, 0],
  ])("durationFromMs(%p) = %ps %pns", (ms, seconds, nanos) => {
    const d = durationFromMs(ms);
    expect(d).toEqual(Duration.create({ seconds, nanos }));
    expect(Object.is(d.nanos, -0)).toBe(false);
  });

  test.each<[bigint, number, number]>([
    [1n, 500_000_000, 1500],
    [-1n, -500_000_000, -1500],
    [0n, 1, 0.000001],
    [315576000000n, 0, 315576000000000],
  ])("durationMs(%ps %pns) = %p", (seconds, nanos, ms) => {
    expect(durationMs(Duration.create({ seconds, nanos }))).toBeCloseTo(ms, 9);
  });

  test("rejects a non-finite duration", () => {
    expect(() => durationFromMs(Infinity)).toThrow(RangeError);
  });
});
