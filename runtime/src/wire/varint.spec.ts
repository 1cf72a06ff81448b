import {
  int64ToString,
  joinInt64,
  joinUint64,
  splitInt64,
  splitUint64,
  uint64ToString,
  unzigzag32,
  unzigzagWords,
  words,
  writeVarint32,
  writeVarint64,
  zigzag32,
  zigzagWords,
} from "./varint.js";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

describe("zigzag32", () => {
  const table: [number, number][] = [
    [0, 0],
    [-1, 1],
    [1, 2],
    [-2, 3],
    [2147483647, 4294967294],
    [-2147483648, 4294967295],
  ];
  it.each(table)("%d <-> %d", (v, z) => {
    expect(zigzag32(v)).toBe(z);
    expect(unzigzag32(z)).toBe(v);
  });
});

describe("zigzag64 on words", () => {
  // [signed value, zigzag value]
  const table: [bigint, bigint][] = [
    [0n, 0n],
    [-1n, 1n],
    [1n, 2n],
    [-2n, 3n],
    [2147483647n, 4294967294n],
    [-2147483648n, 4294967295n],
    [4294967295n, 8589934590n],
    [-4294967296n, 8589934591n],
    [9223372036854775807n, 18446744073709551614n],
    [-9223372036854775808n, 18446744073709551615n],
  ];
  it.each(table)("%s <-> %s", (v, z) => {
    splitInt64(v);
    zigzagWords();
    expect(joinUint64(words.lo, words.hi)).toBe(z);
    unzigzagWords();
    expect(joinInt64(words.lo, words.hi)).toBe(v);
  });
});

describe("splitInt64 / splitUint64", () => {
  // [input, signed?, lo, hi]
  const table: [bigint | string, boolean, number, number][] = [
    [0n, true, 0, 0],
    ["0", true, 0, 0],
    ["-0", true, 0, 0],
    ["-0", false, 0, 0],
    [1n, false, 1, 0],
    ["4294967295", false, 0xffffffff, 0],
    [4294967296n, false, 0, 1],
    [-1n, true, 0xffffffff, 0xffffffff],
    ["-1", true, 0xffffffff, 0xffffffff],
    [-4294967297n, true, 0xffffffff, 0xfffffffe],
    ["9007199254740991", true, 0xffffffff, 0x1fffff],
    ["-9007199254740991", true, 1, 0xffe00000],
    ["9007199254740993", true, 1, 0x200000],
    ["999999999999999", true, 0xa4c67fff, 0x38d7e],
    ["0000000000000000000001", false, 1, 0],
    [9223372036854775807n, true, 0xffffffff, 0x7fffffff],
    ["-9223372036854775808", true, 0, 0x80000000],
    [-9223372036854775808n, true, 0, 0x80000000],
    ["18446744073709551615", false, 0xffffffff, 0xffffffff],
    [18446744073709551615n, false, 0xffffffff, 0xffffffff],
  ];
  it.each(table)("%s (signed %s)", (v, signed, lo, hi) => {
    (signed ? splitInt64 : splitUint64)(v);
    expect([words.lo, words.hi]).toEqual([lo, hi]);
  });

  const invalid: [bigint | string, boolean, RegExp][] = [
    ["", true, /not a decimal integer/],
    ["-", true, /not a decimal integer/],
    [" 1", true, /not a decimal integer/],
    ["+1", true, /not a decimal integer/],
    ["0x10", false, /not a decimal integer/],
    ["1e3", true, /not a decimal integer/],
    ["1.5", true, /not a decimal integer/],
    ["12345678901234567890x", false, /not a decimal integer/],
    ["-1", false, /out of range/],
    [-1n, false, /out of range/],
    ["9223372036854775808", true, /out of range/],
    [9223372036854775808n, true, /out of range/],
    ["-9223372036854775809", true, /out of range/],
    ["18446744073709551616", false, /out of range/],
    [18446744073709551616n, false, /out of range/],
  ];
  it.each(invalid)("rejects %p (signed %s)", (v, signed, message) => {
    expect(() => (signed ? splitInt64 : splitUint64)(v)).toThrow(message);
  });
});

describe("join and toString", () => {
  // [lo, hi, signed value, unsigned value]
  const table: [number, number, bigint, bigint][] = [
    [0, 0, 0n, 0n],
    [0xffffffff, 0, 4294967295n, 4294967295n],
    [0xffffffff, 0xffffffff, -1n, 18446744073709551615n],
    [0x80000000, 0xffffffff, -2147483648n, 18446744071562067968n],
    [0xffffffff, 0x1fffff, 9007199254740991n, 9007199254740991n],
    [0, 0x200000, 9007199254740992n, 9007199254740992n],
    [1, 0xffe00000, -9007199254740991n, 18437736874454810625n],
    [0, 0xffe00000, -9007199254740992n, 18437736874454810624n],
    [0xffffffff, 0xffdfffff, -9007199254740993n, 18437736874454810623n],
    [0, 0x80000000, -9223372036854775808n, 9223372036854775808n],
    [0xffffffff, 0x7fffffff, 9223372036854775807n, 9223372036854775807n],
  ];
  it.each(table)("lo %d hi %d", (lo, hi, signed, unsigned) => {
    expect(joinInt64(lo, hi)).toBe(signed);
    expect(joinUint64(lo, hi)).toBe(unsigned);
    expect(int64ToString(lo, hi)).toBe(signed.toString());
    expect(uint64ToString(lo, hi)).toBe(unsigned.toString());
  });
});

describe("writeVarint32 / writeVarint64", () => {
  const table32: [number, string][] = [
    [0, "00"],
    [1, "01"],
    [127, "7f"],
    [128, "8001"],
    [300, "ac02"],
    [16383, "ff7f"],
    [16384, "808001"],
    [2097151, "ffff7f"],
    [2097152, "80808001"],
    [268435455, "ffffff7f"],
    [268435456, "8080808001"],
    [4294967295, "ffffffff0f"],
    [-1, "ffffffff0f"],
  ];
  it.each(table32)("32: %d", (v, expected) => {
    const buf = new Uint8Array(16);
    const end = writeVarint32(buf, 1, v);
    expect(hex(buf.subarray(1, end))).toBe(expected);
  });

  const table64: [number, number, string][] = [
    [0, 0, "00"],
    [300, 0, "ac02"],
    [0, 1, "8080808010"],
    [0xffffffff, 7, "ffffffff7f"],
    [0, 8, "808080808001"],
    [0xffffffff, 0x7fffffff, "ffffffffffffffff7f"],
    [0, 0x80000000, "80808080808080808001"],
    [0xffffffff, 0xffffffff, "ffffffffffffffffff01"],
  ];
  it.each(table64)("64: lo %d hi %d", (lo, hi, expected) => {
    const buf = new Uint8Array(16);
    const end = writeVarint64(buf, 1, lo, hi);
    expect(hex(buf.subarray(1, end))).toBe(expected);
  });
});
