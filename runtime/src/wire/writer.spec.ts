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
} from "./size.js";
import { BinaryWriter } from "./writer.js";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const fromHex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

/** One table per primitive: each value, written alone, must give exactly these bytes, and `size` must agree. */
interface Table<T> {
  write: (w: BinaryWriter, v: T) => void;
  size: (v: T) => number;
  rows: [T, string][];
}

function check<T>(name: string, table: Table<T>): void {
  describe(name, () => {
    it.each(table.rows)("%p -> %s", (v, expected) => {
      expect(table.size(v)).toBe(expected.length / 2);
      const w = new BinaryWriter(expected.length / 2);
      table.write(w, v);
      expect(hex(w.finish())).toBe(expected);
    });
  });
}

check<number>("uint32", {
  write: (w, v) => w.uint32(v),
  size: sizeVarint32,
  rows: [
    [0, "00"],
    [1, "01"],
    [127, "7f"],
    [128, "8001"],
    [300, "ac02"],
    [16384, "808001"],
    [4294967295, "ffffffff0f"],
  ],
});

check<number>("int32", {
  write: (w, v) => w.int32(v),
  size: sizeInt32,
  rows: [
    [0, "00"],
    [150, "9601"],
    [2147483647, "ffffffff07"],
    [-1, "ffffffffffffffffff01"],
    [-2147483648, "80808080f8ffffffff01"],
  ],
});

check<number>("sint32", {
  write: (w, v) => w.sint32(v),
  size: sizeSint32,
  rows: [
    [0, "00"],
    [-1, "01"],
    [1, "02"],
    [-64, "7f"],
    [64, "8001"],
    [2147483647, "feffffff0f"],
    [-2147483648, "ffffffff0f"],
  ],
});

check<number>("fixed32", {
  write: (w, v) => w.fixed32(v),
  size: () => 4,
  rows: [
    [0, "00000000"],
    [1, "01000000"],
    [0x12345678, "78563412"],
    [4294967295, "ffffffff"],
  ],
});

check<number>("sfixed32", {
  write: (w, v) => w.sfixed32(v),
  size: () => 4,
  rows: [
    [0, "00000000"],
    [-1, "ffffffff"],
    [-2147483648, "00000080"],
    [2147483647, "ffffff7f"],
  ],
});

check<number>("float", {
  write: (w, v) => w.float(v),
  size: () => 4,
  rows: [
    [0, "00000000"],
    [-0, "00000080"],
    [1, "0000803f"],
    [-2.5, "000020c0"],
    [0.1, "cdcccc3d"], // rounded to the nearest float32
    [Infinity, "0000807f"],
    [-Infinity, "000080ff"],
    [NaN, "0000c07f"],
    [3.4028234663852886e38, "ffff7f7f"],
    [1e-45, "01000000"],
    [1e39, "0000807f"], // beyond float32 range: rounds to Infinity, like a C++ double-to-float conversion
    [-1e-46, "00000080"], // underflows to -0
  ],
});

check<number>("double", {
  write: (w, v) => w.double(v),
  size: () => 8,
  rows: [
    [0, "0000000000000000"],
    [-0, "0000000000000080"],
    [1, "000000000000f03f"],
    [0.1, "9a9999999999b93f"],
    [Infinity, "000000000000f07f"],
    [NaN, "000000000000f87f"],
    [Number.MIN_VALUE, "0100000000000000"],
    [Number.MAX_VALUE, "ffffffffffffef7f"],
  ],
});

check<boolean>("bool", {
  write: (w, v) => w.bool(v),
  size: () => 1,
  rows: [
    [false, "00"],
    [true, "01"],
  ],
});

check<bigint | string>("int64", {
  write: (w, v) => w.int64(v),
  size: sizeInt64,
  rows: [
    [0n, "00"],
    ["0", "00"],
    [150n, "9601"],
    ["150", "9601"],
    [4294967295n, "ffffffff0f"],
    [4294967296n, "8080808010"],
    [9007199254740993n, "8180808080808010"],
    [9223372036854775807n, "ffffffffffffffff7f"],
    ["9223372036854775807", "ffffffffffffffff7f"],
    [-1n, "ffffffffffffffffff01"],
    ["-1", "ffffffffffffffffff01"],
    [-9223372036854775808n, "80808080808080808001"],
  ],
});

check<bigint | string>("uint64", {
  write: (w, v) => w.uint64(v),
  size: sizeUint64,
  rows: [
    [0n, "00"],
    [300n, "ac02"],
    ["300", "ac02"],
    [4294967296n, "8080808010"],
    [18446744073709551615n, "ffffffffffffffffff01"],
    ["18446744073709551615", "ffffffffffffffffff01"],
  ],
});

check<bigint | string>("sint64", {
  write: (w, v) => w.sint64(v),
  size: sizeSint64,
  rows: [
    [0n, "00"],
    [-1n, "01"],
    ["1", "02"],
    [-2147483649n, "8180808010"],
    [9223372036854775807n, "feffffffffffffffff01"],
    ["-9223372036854775808", "ffffffffffffffffff01"],
  ],
});

check<bigint | string>("fixed64", {
  write: (w, v) => w.fixed64(v),
  size: () => 8,
  rows: [
    [0n, "0000000000000000"],
    [1n, "0100000000000000"],
    ["81985529216486895", "efcdab8967452301"],
    [18446744073709551615n, "ffffffffffffffff"],
  ],
});

