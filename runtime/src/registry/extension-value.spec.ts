import {
  TestAllTypesProto2,
  extension_int32,
  groupfield,
} from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import { Legacy, ext_int, ext_message, ext_strings } from "../../../plugin/test/gen/tsgrpc/test/proto2_pb.js";
import type { ExtensionType } from "../message/types.js";
import { ScalarType } from "../message/types.js";
import { BinaryWriter } from "../wire/writer.js";
import { clearExtension, encodeExtensionField, getExtension, hasExtension, readExtensionField, setExtension } from "./extension-value.js";

describe("extension values in $unknown", () => {
  test.each<[string, ExtensionType, unknown]>([
    ["int32", extension_int32, -5],
    ["group", groupfield, { groupInt32: 1, groupUint32: 2 }],
    ["repeated string", ext_strings, ["a", "", "b"]],
    ["message", ext_message, Legacy.create({})],
  ])("%s: set, get, has, clear, and survive binary round trips", (_, ext, value) => {
    const extendee = ext.extendee;
    const m = extendee.create() as object;
    expect(hasExtension(m, ext)).toBe(false);
    setExtension(m, ext, value);
    expect(hasExtension(m, ext)).toBe(true);
    expect(getExtension(m, ext)).toEqual(value);
    const back = extendee.decode(extendee.encode(m));
    expect(getExtension(back, ext)).toEqual(value);
    clearExtension(back, ext);
    expect(hasExtension(back, ext)).toBe(false);
    expect((back as { $unknown?: Uint8Array }).$unknown).toBeUndefined();
  });

  test("absent: undefined, or [] for repeated", () => {
    expect(getExtension(TestAllTypesProto2.create(), extension_int32)).toBeUndefined();
    expect(getExtension(ext_strings.extendee.create(), ext_strings)).toEqual([]);
  });

  test("set replaces, and keeps other unknown fields", () => {
    const m = TestAllTypesProto2.create();
    setExtension(m, groupfield, { groupInt32: 1 });
    setExtension(m, extension_int32, 1);
    setExtension(m, extension_int32, 2);
    expect(getExtension(m, extension_int32)).toBe(2);
    expect(getExtension(m, groupfield)).toEqual({ groupInt32: 1 });
    clearExtension(m, extension_int32);
    expect(getExtension(m, groupfield)).toEqual({ groupInt32: 1 });
  });

  test("merges like the binary format: last scalar wins, messages merge, packed and unpacked mix", () => {
    const w = new BinaryWriter(3 + 3);
    w.tag(120, 0);
    w.int32(1);
    w.tag(120, 0);
    w.int32(2);
    const m = TestAllTypesProto2.create();
    (m as { $unknown?: Uint8Array }).$unknown = w.finish();
    expect(getExtension(m, extension_int32)).toBe(2);

    const g = TestAllTypesProto2.create();
    (g as { $unknown?: Uint8Array }).$unknown = new Uint8Array([
      ...encodeExtensionField(groupfield.field, { groupInt32: 1 }),
      ...encodeExtensionField(groupfield.field, { groupUint32: 2 }),
    ]);
    expect(getExtension(g, groupfield)).toEqual({ groupInt32: 1, groupUint32: 2 });

    const packed = { ...extension_int32.field, repeated: true, packed: true } as unknown as typeof extension_int32.field;
    const unpacked = { ...extension_int32.field, repeated: true, packed: false } as unknown as typeof extension_int32.field;
    const bytes = new Uint8Array([...encodeExtensionField(packed, [1, -1]), ...encodeExtensionField(unpacked, [3])]);
    expect(readExtensionField(bytes, packed).value).toEqual([1, -1, 3]);
  });

  test("a wire type that does not fit the field is not the field", () => {
    const w = new BinaryWriter(2 + 4);
    w.tag(120, 5);
    w.fixed32(7);
    expect(readExtensionField(w.finish(), extension_int32.field)).toEqual({ found: false, value: undefined });
  });

  test("every scalar type round-trips", () => {
    const samples: [ScalarType, unknown][] = [
      [ScalarType.DOUBLE, -1.5],
      [ScalarType.FLOAT, Math.fround(0.1)],
      [ScalarType.INT64, -9223372036854775808n],
      [ScalarType.UINT64, 18446744073709551615n],
      [ScalarType.INT32, -1],
      [ScalarType.FIXED64, 1n],
      [ScalarType.FIXED32, 4294967295],
      [ScalarType.BOOL, true],
      [ScalarType.STRING, "é"],
      [ScalarType.BYTES, new Uint8Array([1, 2])],
      [ScalarType.UINT32, 4294967295],
      [ScalarType.SFIXED32, -2],
      [ScalarType.SFIXED64, -3n],
      [ScalarType.SINT32, -4],
      [ScalarType.SINT64, -5n],
    ];
    for (const [T, v] of samples) {
      const field = { ...ext_int.field, kind: "scalar", T } as typeof ext_int.field;
      expect(readExtensionField(encodeExtensionField(field, v), field).value).toEqual(v);
    }
  });
});
