// Behaviour of generated codecs for the constructs of proto2, proto3 and editions.
import { DecodeError } from "@tsgrpc/runtime";
import { BinaryWriter } from "@tsgrpc/runtime/wire";
import { Closed, Legacy } from "./gen/tsgrpc/test/proto2_pb.js";
import { Color, Color$enum, Kitchen, Scalars } from "./gen/tsgrpc/test/proto3_pb.js";
import { Edition, ClosedEnum } from "./gen/tsgrpc/test/editions_pb.js";
import { Keywords, Keywords$enum, Object$, Reserved } from "./gen/tsgrpc/test/names_pb.js";

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}
function bytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.replace(/\s/g, ""), "hex"));
}

describe("proto3", () => {
  test("zero values are not written; set values round-trip", () => {
    expect(Scalars.encode(Scalars.create()).length).toBe(0);
    const m = Scalars.create({
      fDouble: -0, fFloat: 1.5, fInt64: -1n, fUint64: 18446744073709551615n, fInt32: -1, fFixed64: 1n, fFixed32: 4294967295,
      fBool: true, fString: "héllo 😀", fBytes: new Uint8Array([0, 255]), fUint32: 4294967295, fSfixed32: -2, fSfixed64: -3n,
      fSint32: -2147483648, fSint64: -9223372036854775808n, jsString: "-12",
    });
    const back = Scalars.decode(Scalars.encode(m));
    expect(back).toEqual(m);
    expect(Object.is(back.fDouble, -0)).toBe(true);
    expect(Scalars.equals(m, back)).toBe(true);
  });

  test("known encodings", () => {
    expect(hex(Scalars.encode(Scalars.create({ fInt32: 150 })))).toBe("289601");
    expect(hex(Scalars.encode(Scalars.create({ fInt32: -1 })))).toBe("28ffffffffffffffffff01");
    expect(hex(Scalars.encode(Scalars.create({ fSint32: -1 })))).toBe("8801" + "01");
    expect(hex(Scalars.encode(Scalars.create({ fString: "testing" })))).toBe("4a0774657374696e67");
  });

  test("packed and expanded repeated fields decode either way", () => {
    const packed = Kitchen.encode(Kitchen.create({ packed: [1, 2, 300] }));
    expect(hex(packed)).toBe("120401" + "02ac02");
    const expanded = Kitchen.encode(Kitchen.create({ expanded: [1, 2] }));
    expect(hex(expanded)).toBe("18011802");
    // field 2 sent expanded, field 3 sent packed
    expect(Kitchen.decode(bytes("1001 1002 1a020304")).packed).toEqual([1, 2]);
    expect(Kitchen.decode(bytes("1a020304")).expanded).toEqual([3, 4]);
  });

  test("maps with every key kind, oneofs, nested and recursive messages", () => {
    const m = Kitchen.create({
      children: { a: { maybe: 0 }, "": { names: ["x"] } },
      byInt: { [-5]: "neg", 7: "seven" },
      byLong: { "-9223372036854775808": Color.COLOR_RED },
      byBool: { true: new Uint8Array([1]), false: new Uint8Array() },
      byUint: { 4294967295: -5n },
      choice: { case: "nested", value: { choice: { case: "text", value: "deep" } } },
      recursive: { recursive: { maybe: 3 } },
      at: { seconds: 5n, nanos: 6 },
      label: { value: "lbl" },
      colors: [Color.COLOR_GREEN, 99 as Color],
      jsonNamed: "j",
      bigFieldNumber: 7,
      inner: { kind: 1 },
    });
    const back = Kitchen.decode(Kitchen.encode(m));
    expect(back).toEqual(m);
    expect(back.children.a.maybe).toBe(0);
    expect(back.colors[1]).toBe(99);
  });

  test("a singular message seen twice is merged; the last scalar wins", () => {
    const a = Kitchen.encode(Kitchen.create({ recursive: { maybe: 1, names: ["a"] }, colorField: Color.COLOR_RED }));
    const b = Kitchen.encode(Kitchen.create({ recursive: { names: ["b"] }, colorField: Color.COLOR_GREEN }));
    const joined = new Uint8Array([...a, ...b]);
    const m = Kitchen.decode(joined);
    expect(m.recursive?.maybe).toBe(1);
    expect(m.recursive?.names).toEqual(["a", "b"]);
    expect(m.colorField).toBe(Color.COLOR_GREEN);
  });

  test("unknown fields survive decode → encode", () => {
    const withUnknown = bytes("08 96 01" + "f8ff 01 07" + "a2 06 03 616263"); // maybe=150, field 4095 varint, field 100 bytes
    const m = Kitchen.decode(withUnknown);
    expect(m.maybe).toBe(150);
    expect(m.$unknown).toBeDefined();
    expect(hex(Kitchen.encode(m))).toBe(hex(withUnknown));
    expect(Kitchen.decode(withUnknown, { discardUnknown: true }).$unknown).toBeUndefined();
  });

  test("names that clash with JavaScript are escaped and still work", () => {
    const r = Reserved.create({ Proto: 1, constructor$: 2, class: 3, toString$: 4, hasOwnProperty: 5, function: "f", switch: { case: "case", value: 9 } });
    expect(Reserved.decode(Reserved.encode(r))).toEqual(r);
    expect(Object$.decode(Object$.encode({ prototype: 1 })).prototype).toBe(1);
  });
});

