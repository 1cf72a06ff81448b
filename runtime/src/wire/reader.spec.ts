import { DecodeError } from "./errors.js";
import { BinaryReader } from "./reader.js";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const fromHex = (s: string) => Uint8Array.from(s.replace(/ /g, "").match(/../g) ?? [], (h) => parseInt(h, 16));

/** One table per primitive: reading the bytes gives the value and consumes all of them. */
function check<T>(name: string, read: (r: BinaryReader) => T, rows: [string, T][]): void {
  describe(name, () => {
    it.each(rows)("%s -> %p", (bytes, expected) => {
      const r = new BinaryReader(fromHex(bytes));
      expect(read(r)).toEqual(expected);
      expect(r.pos).toBe(r.buf.length);
    });
  });
}

check("uint32", (r) => r.uint32(), [
  ["00", 0],
  ["7f", 127],
  ["8001", 128],
  ["ac02", 300],
  ["ffffffff0f", 4294967295],
  ["8000", 0], // non-canonical, still valid
  ["ffffffffffffffffff01", 4294967295], // low 32 bits of a 64-bit varint
  ["8180808010", 1],
]);

check("int32", (r) => r.int32(), [
  ["00", 0],
  ["9601", 150],
  ["ffffffff07", 2147483647],
  ["ffffffffffffffffff01", -1],
  ["80808080f8ffffffff01", -2147483648],
  ["ffffffff0f", -1], // 5-byte form, as some encoders write it
  ["8180808010", 1],
]);

check("sint32", (r) => r.sint32(), [
  ["00", 0],
  ["01", -1],
  ["02", 1],
  ["7f", -64],
  ["feffffff0f", 2147483647],
  ["ffffffff0f", -2147483648],
]);

check("fixed32", (r) => r.fixed32(), [
  ["00000000", 0],
  ["78563412", 0x12345678],
  ["ffffffff", 4294967295],
]);

check("sfixed32", (r) => r.sfixed32(), [
  ["ffffffff", -1],
  ["00000080", -2147483648],
  ["ffffff7f", 2147483647],
]);

check("float", (r) => r.float(), [
  ["0000803f", 1],
  ["000020c0", -2.5],
  ["00000080", -0],
  ["0000807f", Infinity],
  ["0000c07f", NaN],
  ["01000000", 1.401298464324817e-45],
]);

check("double", (r) => r.double(), [
  ["000000000000f03f", 1],
  ["9a9999999999b93f", 0.1],
  ["0000000000000080", -0],
  ["000000000000f0ff", -Infinity],
  ["000000000000f87f", NaN],
]);

check("bool", (r) => r.bool(), [
  ["00", false],
  ["01", true],
  ["02", true],
  ["8000", false],
  ["8080808010", true], // only bit 32 set
  ["80808080808080808001", true], // only bit 63 set
]);

check("int64", (r) => r.int64(), [
  ["00", 0n],
  ["9601", 150n],
  ["8080808010", 4294967296n],
  ["8180808080808010", 9007199254740993n],
  ["ffffffffffffffff7f", 9223372036854775807n],
  ["ffffffffffffffffff01", -1n],
  ["80808080808080808001", -9223372036854775808n],
  ["ffffffffffffffffff7f", -1n], // bits past 64 are dropped
]);

check("uint64", (r) => r.uint64(), [
  ["00", 0n],
  ["ac02", 300n],
  ["ffffffff0f", 4294967295n],
  ["ffffffffffffffffff01", 18446744073709551615n],
]);

check("sint64", (r) => r.sint64(), [
  ["00", 0n],
  ["01", -1n],
  ["02", 1n],
  ["8180808010", -2147483649n],
  ["feffffffffffffffff01", 9223372036854775807n],
  ["ffffffffffffffffff01", -9223372036854775808n],
]);

check("fixed64", (r) => r.fixed64(), [
  ["0100000000000000", 1n],
  ["efcdab8967452301", 81985529216486895n],
  ["ffffffffffffffff", 18446744073709551615n],
]);

