import {
  TestAllTypesProto2,
  extension_int32,
  groupfield,
} from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import { TestAllTypesProto3, TestAllTypesProto3_NestedEnum } from "../../../conformance/src/gen/google/protobuf/test_messages_proto3_pb.js";
import { Kitchen, Scalars } from "../../../plugin/test/gen/tsgrpc/test/proto3_pb.js";
import type { PartialMessage } from "../message/types.js";
import { setExtension } from "../registry/extension-value.js";
import { createRegistry } from "../registry/registry.js";
import { anyPack } from "../wkt/any.js";
import { Any, Duration, Empty, FieldMask, Int64Value, StringValue, Struct, Timestamp, Value } from "../wkt/index.js";
import { fromJsonString } from "./from-json.js";
import { JsonError } from "./json-error.js";
import type { JsonValue } from "./json-value.js";
import type { JsonWriteOptions } from "./options.js";
import { toJson, toJsonString } from "./to-json.js";

const T3 = TestAllTypesProto3;
const registry = createRegistry(T3, TestAllTypesProto2, extension_int32, groupfield, Empty);
const f32 = Math.fround;

describe("toJson: TestAllTypesProto3", () => {
  test.each<[string, PartialMessage<TestAllTypesProto3>, JsonValue]>([
    ["defaults are left out", {}, {}],
    ["scalars", { optionalInt32: -1, optionalUint32: 4294967295, optionalBool: true, optionalString: "s" }, { optionalInt32: -1, optionalUint32: 4294967295, optionalBool: true, optionalString: "s" }],
    ["64-bit integers are strings", { optionalInt64: -9223372036854775808n, optionalUint64: 18446744073709551615n, optionalSint64: 1n, optionalFixed64: 2n, optionalSfixed64: -3n }, {
      optionalInt64: "-9223372036854775808",
      optionalUint64: "18446744073709551615",
      optionalSint64: "1",
      optionalFixed64: "2",
      optionalSfixed64: "-3",
    }],
    ["float at float precision", { optionalFloat: f32(0.1), optionalDouble: 0.1 }, { optionalFloat: 0.1, optionalDouble: 0.1 }],
    ["NaN and infinities", { optionalFloat: NaN, optionalDouble: -Infinity, repeatedDouble: [Infinity] }, { optionalFloat: "NaN", optionalDouble: "-Infinity", repeatedDouble: ["Infinity"] }],
    ["-0 is not a default", { optionalDouble: -0 }, { optionalDouble: -0 }],
    ["bytes are standard base64", { optionalBytes: new Uint8Array([0xfb, 0xff]) }, { optionalBytes: "+/8=" }],
    ["enums by name", { optionalNestedEnum: 2, repeatedNestedEnum: [0, -1] }, { optionalNestedEnum: "BAZ", repeatedNestedEnum: ["FOO", "NEG"] }],
    ["alias: the first name", { optionalAliasedEnum: 2 }, { optionalAliasedEnum: "ALIAS_BAZ" }],
    ["unknown enum number", { optionalNestedEnum: 123 as TestAllTypesProto3_NestedEnum }, { optionalNestedEnum: 123 }],
    ["nested message, empty", { optionalNestedMessage: {} }, { optionalNestedMessage: {} }],
    ["maps", { mapInt32Int32: { 1: 2 }, mapBoolBool: { true: false }, mapInt64Int64: { "-5": 6n }, mapStringBytes: { k: new Uint8Array([1]) } }, {
      mapInt32Int32: { "1": 2 },
      mapBoolBool: { true: false },
      mapInt64Int64: { "-5": "6" },
      mapStringBytes: { k: "AQ==" },
    }],
    ["oneof with a default value", { oneofField: { case: "oneofUint32", value: 0 } }, { oneofUint32: 0 }],
    ["oneof NullValue", { oneofField: { case: "oneofNullValue", value: 0 } }, { oneofNullValue: null }],
    ["NullValue field at default is left out", { optionalNullValue: 0 }, {}],
    ["wrappers unboxed", { optionalInt32Wrapper: { value: 0 }, optionalInt64Wrapper: { value: 5n }, optionalBytesWrapper: { value: new Uint8Array([1]) }, repeatedFloatWrapper: [{ value: f32(0.1) }] }, {
      optionalInt32Wrapper: 0,
      optionalInt64Wrapper: "5",
      optionalBytesWrapper: "AQ==",
      repeatedFloatWrapper: [0.1],
    }],
    ["timestamps", { optionalTimestamp: { seconds: 0n }, repeatedTimestamp: [{ seconds: -62135596800n }, { seconds: 253402300799n, nanos: 999999999 }, { seconds: 1n, nanos: 10000000 }, { seconds: 1n, nanos: 10000 }] }, {
      optionalTimestamp: "1970-01-01T00:00:00Z",
      repeatedTimestamp: ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:01.010Z", "1970-01-01T00:00:01.000010Z"],
    }],
    ["durations", { repeatedDuration: [{}, { seconds: 1n, nanos: 500000000 }, { seconds: -1n, nanos: -500000000 }, { nanos: -1 }, { seconds: 315576000000n, nanos: 999999999 }, { seconds: -5n }] }, {
      repeatedDuration: ["0s", "1.500s", "-1.500s", "-0.000000001s", "315576000000.999999999s", "-5s"],
    }],
    ["field mask", { optionalFieldMask: { paths: ["foo", "bar_baz.qux"] } }, { optionalFieldMask: "foo,barBaz.qux" }],
    ["empty field mask", { optionalFieldMask: {} }, { optionalFieldMask: "" }],
    ["struct and values", {
      optionalStruct: { fields: { a: { kind: { case: "listValue", value: { values: [{ kind: { case: "nullValue", value: 0 } }, { kind: { case: "numberValue", value: 1.5 } }] } } } } },
      optionalValue: { kind: { case: "stringValue", value: "x" } },
      repeatedValue: [{ kind: { case: "boolValue", value: true } }, { kind: { case: "structValue", value: {} } }],
      repeatedListValue: [{}],
    }, {
      optionalStruct: { a: [null, 1.5] },
      optionalValue: "x",
      repeatedValue: [true, {}],
      repeatedListValue: [[]],
    }],
    ["empty any", { optionalAny: {} }, { optionalAny: {} }],
  ])("%s", (_, init, want) => {
    const json = toJson(T3, T3.create(init), { registry });
    expect(json).toEqual(want);
    // -0 survives toEqual's Object.is-based number comparison only if it is really there.
    expect(fromJsonString(T3, toJsonString(T3, T3.create(init), { registry }), { registry })).toEqual(T3.create(init));
  });

  test("Any: fields inline for messages, under value for well-known types, @type first", () => {
    const m = T3.create({
      repeatedAny: [
        anyPack(T3, T3.create({ optionalInt32: 5 })),
        anyPack(Duration, Duration.create({ seconds: 3n })),
        anyPack(Any, anyPack(StringValue, StringValue.create({ value: "x" }))),
        anyPack(Empty, Empty.create(), "example.com/types/"),
        anyPack(Struct, Struct.create()),
      ],
    });
    const json = toJson(T3, m, { registry }) as { repeatedAny: JsonValue[] };
    expect(json.repeatedAny).toEqual([
      { "@type": "type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3", optionalInt32: 5 },
      { "@type": "type.googleapis.com/google.protobuf.Duration", value: "3s" },
      { "@type": "type.googleapis.com/google.protobuf.Any", value: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: "x" } },
      { "@type": "example.com/types/google.protobuf.Empty" },
      { "@type": "type.googleapis.com/google.protobuf.Struct", value: {} },
    ]);
    expect(Object.keys((json.repeatedAny[0] as object))[0]).toBe("@type");
    expect(fromJsonString(T3, toJsonString(T3, m, { registry }), { registry })).toEqual(m);
  });
});

