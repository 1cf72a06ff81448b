import { INT32_MAX, UINT64_MAX, isDecimalInteger, parseFloatToken, parseUnsigned, toFloat32 } from "./numbers.js";

describe("parseUnsigned", () => {
  it.each<[string, bigint, bigint | undefined]>([
    ["0", INT32_MAX, 0n],
    ["00", INT32_MAX, 0n],
    ["2147483647", INT32_MAX, 2147483647n],
    ["2147483648", INT32_MAX, undefined],
    ["0x7fffffff", INT32_MAX, 2147483647n],
    ["0X80000000", INT32_MAX, undefined],
    ["017777777777", INT32_MAX, 2147483647n],
    ["020000000000", INT32_MAX, undefined],
    ["18446744073709551615", UINT64_MAX, UINT64_MAX],
    ["18446744073709551616", UINT64_MAX, undefined],
    ["0xFFFFFFFFFFFFFFFF", UINT64_MAX, UINT64_MAX],
    ["1", 1n, 1n],
    ["2", 1n, undefined],
  ])("%s up to %p", (text, max, value) => {
    expect(parseUnsigned(text, max)).toBe(value);
  });
});

describe("isDecimalInteger", () => {
  it.each<[string, boolean]>([
    ["0", true],
    ["10", true],
    ["012", false],
    ["0x1", false],
  ])("%s", (text, decimal) => {
    expect(isDecimalInteger(text)).toBe(decimal);
  });
});

describe("parseFloatToken", () => {
  it.each<[string, number]>([
    ["1.5", 1.5],
    [".5", 0.5],
    ["1.", 1],
    ["2f", 2],
    ["1.5F", 1.5],
    ["1e-5", 1e-5],
    ["1e18446744073709551616", Infinity],
    ["1e-18446744073709551616", 0],
  ])("%s", (text, value) => {
    expect(parseFloatToken(text)).toBe(value);
  });
});

describe("toFloat32", () => {
  it.each<[number, number]>([
    [0.1, Math.fround(0.1)],
    [-0, -0],
    [NaN, NaN],
    // The text form of FLT_MAX, and anything up to the rounding boundary, is FLT_MAX.
    [3.4028235e38, 3.4028234663852886e38],
    [3.4028235677973366e38, 3.4028234663852886e38],
    [-3.4028235677973366e38, -3.4028234663852886e38],
    [3.402823567797337e38, Infinity],
    [1e39, Infinity],
    [-1e39, -Infinity],
    [1e-50, 0],
  ])("%p", (value, float) => {
    expect(toFloat32(value)).toBe(float);
  });
});