check("sfixed64", (r) => r.sfixed64(), [
  ["ffffffffffffffff", -1n],
  ["0000000000000080", -9223372036854775808n],
  ["ffffffffffffff7f", 9223372036854775807n],
]);

check("int64Str", (r) => r.int64Str(), [
  ["9601", "150"],
  ["ffffffffffffffffff01", "-1"],
  ["80808080808080808001", "-9223372036854775808"],
]);
check("uint64Str", (r) => r.uint64Str(), [
  ["00", "0"],
  ["ffffffffffffffffff01", "18446744073709551615"],
]);
check("sint64Str", (r) => r.sint64Str(), [
  ["03", "-2"],
  ["feffffffffffffffff01", "9223372036854775807"],
]);
check("fixed64Str", (r) => r.fixed64Str(), [["ffffffffffffffff", "18446744073709551615"]]);
check("sfixed64Str", (r) => r.sfixed64Str(), [["feffffffffffffff", "-2"]]);

check("string", (r) => r.string(), [
  ["00", ""],
  ["0774657374696e67", "testing"],
  ["09c3a9e282acf09f9880", "é€😀"],
  ["03efbbbf", "\ufeff"],
]);

check("stringLax", (r) => r.stringLax(), [
  ["0474657374", "test"],
  ["0261ff", "a\ufffd"],
  ["03eda080", "\ufffd\ufffd\ufffd"],
]);

check("bytes", (r) => hex(r.bytes()), [
  ["00", ""],
  ["0300ff10", "00ff10"],
]);

check("tag", (r) => r.tag(), [
  ["08", 8],
  ["0a", 10],
  ["8001", 128],
  ["fdffffff0f", 0xfffffffd], // field 536870911, wire type 5
  ["8880808000", 8], // non-canonical 5-byte tag
]);

describe("malformed input", () => {
  // [what, bytes, read, reason]
  const table: [string, string, (r: BinaryReader) => unknown, string][] = [
    ["empty varint", "", (r) => r.uint32(), "unexpected end of data"],
    ["truncated uint32", "80", (r) => r.uint32(), "unexpected end of data"],
    ["truncated int32", "ffffffffffff", (r) => r.int32(), "unexpected end of data"],
    ["truncated int64", "ffffffffffffffffff", (r) => r.int64(), "unexpected end of data"],
    ["truncated bool", "8080", (r) => r.bool(), "unexpected end of data"],
    ["11-byte uint32", "ffffffffffffffffffff01", (r) => r.uint32(), "varint too long"],
    ["11-byte int32", "8080808080808080808000", (r) => r.int32(), "varint too long"],
    ["11-byte int64", "ffffffffffffffffffff01", (r) => r.int64(), "varint too long"],
    ["11-byte bool", "8080808080808080808001", (r) => r.bool(), "varint too long"],
    ["11-byte length", "8080808080808080808000", (r) => r.bytes(), "varint too long"],
    ["truncated fixed32", "ffffff", (r) => r.fixed32(), "unexpected end of data"],
    ["truncated sfixed32", "ff", (r) => r.sfixed32(), "unexpected end of data"],
    ["truncated float", "0000", (r) => r.float(), "unexpected end of data"],
    ["truncated double", "00000000000000", (r) => r.double(), "unexpected end of data"],
    ["truncated fixed64", "00000000000000", (r) => r.fixed64(), "unexpected end of data"],
    ["truncated sfixed64", "", (r) => r.sfixed64Str(), "unexpected end of data"],
    ["string past the end", "0561626364", (r) => r.string(), "length exceeds remaining data"],
    ["bytes past the end", "01", (r) => r.bytes(), "length exceeds remaining data"],
    ["huge length", "ffffffff0f00", (r) => r.bytes(), "length exceeds remaining data"],
    ["length over 32 bits", "80808080100000", (r) => r.bytes(), "length exceeds remaining data"],
    ["truncated length", "80", (r) => r.string(), "unexpected end of data"],
    ["invalid UTF-8", "02c328", (r) => r.string(), "invalid UTF-8"],
    ["encoded surrogate", "03eda080", (r) => r.string(), "invalid UTF-8"],
    ["empty tag", "", (r) => r.tag(), "unexpected end of data"],
    ["truncated tag", "88", (r) => r.tag(), "unexpected end of data"],
    ["field number 0", "00", (r) => r.tag(), "invalid field number 0"],
    ["field number 0, varint wire type", "8000", (r) => r.tag(), "invalid field number 0"],
    ["wire type 6", "0e", (r) => r.tag(), "invalid wire type 6"],
    ["wire type 7", "0f", (r) => r.tag(), "invalid wire type 7"],
    ["tag over 32 bits", "ffffffff1f", (r) => r.tag(), "invalid tag: exceeds 32 bits"],
    ["6-byte tag", "888080808000", (r) => r.tag(), "invalid tag: exceeds 32 bits"],
    ["nested length past the parent", "05010203", (r) => r.pushLimit(), "length exceeds remaining data"],
  ];
  it.each(table)("%s", (_, bytes, read, reason) => {
    expect(() => read(new BinaryReader(fromHex(bytes)))).toThrow(new DecodeError(reason));
  });

  it("throws DecodeError, not a generic Error", () => {
    expect(() => new BinaryReader(fromHex("80")).uint32()).toThrow(DecodeError);
  });

  it("cuts every valid encoding short and gets a DecodeError at every cut", () => {
    const valid: [string, (r: BinaryReader) => unknown][] = [
      ["ffffffffffffffffff01", (r) => r.int64()],
      ["ffffffffffffffffff01", (r) => r.int32()],
      ["ffffffffffffffffff01", (r) => r.bool()],
      ["ffffffffffffffffff01", (r) => r.uint64Str()],
      ["efcdab8967452301", (r) => r.fixed64()],
      ["000000000000f03f", (r) => r.double()],
      ["09c3a9e282acf09f9880", (r) => r.string()],
      ["8001" + "00".repeat(128), (r) => r.bytes()],
      ["fdffffff0f", (r) => r.tag()],
    ];
    for (const [bytes, read] of valid) {
      const full = fromHex(bytes);
      for (let cut = 0; cut < full.length; cut++) {
        expect(() => read(new BinaryReader(full.subarray(0, cut)))).toThrow(DecodeError);
      }
    }
  });
});