describe("toJson options", () => {
  const m = T3.create({ optionalInt32: 1, optionalNestedEnum: 1, optionalNestedMessage: { a: 0 } });

  test("useProtoFieldName", () => {
    expect(toJson(T3, m, { useProtoFieldName: true })).toEqual({ optional_int32: 1, optional_nested_enum: "BAR", optional_nested_message: {} });
  });

  test("enumAsInteger", () => {
    expect(toJson(T3, m, { enumAsInteger: true })).toEqual({ optionalInt32: 1, optionalNestedEnum: 1, optionalNestedMessage: {} });
  });

  test("alwaysEmitImplicit emits implicit-presence defaults, empty lists and maps, but not unset messages", () => {
    const json = toJson(T3, T3.create(), { alwaysEmitImplicit: true }) as Record<string, JsonValue>;
    expect(json.optionalInt32).toBe(0);
    expect(json.optionalInt64).toBe("0");
    expect(json.optionalFloat).toBe(0);
    expect(json.optionalBool).toBe(false);
    expect(json.optionalString).toBe("");
    expect(json.optionalBytes).toBe("");
    expect(json.optionalNestedEnum).toBe("FOO");
    expect(json.optionalNullValue).toBeNull();
    expect(json.repeatedInt32).toEqual([]);
    expect(json.mapStringString).toEqual({});
    expect("optionalNestedMessage" in json).toBe(false);
    expect("optionalTimestamp" in json).toBe(false);
    expect("oneofUint32" in json).toBe(false);
  });

  test("alwaysEmitImplicit leaves unset explicit-presence fields out", () => {
    expect(toJson(TestAllTypesProto2, TestAllTypesProto2.create(), { alwaysEmitImplicit: true })).toMatchObject({ repeatedInt32: [], mapInt32Int32: {} });
    expect("optionalInt32" in (toJson(TestAllTypesProto2, TestAllTypesProto2.create(), { alwaysEmitImplicit: true }) as object)).toBe(false);
  });

  test("toJsonString: compact, or pretty with prettySpaces", () => {
    expect(toJsonString(T3, m)).toBe('{"optionalInt32":1,"optionalNestedMessage":{},"optionalNestedEnum":"BAR"}');
    expect(toJsonString(T3, m, { prettySpaces: 2 })).toBe(JSON.stringify(JSON.parse(toJsonString(T3, m)), null, 2));
    expect(toJsonString(T3, T3.create({ optionalDouble: -0 }))).toBe('{"optionalDouble":-0}');
  });
});

