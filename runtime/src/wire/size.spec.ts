import {
  sizeBytes,
  sizeInt32,
  sizeInt64,
  sizeSint32,
  sizeSint64,
  sizeString,
  sizeTag,
  sizeUint64,
  sizeVarint32,
  sizeVarint64,
} from "./size.js";

describe("sizeVarint32", () => {
  const table: [number, number][] = [
    [0, 1],
    [127, 1],
    [128, 2],
    [16383, 2],
    [16384, 3],
    [2097151, 3],
    [2097152, 4],
    [268435455, 4],
    [268435456, 5],
    [4294967295, 5],
    [-1, 5], // taken as v >>> 0
  ];
  it.each(table)("%d -> %d", (v, size) => expect(sizeVarint32(v)).toBe(size));
});

describe("sizeVarint64", () => {
  const table: [number, number, number][] = [
    [0, 0, 1],
    [0xffffffff, 0, 5],
    [0, 1, 5],
    [0, 7, 5],
    [0, 8, 6],
    [0, 0x3ff, 6],
    [0, 0x400, 7],
    [0, 0x1ffff, 7],
    [0, 0x20000, 8],
    [0, 0xffffff, 8],
    [0, 0x1000000, 9],
    [0, 0x7fffffff, 9],
    [0, 0x80000000, 10],
    [0xffffffff, 0xffffffff, 10],
  ];
  it.each(table)("lo %d hi %d -> %d", (lo, hi, size) => expect(sizeVarint64(lo, hi)).toBe(size));
});

describe("sizeInt32", () => {
  const table: [number, number][] = [
    [0, 1],
    [1, 1],
    [300, 2],
    [2147483647, 5],
    [-1, 10],
    [-2147483648, 10],
  ];
  it.each(table)("%d -> %d", (v, size) => expect(sizeInt32(v)).toBe(size));
});

describe("sizeSint32", () => {
  const table: [number, number][] = [
    [0, 1],
    [-1, 1],
    [-64, 1],
    [64, 2],
    [-65, 2],
    [2147483647, 5],
    [-2147483648, 5],
  ];
  it.each(table)("%d -> %d", (v, size) => expect(sizeSint32(v)).toBe(size));
});

describe("sizeInt64", () => {
  const table: [bigint | string, number][] = [
    [0n, 1],
    ["0", 1],
    [127n, 1],
    ["128", 2],
    [4294967295n, 5],
    [34359738367n, 5],
    [34359738368n, 6],
    ["9223372036854775807", 9],
    [-1n, 10],
    ["-1", 10],
    [-9223372036854775808n, 10],
  ];
  it.each(table)("%p -> %d", (v, size) => expect(sizeInt64(v)).toBe(size));
  it("rejects values out of range", () => {
    expect(() => sizeInt64(-9223372036854775809n)).toThrow(RangeError);
    expect(() => sizeInt64(9223372036854775808n)).toThrow(RangeError);
  });
});

describe("sizeUint64", () => {
  const table: [bigint | string, number][] = [
    [0n, 1],
    ["300", 2],
    [4294967296n, 5],
    [9223372036854775807n, 9],
    [9223372036854775808n, 10],
    ["18446744073709551615", 10],
  ];
  it.each(table)("%p -> %d", (v, size) => expect(sizeUint64(v)).toBe(size));
  it("rejects negative values", () => expect(() => sizeUint64(-1n)).toThrow(RangeError));
});

describe("sizeSint64", () => {
  const table: [bigint | string, number][] = [
    [0n, 1],
    [-1n, 1],
    ["-64", 1],
    [64n, 2],
    [-2147483648n, 5],
    [9223372036854775807n, 10],
    ["-9223372036854775808", 10],
  ];
  it.each(table)("%p -> %d", (v, size) => expect(sizeSint64(v)).toBe(size));
});

describe("sizeTag", () => {
  const table: [number, number, number][] = [
    [1, 0, 1],
    [15, 7, 1],
    [16, 0, 2],
    [2047, 2, 2],
    [2048, 2, 3],
    [536870911, 5, 5], // the largest field number
  ];
  it.each(table)("field %d wire type %d -> %d", (no, wt, size) => expect(sizeTag(no, wt)).toBe(size));
});

describe("sizeString", () => {
  const table: [string, number][] = [
    ["", 1],
    ["abc", 4],
    ["é", 3],
    ["€", 4],
    ["😀", 5],
    ["\ud800", 4], // a lone surrogate is written as U+FFFD
    ["x".repeat(127), 128],
    ["x".repeat(128), 130],
    ["€".repeat(43), 131],
  ];
  it.each(table)("%j -> %d", (s, size) => expect(sizeString(s)).toBe(size));
});

describe("sizeBytes", () => {
  const table: [number, number][] = [
    [0, 1],
    [1, 2],
    [127, 128],
    [128, 130],
    [16384, 16387],
  ];
  it.each(table)("length %d -> %d", (len, size) => expect(sizeBytes(new Uint8Array(len))).toBe(size));
});