describe("limits", () => {
  it("checks reads against the limit, not the buffer length", () => {
    // message { 1: { 1: 150 } } with the nested length claiming 2 instead of 3.
    const r = new BinaryReader(fromHex("0a02 089601"));
    expect(r.tag()).toBe(0x0a);
    const prev = r.pushLimit();
    expect(prev).toBe(5);
    expect(r.limit).toBe(4);
    expect(r.tag()).toBe(0x08);
    expect(() => r.uint32()).toThrow("unexpected end of data");
  });

  it.each<[string, (r: BinaryReader) => unknown]>([
    ["fixed32", (r) => r.fixed32()],
    ["double", (r) => r.double()],
    ["bytes", (r) => r.bytes()],
    ["string", (r) => r.string()],
    ["nested pushLimit", (r) => r.pushLimit()],
    ["skip varint", (r) => r.skip(0x08)],
    ["skip fixed64", (r) => r.skip(0x09)],
  ])("bounds %s by the limit", (_, read) => {
    // Plenty of data in the buffer, but the scope is only one byte long.
    const r = new BinaryReader(fromHex("01 80 8080808080808080808001 ff"));
    r.pushLimit();
    expect(() => read(r)).toThrow(DecodeError);
  });

  it("pops back to the enclosing limit once the scope is read to its end", () => {
    const r = new BinaryReader(fromHex("0a03 089601 1001"));
    r.tag();
    const prev = r.pushLimit();
    expect(r.tag()).toBe(0x08);
    expect(r.uint32()).toBe(150);
    r.popLimit(prev);
    expect(r.limit).toBe(7);
    expect(r.tag()).toBe(0x10);
    expect(r.bool()).toBe(true);
  });

  it("refuses to pop a scope that was not read to its end", () => {
    const r = new BinaryReader(fromHex("0a03 089601"));
    r.tag();
    const prev = r.pushLimit();
    r.tag();
    expect(() => r.popLimit(prev)).toThrow(new DecodeError("length-delimited field not fully consumed"));
  });

  it("reads from a subarray of a larger buffer", () => {
    const outer = fromHex("ffff 0000803f 0474657374 ffff");
    const r = new BinaryReader(outer.subarray(2, 11));
    expect(r.float()).toBe(1);
    expect(r.string()).toBe("test");
    expect(r.pos).toBe(r.limit);
  });
});