check<bigint | string>("sfixed64", {
  write: (w, v) => w.sfixed64(v),
  size: () => 8,
  rows: [
    [0n, "0000000000000000"],
    [-1n, "ffffffffffffffff"],
    ["-2", "feffffffffffffff"],
    [-9223372036854775808n, "0000000000000080"],
    [9223372036854775807n, "ffffffffffffff7f"],
  ],
});

check<string>("string", {
  write: (w, v) => w.string(v),
  size: sizeString,
  rows: [
    ["", "00"],
    ["testing", "0774657374696e67"],
    ["é€😀", "09c3a9e282acf09f9880"],
    ["\ud800", "03efbfbd"],
    ["a".repeat(24), "18" + "61".repeat(24)], // longest string encoded in JavaScript
    ["a".repeat(25), "19" + "61".repeat(25)], // shortest string encoded by TextEncoder
    ["€".repeat(24), "48" + "e282ac".repeat(24)],
    ["€".repeat(42), "7e" + "e282ac".repeat(42)],
    // The UTF-8 length needs a longer prefix than the number of UTF-16 units: the text moves over.
    ["€".repeat(43), "8101" + "e282ac".repeat(43)],
    ["é".repeat(64), "8001" + "c3a9".repeat(64)],
    ["😀".repeat(32), "8001" + "f09f9880".repeat(32)],
    ["é".repeat(8192), "808001" + "c3a9".repeat(8192)],
    ["a".repeat(127), "7f" + "61".repeat(127)],
    ["a".repeat(128), "8001" + "61".repeat(128)],
    ["a".repeat(300), "ac02" + "61".repeat(300)],
  ],
});

check<Uint8Array>("bytes", {
  write: (w, v) => w.bytes(v),
  size: sizeBytes,
  rows: [
    [new Uint8Array(0), "00"],
    [fromHex("00ff10"), "0300ff10"],
    [new Uint8Array(128).fill(7), "8001" + "07".repeat(128)],
  ],
});

check<[number, number]>("tag", {
  write: (w, [no, wt]) => w.tag(no, wt),
  size: ([no, wt]) => sizeTag(no, wt),
  rows: [
    [[1, 0], "08"],
    [[1, 2], "0a"],
    [[15, 5], "7d"],
    [[16, 0], "8001"],
    [[536870911, 5], "fdffffff0f"],
  ],
});

describe("BinaryWriter", () => {
  it("writes raw bytes without a prefix", () => {
    const w = new BinaryWriter(4);
    w.raw1(0x08);
    w.raw(fromHex("96017f"));
    expect(hex(w.finish())).toBe("0896017f");
  });

  it("hands out the precomputed nested sizes in order", () => {
    // message { 1: { 1: 150 }, 2: "x" }, with the nested length from `sizes`.
    const w = new BinaryWriter(8, [3]);
    w.raw1(0x0a);
    w.uint32(w.nextSize());
    w.raw1(0x08);
    w.uint32(150);
    w.tag(2, 2);
    w.string("x");
    expect(hex(w.finish())).toBe("0a0308960112" + "0178");
    expect(() => w.nextSize()).toThrow("no precomputed size left");
  });

  it("hands out what the size pass saved, in order", () => {
    const keys = ["a", "b"];
    const values = [1n, 2n];
    const w = new BinaryWriter(0, [], [keys, values]);
    expect(w.nextSaved<string[]>()).toBe(keys);
    expect(w.nextSaved<bigint[]>()).toBe(values);
    expect(() => w.nextSaved()).toThrow("nothing saved left");
  });

  it("rejects a write shorter than the computed size", () => {
    const w = new BinaryWriter(3);
    w.uint32(300);
    expect(() => w.finish()).toThrow("wrote up to byte 2, but the computed end was 3");
  });

  it("rejects a write longer than the computed size", () => {
    const w = new BinaryWriter(1);
    w.uint32(300);
    expect(() => w.finish()).toThrow("wrote up to byte 2, but the computed end was 1");
    const s = new BinaryWriter(3);
    s.string("€");
    expect(() => s.finish()).toThrow("wrote up to byte 4");
    const long = new BinaryWriter(60);
    // A long string that does not fit stops short; finish() reports the mismatch.
    long.string("€".repeat(30));
    expect(() => long.finish()).toThrow();
  });

  it("writes many values into one exact buffer", () => {
    const size = 1 + sizeString("héllo") + 8 + sizeInt64(-3n) + 1;
    const w = new BinaryWriter(size);
    w.int32(7);
    w.string("héllo");
    w.double(1);
    w.int64(-3n);
    w.bool(true);
    expect(w.finish().length).toBe(size);
  });

  it("rejects 64-bit values that are out of range or not decimal", () => {
    const w = new BinaryWriter(10);
    expect(() => w.uint64(-1n)).toThrow(RangeError);
    expect(() => w.int64(1n << 63n)).toThrow(RangeError);
    expect(() => w.int64(-(1n << 63n) - 1n)).toThrow(RangeError);
    expect(() => w.uint64(1n << 64n)).toThrow(RangeError);
    expect(() => w.fixed64("1.5")).toThrow("not a decimal integer");
    expect(() => w.sint64("")).toThrow("not a decimal integer");
  });
});

describe("BinaryWriter headroom", () => {
  it("leaves the first bytes free for a header and writes the message after them", () => {
    const w = new BinaryWriter(2, undefined, undefined, 5);
    w.raw1(8);
    w.raw1(1);
    const out = w.finish();
    expect(out.length).toBe(7);
    expect(Array.from(out.subarray(5))).toEqual([8, 1]);
  });
});