describe("toJson: proto2 and generator options", () => {
  test("explicit presence: set defaults are emitted", () => {
    expect(toJson(TestAllTypesProto2, TestAllTypesProto2.create({ optionalInt32: 0, optionalString: "" }))).toEqual({ optionalInt32: 0, optionalString: "" });
  });

  test("groups", () => {
    expect(toJson(TestAllTypesProto2, TestAllTypesProto2.create({ data: { groupInt32: 1 } }))).toEqual({ data: { groupInt32: 1 } });
  });

  test("extensions from the registry, as [full.name]", () => {
    const m = TestAllTypesProto2.create({ optionalInt32: 1 });
    setExtension(m, extension_int32, 7);
    setExtension(m, groupfield, { groupInt32: 3 });
    expect(toJson(TestAllTypesProto2, m, { registry })).toEqual({
      optionalInt32: 1,
      "[protobuf_test_messages.proto2.extension_int32]": 7,
      "[protobuf_test_messages.proto2.groupfield]": { groupInt32: 3 },
    });
    // Without a registry extensions are unknown fields, which JSON does not carry.
    expect(toJson(TestAllTypesProto2, m)).toEqual({ optionalInt32: 1 });
    expect(fromJsonString(TestAllTypesProto2, toJsonString(TestAllTypesProto2, m, { registry }), { registry })).toEqual(m);
  });

  test("json_name and int64 as string", () => {
    expect(toJson(Kitchen, Kitchen.create({ jsonNamed: "x" }))).toEqual({ customJson: "x" });
    expect(toJson(Kitchen, Kitchen.create({ jsonNamed: "x" }), { useProtoFieldName: true })).toEqual({ json_named: "x" });
    expect(toJson(Scalars, Scalars.create({ jsString: "-5" }))).toEqual({ jsString: "-5" });
    expect(toJson(Scalars, Scalars.create({ jsString: "0" }))).toEqual({});
  });

  test("well-known types at the top level", () => {
    expect(toJson(Timestamp, Timestamp.create({ seconds: 1n }))).toBe("1970-01-01T00:00:01Z");
    expect(toJson(Int64Value, Int64Value.create({ value: 1n }))).toBe("1");
    expect(toJson(Value, Value.create({ kind: { case: "nullValue", value: 0 } }))).toBeNull();
    expect(toJson(Empty, Empty.create())).toEqual({});
    expect(toJson(FieldMask, FieldMask.create({ paths: ["a_b"] }))).toBe("aB");
  });
});

