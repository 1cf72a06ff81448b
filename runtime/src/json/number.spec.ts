import { isJsonNumberText, parseIntegerText, shortestFloat32 } from "./number.js";

describe("parseIntegerText", () => {
  test.each([
    ["0", 0n],
    ["-0", 0n],
    ["12", 12n],
    ["-12", -12n],
    ["1e5", 100000n],
    ["1E+5", 100000n],
    ["100000.000", 100000n],
    ["2.147483647e9", 2147483647n],
    ["-2.147483648e9", -2147483648n],
    ["1200e-2", 12n],
    ["0.0", 0n],
    ["0e99999999", 0n],
    ["9223372036854775807", 9223372036854775807n],
    ["-9223372036854775808", -9223372036854775808n],
    ["18446744073709551615", 18446744073709551615n],
    ["9223372036854774784", 9223372036854774784n],
  ])("%p → %p", (s, want) => {
    expect(parseIntegerText(s)).toBe(want);
  });

  test.each([["0.5"], ["1e-1"], ["12abc"], [""], [" 1"], ["1 "], ["+1"], ["01"], ["-01"], ["1."], [".5"], ["0x10"], ["3x3"], ["NaN"], ["Infinity"], ["1e"], ["--1"]])(
    "rejects %p",
    (s) => {
      expect(parseIntegerText(s)).toBeUndefined();
    },
  );

  test("absurd exponents are huge, not slow", () => {
    expect(parseIntegerText("1e1000000000")! > 2n ** 64n).toBe(true);
    expect(parseIntegerText("-1e1000000000")! < -(2n ** 64n)).toBe(true);
  });
});

describe("isJsonNumberText", () => {
  test.each([
    ["1", true],
    ["-1.5e-3", true],
    ["1.175494e-38", true],
    ["12abc", false],
    ["", false],
    [" 1", false],
    ["Infinity", false],
    ["+1", false],
  ])("%p → %p", (s, want) => {
    expect(isJsonNumberText(s)).toBe(want);
  });
});

describe("shortestFloat32", () => {
  test.each([
    [Math.fround(0.1), 0.1],
    [Math.fround(1.1), 1.1],
    [Math.fround(3.4028234663852886e38), 3.4028235e38],
    [Math.fround(1.175494e-38), 1.175494e-38],
    [Math.fround(1e-45), 1e-45],
    [1, 1],
    [-2.5, -2.5],
    [0, 0],
    [-0, -0],
    [Infinity, Infinity],
    [16777216, 16777216],
  ])("%p → %p", (v, want) => {
    expect(Object.is(shortestFloat32(v), want)).toBe(true);
  });

  test("round-trips random float32 values", () => {
    const view = new DataView(new ArrayBuffer(4));
    let seed = 1;
    for (let i = 0; i < 20000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      view.setUint32(0, seed);
      const f = view.getFloat32(0);
      if (!Number.isFinite(f)) continue;
      expect(Math.fround(shortestFloat32(f))).toBe(f);
    }
  });
});