describe("enums", () => {
  test("are plain objects of the proto's names and numbers, with a descriptor beside them", () => {
    expect({ ...Color }).toEqual({ COLOR_UNSPECIFIED: 0, COLOR_RED: 1, COLOR_GREEN: 2 });
    expect(Object.keys(Color)).toEqual(["COLOR_UNSPECIFIED", "COLOR_RED", "COLOR_GREEN"]);
    expect(Color$enum).toEqual({
      typeName: "tsgrpc.test.Color",
      open: true,
      values: [{ no: 0, name: "COLOR_UNSPECIFIED" }, { no: 1, name: "COLOR_RED" }, { no: 2, name: "COLOR_GREEN" }],
    });
  });

  test("value names that are JavaScript words, __proto__ included, are own properties", () => {
    expect(Object.getPrototypeOf(Keywords)).toBe(Object.prototype);
    expect(Object.entries(Keywords)).toEqual([["delete", 0], ["new", 1], ["typeof", 2], ["__proto__", 3], ["constructor", 4]]);
    expect(Keywords.__proto__).toBe(3);
    expect(Keywords$enum.values.map((v) => v.name)).toEqual(Object.keys(Keywords));
  });

  test("an open enum field keeps a number its schema does not name", () => {
    const m = Kitchen.decode(bytes("8801 07")); // color_field (17) = 7
    expect(m.colorField).toBe(7);
    expect(hex(Kitchen.encode(m))).toBe("880107");
  });
});