describe("toJson errors", () => {
  test.each<[string, PartialMessage<TestAllTypesProto3>, string, RegExp, JsonWriteOptions?]>([
    ["timestamp before year 1", { optionalTimestamp: { seconds: -62135596801n } }, "optionalTimestamp", /timestamp out of range/],
    ["timestamp after year 9999", { optionalTimestamp: { seconds: 253402300800n } }, "optionalTimestamp", /timestamp out of range/],
    ["timestamp negative nanos", { optionalTimestamp: { nanos: -1 } }, "optionalTimestamp", /nanos out of range/],
    ["timestamp nanos too large", { repeatedTimestamp: [{}, { nanos: 1000000000 }] }, "repeatedTimestamp[1]", /nanos out of range/],
    ["duration too large", { optionalDuration: { seconds: 315576000001n } }, "optionalDuration", /duration out of range/],
    ["duration too small", { optionalDuration: { seconds: -315576000001n } }, "optionalDuration", /duration out of range/],
    ["duration nanos too large", { optionalDuration: { nanos: 1000000000 } }, "optionalDuration", /nanos out of range/],
    ["duration signs differ", { optionalDuration: { seconds: 1n, nanos: -1 } }, "optionalDuration", /opposite signs/],
    ["duration signs differ, negative seconds", { optionalDuration: { seconds: -1n, nanos: 1 } }, "optionalDuration", /opposite signs/],
    ["field mask path in camel case", { optionalFieldMask: { paths: ["fooBar"] } }, "optionalFieldMask", /converts back/],
    ["field mask path with digit after underscore", { optionalFieldMask: { paths: ["foo_3_bar"] } }, "optionalFieldMask", /converts back/],
    ["field mask path with double underscore", { optionalFieldMask: { paths: ["foo__bar"] } }, "optionalFieldMask", /converts back/],
    ["value NaN", { optionalValue: { kind: { case: "numberValue", value: NaN } } }, "optionalValue", /JSON numbers are finite/],
    ["value Infinity in a struct", { optionalStruct: { fields: { k: { kind: { case: "listValue", value: { values: [{ kind: { case: "numberValue", value: Infinity } }] } } } } } }, 'optionalStruct["k"][0]', /finite/],
    ["value without kind", { optionalValue: {} }, "optionalValue", /no kind/],
    ["any of an unknown type", { optionalAny: { typeUrl: "type.googleapis.com/foo.Bar", value: new Uint8Array(0) } }, "optionalAny", /foo.Bar is not in the registry/],
    ["any without registry", { optionalAny: { typeUrl: "type.googleapis.com/google.protobuf.Empty" } }, "optionalAny", /no registry/, {}],
    ["any with a bad URL", { optionalAny: { typeUrl: "foo", value: new Uint8Array(0) } }, "optionalAny", /invalid type URL/],
    ["any without URL but with bytes", { optionalAny: { value: new Uint8Array(1) } }, "optionalAny", /invalid type URL/],
    ["any payload error", { optionalAny: anyPack(Duration, Duration.create({ seconds: 1n, nanos: -1 })) }, "optionalAny.value", /opposite signs/],
    ["any payload error in a message", { optionalAny: anyPack(T3, T3.create({ optionalDuration: { nanos: -2000000000 } })) }, "optionalAny.optionalDuration", /nanos out of range/],
    [
      "any whose value does not decode as its type",
      { repeatedAny: [{}, { typeUrl: "type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3", value: Uint8Array.of(0x0a, 0x05) }] },
      "repeatedAny[1]",
      /^google\.protobuf\.Any: value does not decode as protobuf_test_messages\.proto3\.TestAllTypesProto3: length exceeds remaining data$/,
    ],
    ["any whose value is cut off", { optionalAny: { typeUrl: "type.googleapis.com/google.protobuf.Empty", value: Uint8Array.of(0x08) } }, "optionalAny", /^google\.protobuf\.Any: value does not decode as google\.protobuf\.Empty: /],
    ["map value error", { mapStringNestedMessage: { k: { corecursive: { optionalDuration: { nanos: -2000000000 } } } } }, 'mapStringNestedMessage["k"].corecursive.optionalDuration', /nanos out of range/],
  ])("%s", (_, init, path, reason, ...rest) => {
    for (const write of [toJson, toJsonString]) {
      let error: unknown;
      try {
        write(T3, T3.create(init), rest[0] ?? { registry });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(JsonError);
      expect((error as JsonError).path).toBe(path);
      expect((error as JsonError).reason).toMatch(reason);
    }
  });
});