describe("bytes", () => {
  it("returns a copy, not a view of the input", () => {
    const input = fromHex("020102");
    const value = new BinaryReader(input).bytes();
    input.fill(0);
    expect(hex(value)).toBe("0102");
    expect(value.buffer).not.toBe(input.buffer);
  });

  it("with aliasBytes, returns a plain Uint8Array view of the input", () => {
    const backing = Buffer.from("ff020102ff", "hex");
    const input = backing.subarray(1, 4); // an offset view, as node:http2 chunks are
    const value = new BinaryReader(input, { aliasBytes: true }).bytes();
    expect(hex(value)).toBe("0102");
    expect(value.constructor).toBe(Uint8Array);
    expect(value.buffer).toBe(backing.buffer);
    backing[2] = 0x09;
    expect(hex(value)).toBe("0902");
  });

  it("with aliasBytes, a zero-length field is empty", () => {
    expect(new BinaryReader(fromHex("00"), { aliasBytes: true }).bytes().length).toBe(0);
  });
});

describe("enter / leave", () => {
  it("allows maxDepth levels and fails on the next", () => {
    const r = new BinaryReader(new Uint8Array(0), { maxDepth: 3 });
    r.enter();
    r.enter();
    r.enter();
    expect(r.depth).toBe(3);
    expect(() => r.enter()).toThrow(new DecodeError("recursion limit exceeded"));
  });

  it("defaults to 100 levels", () => {
    const r = new BinaryReader(new Uint8Array(0));
    for (let i = 0; i < 100; i++) r.enter();
    expect(() => r.enter()).toThrow("recursion limit exceeded");
    r.depth = 1;
    r.leave();
    expect(r.depth).toBe(0);
  });
});

describe("skip", () => {
  // [what, bytes of one field, tag included]
  const table: [string, string][] = [
    ["varint", "08 96 01"],
    ["10-byte varint", "08 ffffffffffffffffff01"],
    ["fixed64", "09 0102030405060708"],
    ["length-delimited", "12 03 616263"],
    ["empty length-delimited", "12 00"],
    ["fixed32", "1d 01020304"],
    ["empty group", "1b 1c"],
    ["group with fields", "1b 0896 01 12 01 61 1c"],
    ["nested groups", "1b 23 0801 24 2b 2c 1c"],
    ["group containing its own field number's start", "1b 1b 1c 1c"],
  ];
  it.each(table)("%s", (_, bytes) => {
    const buf = fromHex(bytes + " 7801"); // a field after it, which must remain
    const r = new BinaryReader(buf);
    r.skip(r.tag());
    expect(r.depth).toBe(0);
    expect(hex(buf.subarray(r.pos))).toBe("7801");
  });

  const malformed: [string, string, string][] = [
    ["stray end group", "0c", "unexpected end group"],
    ["mismatched end group", "1b 24", "mismatched end group"],
    ["unterminated group", "1b 0801", "unexpected end of data"],
    ["group with a bad field inside", "1b 0f 1c", "invalid wire type 7"],
    ["varint too long", "08 ffffffffffffffffffff01", "varint too long"],
    ["truncated varint", "08 ff", "unexpected end of data"],
    ["truncated fixed64", "09 01020304050607", "unexpected end of data"],
    ["truncated fixed32", "1d 010203", "unexpected end of data"],
    ["length past the end", "12 04 616263", "length exceeds remaining data"],
  ];
  it.each(malformed)("rejects %s", (_, bytes, reason) => {
    const r = new BinaryReader(fromHex(bytes));
    expect(() => r.skip(r.tag())).toThrow(new DecodeError(reason));
  });

  it("rejects wire types 6 and 7 given directly", () => {
    const r = new BinaryReader(fromHex("00"));
    expect(() => r.skip(0x0e)).toThrow("invalid wire type 6");
    expect(() => r.skip(0x0f)).toThrow("invalid wire type 7");
  });

  it("counts nested groups toward maxDepth", () => {
    const deep = (n: number) => fromHex("0b".repeat(n) + "0c".repeat(n));
    const ok = new BinaryReader(deep(5), { maxDepth: 5 });
    ok.skip(ok.tag());
    expect(ok.pos).toBe(10);
    const tooDeep = new BinaryReader(deep(6), { maxDepth: 5 });
    expect(() => tooDeep.skip(tooDeep.tag())).toThrow("recursion limit exceeded");
    // Deep enough to overflow the stack without the limit.
    const hostile = new BinaryReader(deep(100000));
    expect(() => hostile.skip(hostile.tag())).toThrow("recursion limit exceeded");
  });
});