describe("proto2 and editions", () => {
  test("every message of a type has the same properties in the same order, whichever fields are set", () => {
    // One shape per type keeps the JIT's property loads monomorphic (see generateCreate).
    const shape = Object.keys(Legacy.create());
    expect(shape).toContain("name");
    expect(shape).toContain("data");
    const variants = [
      Legacy.decode(Legacy.encode({ id: 1 })),
      Legacy.decode(Legacy.encode({ id: 2, big: 5n, name: "x" })),
      Legacy.decode(Legacy.encode({ ratio: 1.5, blob: new Uint8Array([1]), data: { groupInt: 3 }, id: 3 })),
      Legacy.create({ closed: Closed.CLOSED_A, id: 4 }),
    ];
    for (const m of variants) expect(Object.keys(m)).toEqual(shape);
    expect(variants[0]!.name).toBeUndefined();
    expect(Object.keys(Kitchen.decode(Kitchen.encode({ choice: { case: "text", value: "t" } })))).toEqual(Object.keys(Kitchen.create()));
  });

  test("closed enum values the enum does not declare go to unknown fields and are written back", () => {
    // closed=3 (unknown), closed_list=[1, 3] packed, closed_map {"k": 3}
    const input = bytes("20 03" + "2a 02 01 03" + "6a 05 0a016b 1003");
    const m = Legacy.decode(input);
    expect(m.closed).toBeUndefined();
    expect(m.closedList).toEqual([Closed.CLOSED_A]);
    expect(m.closedMap).toEqual({});
    const again = Legacy.decode(Legacy.encode(m));
    expect(again.$unknown).toEqual(m.$unknown);
    expect(hex(m.$unknown!)).toBe("2003" + "2803" + "6a050a016b1003");
  });

  test("groups are written with start and end tags and read back", () => {
    const m = Legacy.create({ id: 1, data: { groupInt: 5, groupString: "g" }, item: [{ x: 1 }, { x: 2 }] });
    const b = Legacy.encode(m);
    expect(hex(b)).toContain("43" + "4805" + "52016" + "7" + "44");
    expect(Legacy.decode(b)).toEqual(m);
  });

  test("a group whose end tag does not match is a DecodeError", () => {
    expect(() => Legacy.decode(bytes("43 4805 4c"))).toThrow(DecodeError);
    expect(() => Legacy.decode(bytes("43 4805"))).toThrow(DecodeError);
  });

  test("proto2 defaults are in the field table, presence is explicit", () => {
    const m = Legacy.create();
    expect(m.name).toBeUndefined();
    expect(Legacy.field(2)).toMatchObject({ defaultValue: "anon" });
    expect(Legacy.field(3)).toMatchObject({ defaultValue: Number.NEGATIVE_INFINITY });
    expect(Legacy.field(14)).toMatchObject({ defaultValue: 18446744073709551615n });
    expect(Legacy.field(1)).toMatchObject({ required: true });
    expect(hex(Legacy.encode(Legacy.create({ name: "" })))).toBe("1200");
  });

  test("extensions are kept as unknown fields", () => {
    const ext = bytes("a006 07"); // field 100 varint 7
    const m = Legacy.decode(ext);
    expect(hex(Legacy.encode(m))).toBe("a00607");
  });

  test("editions: implicit, explicit, delimited, expanded, closed", () => {
    const m = Edition.create({ explicitInt: 0, delimited: { implicitInt: 4 }, expanded: [1, 2], packed: [3, 4], closed: ClosedEnum.CLOSED_TWO, unchecked: "u" });
    const b = Edition.encode(m);
    expect(hex(b)).toContain("1000"); // explicit zero is written
    expect(hex(b)).toContain("1b" + "0804" + "1c"); // delimited
    expect(hex(b)).toContain("2001" + "2002"); // expanded
    expect(hex(b)).toContain("2a020304"); // packed
    expect(Edition.decode(b)).toEqual(m);
  });

  test("utf8_validation=NONE accepts invalid UTF-8, proto3 strings reject it", () => {
    expect(Edition.decode(bytes("4202c328")).unchecked).toBe("\ufffd(");
    expect(() => Scalars.decode(bytes("4a02c328"))).toThrow(DecodeError);
  });
});

describe("bad input", () => {
  test.each([
    ["truncated varint", "08ff"],
    ["length past the end", "4a05616263"],
    ["wire type 6", "0e"],
    ["wire type 7", "0f"],
    ["field number 0", "0001"],
    ["varint over 10 bytes", "08ffffffffffffffffffff01"],
    ["stray end group", "0c"],
    ["nested message past its parent", "72 02 0a 05"],
  ])("%s is a DecodeError", (_name, input) => {
    expect(() => Kitchen.decode(bytes(input))).toThrow(DecodeError);
  });

  test("errors in nested messages name the path", () => {
    // recursive (14) → recursive (14) → names (4) with a length past the end
    let err: unknown;
    try {
      Kitchen.decode(bytes("72 05 72 03 22 05 61"));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).path).toEqual(["recursive", "recursive"]);
  });

  test("recursion deeper than 100 is a DecodeError, not a stack overflow", () => {
    let inner: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 150; i++) {
      const w = new BinaryWriter(1 + 5 + inner.length);
      w.raw1(0x72);
      w.uint32(inner.length);
      w.raw(inner);
      inner = w.buf.subarray(0, w.pos);
    }
    expect(() => Kitchen.decode(inner)).toThrow(/recursion limit/);
  });
});

describe("required fields", () => {
  test("isInitialized is generated for messages with required fields", () => {
    expect(Legacy.spec.isInitialized!(Legacy.create({ id: 1 }))).toBe(true);
    expect(Legacy.spec.isInitialized!(Legacy.create({ name: "x" }))).toBe(false);
    expect(Kitchen.spec.isInitialized).toBeUndefined();
  });
});
