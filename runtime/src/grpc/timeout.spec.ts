import { encodeTimeout, parseTimeout } from "./timeout.js";

describe("encodeTimeout", () => {
  // [ms, header]: the finest unit whose value has at most 8 digits, rounded up.
  const table: Array<[number, string]> = [
    [0.000001, "1n"],
    [0.0000001, "1n"], // below one unit rounds up, never to 0
    [0.3, "300000n"],
    [1, "1000000n"],
    [99.999999, "99999999n"],
    [100, "100000u"],
    [1_000, "1000000u"],
    [99_999.999, "99999999u"],
    [100_000, "100000m"],
    [99_999_999, "99999999m"],
    [100_000_000, "100000S"],
    [100_000_001, "100001S"], // rounded up
    [99_999_999_000, "99999999S"],
    [99_999_999_001, "1666667M"],
    [6_000_000_000_000, "1666667H"], // 100000000M has 9 digits
    [99_999_999 * 3_600_000, "99999999H"],
    [Number.MAX_SAFE_INTEGER, "99999999H"], // clamped
  ];
  test.each(table)("%p ms -> %p", (ms, header) => {
    expect(encodeTimeout(ms)).toBe(header);
  });

  test("every encoding is at least the timeout and parses back", () => {
    for (const ms of [1, 7, 1_234, 59_999, 123_456_789, 987_654_321_012]) {
      const parsed = parseTimeout(encodeTimeout(ms))!;
      expect(parsed).toBeGreaterThanOrEqual(ms);
      expect(encodeTimeout(ms)).toMatch(/^\d{1,8}[HMSmun]$/);
    }
  });
});

describe("parseTimeout", () => {
  const valid: Array<[string, number]> = [
    ["1H", 3_600_000],
    ["2M", 120_000],
    ["3S", 3_000],
    ["4m", 4],
    ["5000u", 5],
    ["6000000n", 6],
    ["0m", 0],
    ["99999999S", 99_999_999_000],
    ["00000001S", 1_000],
  ];
  test.each(valid)("%p -> %p ms", (header, ms) => {
    expect(parseTimeout(header)).toBeCloseTo(ms, 9);
  });

  const invalid = ["", "S", "1", "1s", "1x", "123456789S", "-1S", "1.5S", " 1S", "1S ", "1SS", "1 S", "0x1S", "１S"];
  test.each(invalid)("%p is rejected", (header) => {
    expect(parseTimeout(header)).toBeUndefined();
  });
});