describe("unknown", () => {
  it("keeps each unknown field, tag included, in order", () => {
    const buf = fromHex("08 96 01 1b 0801 12 00 1c 25 01020304 12 02 6869");
    const r = new BinaryReader(buf);
    const target: { $unknown?: Uint8Array } = {};
    r.unknown(r.tag(), target);
    expect(hex(target.$unknown!)).toBe("089601");
    r.unknown(r.tag(), target);
    expect(hex(target.$unknown!)).toBe("089601" + "1b0801" + "12001c");
    expect(r.tagPos).toBe(3); // restored after the group's nested tags
    r.unknown(r.tag(), target);
    r.unknown(r.tag(), target);
    expect(hex(target.$unknown!)).toBe(hex(buf));
    expect(target.$unknown!.buffer).not.toBe(buf.buffer);
  });

  it("allocates a new array for each append, leaving earlier ones intact", () => {
    const r = new BinaryReader(fromHex("0801 1002"));
    const target: { $unknown?: Uint8Array } = {};
    r.unknown(r.tag(), target);
    const first = target.$unknown!;
    r.unknown(r.tag(), target);
    expect(hex(first)).toBe("0801");
    expect(hex(target.$unknown!)).toBe("08011002");
  });

  it("skips without keeping when discardUnknown is set", () => {
    const r = new BinaryReader(fromHex("0801 1b1c"), { discardUnknown: true });
    const target: { $unknown?: Uint8Array } = {};
    r.unknown(r.tag(), target);
    r.unknown(r.tag(), target);
    r.unknownVarint(5, 3, target);
    expect(r.pos).toBe(4);
    expect(target.$unknown).toBeUndefined();
  });

  // [field number, value, expected bytes]
  const varints: [number, number, string][] = [
    [1, 0, "0800"],
    [2, 150, "109601"],
    [16, 3, "800103"],
    [1, -1, "08ffffffffffffffffff01"],
    [536870911, -2147483648, "f8ffffff0f80808080f8ffffffff01"],
  ];
  it.each(varints)("unknownVarint field %d value %d", (no, value, expected) => {
    const r = new BinaryReader(new Uint8Array(0));
    const target: { $unknown?: Uint8Array } = { $unknown: fromHex("ff") };
    r.unknownVarint(no, value, target);
    expect(hex(target.$unknown!)).toBe("ff" + expected);
  });
});

describe("endGroup", () => {
  it("accepts the END_GROUP of the group being read", () => {
    const r = new BinaryReader(new Uint8Array(0));
    expect(() => r.endGroup((7 << 3) | 4, 7)).not.toThrow();
  });
  it("rejects an END_GROUP for another field", () => {
    const r = new BinaryReader(new Uint8Array(0));
    expect(() => r.endGroup((8 << 3) | 4, 7)).toThrow(new DecodeError("mismatched end group"));
  });
  it("rejects an END_GROUP outside any group", () => {
    const r = new BinaryReader(new Uint8Array(0));
    expect(() => r.endGroup((7 << 3) | 4, 0)).toThrow(new DecodeError("unexpected end group"));
  });
});
