import {
  TestAllTypesProto2,
  TestAllTypesProto2_NestedEnum,
  extension_int32,
} from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import {
  TestAllTypesProto3,
  TestAllTypesProto3_NestedEnum,
  TestAllTypesProto3_NestedMessage,
} from "../../../conformance/src/gen/google/protobuf/test_messages_proto3_pb.js";
import { Kitchen, Scalars } from "../../../plugin/test/gen/tsgrpc/test/proto3_pb.js";
import type { PartialMessage } from "../message/types.js";
import { createRegistry } from "../registry/registry.js";
import { getExtension } from "../registry/extension-value.js";
import { Duration, Empty, Int32Value, NullValue, Timestamp } from "../wkt/index.js";
import { fromJson, fromJsonString } from "./from-json.js";
import { toJson, toJsonString } from "./to-json.js";
import { JsonError } from "./json-error.js";
import type { JsonValue } from "./json-value.js";
import type { JsonReadOptions } from "./options.js";

const T3 = TestAllTypesProto3;
const registry = createRegistry(TestAllTypesProto3, TestAllTypesProto2, extension_int32, Empty);

function parse(json: string, options?: JsonReadOptions): TestAllTypesProto3 {
  return fromJsonString(T3, json, { registry, ...options });
}

describe("fromJsonString: TestAllTypesProto3", () => {
  test.each<[string, string, PartialMessage<TestAllTypesProto3>]>([
    ["empty object", "{}", {}],
    ["lowerCamelCase names", '{"optionalInt32": 1, "optionalString": "a"}', { optionalInt32: 1, optionalString: "a" }],
    ["proto field names", '{"optional_int32": 1, "field_name2": 2, "_field_name3": 3, "field__name4_": 4}', { optionalInt32: 1, fieldName2: 2, FieldName3: 3, fieldName4: 4 }],
    ["escaped key", '{"fieldn\\u0061me1": 1}', { fieldname1: 1 }],
    ["int64 not quoted, exact", '{"optionalInt64": 9223372036854774784}', { optionalInt64: 9223372036854774784n }],
    ["int64 min not quoted", '{"optionalInt64": -9223372036854775808}', { optionalInt64: -9223372036854775808n }],
    ["uint64 max quoted", '{"optionalUint64": "18446744073709551615"}', { optionalUint64: 18446744073709551615n }],
    ["int32 exponent", '{"optionalInt32": 1e5}', { optionalInt32: 100000 }],
    ["int32 quoted escaped", '{"optionalInt32": "2\\u003147483647"}', { optionalInt32: 2147483647 }],
    ["float at float precision", '{"optionalFloat": 0.1}', { optionalFloat: Math.fround(0.1) }],
    ["double NaN", '{"optionalDouble": "NaN"}', { optionalDouble: NaN }],
    ["double -0", '{"optionalDouble": -0}', { optionalDouble: -0 }],
    ["bytes url-safe", '{"optionalBytes": "-_"}', { optionalBytes: new Uint8Array([0xfb]) }],
    ["enum by name", '{"optionalNestedEnum": "BAZ"}', { optionalNestedEnum: 2 }],
    ["enum by number", '{"optionalNestedEnum": 1}', { optionalNestedEnum: 1 }],
    ["open enum, unknown number", '{"optionalNestedEnum": 123}', { optionalNestedEnum: 123 as TestAllTypesProto3_NestedEnum }],
    ["enum negative", '{"optionalNestedEnum": "NEG"}', { optionalNestedEnum: -1 }],
    ["enum alias", '{"optionalAliasedEnum": "MOO"}', { optionalAliasedEnum: 2 }],
    ["enum alias, different case", '{"optionalAliasedEnum": "bAz"}', { optionalAliasedEnum: 2 }],
    ["nested message", '{"optionalNestedMessage": {"a": 1234}}', { optionalNestedMessage: { a: 1234 } }],
    ["empty nested message is set", '{"optionalNestedMessage": {}}', { optionalNestedMessage: {} }],
    ["repeated", '{"repeatedInt32": [1, 2], "repeatedString": ["a"], "repeatedNestedMessage": [{"a": 1}, {}]}', { repeatedInt32: [1, 2], repeatedString: ["a"], repeatedNestedMessage: [{ a: 1 }, {}] }],
    ["repeated enum", '{"repeatedNestedEnum": ["FOO", 1, "BAZ"]}', { repeatedNestedEnum: [0, 1, 2] }],
    ["int map", '{"mapInt32Int32": {"1": 2, "-3": 4}}', { mapInt32Int32: { 1: 2, [-3]: 4 } }],
    ["int64 map, escaped key", '{"mapInt64Int64": {"\\u0031": "2"}}', { mapInt64Int64: { "1": 2n } }],
    ["bool map", '{"mapBoolBool": {"true": true, "false": false}}', { mapBoolBool: { true: true, false: false } }],
    ["message map", '{"mapStringNestedMessage": {"a": {"a": 1}, "__proto__": {}}}', { mapStringNestedMessage: JSON.parse('{"a": {"a": 1}, "__proto__": {}}') }],
    ["oneof", '{"oneofUint32": 0}', { oneofField: { case: "oneofUint32", value: 0 } }],
    ["oneof null member ignored, first", '{"oneofUint32": null, "oneofString": "test"}', { oneofField: { case: "oneofString", value: "test" } }],
    ["oneof null member ignored, second", '{"oneofString": "test", "oneofUint32": null}', { oneofField: { case: "oneofString", value: "test" } }],
    ["oneof NullValue by null", '{"oneofNullValue": null}', { oneofField: { case: "oneofNullValue", value: NullValue.NULL_VALUE } }],
    ["oneof NullValue by name", '{"oneofNullValue": "NULL_VALUE"}', { oneofField: { case: "oneofNullValue", value: NullValue.NULL_VALUE } }],
    ["null means default", '{"optionalInt32": null, "optionalNestedMessage": null, "repeatedInt32": null, "mapInt32Int32": null, "optionalTimestamp": null, "optionalAny": null, "optionalStruct": null}', {}],
    ["NullValue field", '{"optionalNullValue": null}', { optionalNullValue: NullValue.NULL_VALUE }],
    ["wrappers", '{"optionalInt32Wrapper": 0, "optionalInt64Wrapper": "1", "optionalStringWrapper": "", "optionalBytesWrapper": "AQI=", "optionalBoolWrapper": false}', {
      optionalInt32Wrapper: { value: 0 },
      optionalInt64Wrapper: { value: 1n },
      optionalStringWrapper: { value: "" },
      optionalBytesWrapper: { value: new Uint8Array([1, 2]) },
      optionalBoolWrapper: { value: false },
    }],
    ["wrapper null", '{"optionalInt32Wrapper": null}', {}],
    ["repeated wrappers", '{"repeatedDoubleWrapper": [0, "Infinity"]}', { repeatedDoubleWrapper: [{ value: 0 }, { value: Infinity }] }],
    ["timestamp", '{"optionalTimestamp": "1970-01-01T00:00:10.5Z"}', { optionalTimestamp: { seconds: 10n, nanos: 500000000 } }],
    ["duration", '{"optionalDuration": "-1.5s"}', { optionalDuration: { seconds: -1n, nanos: -500000000 } }],
    ["field mask", '{"optionalFieldMask": "foo,barBaz.quxQuux"}', { optionalFieldMask: { paths: ["foo", "bar_baz.qux_quux"] } }],
    ["value null", '{"optionalValue": null}', { optionalValue: { kind: { case: "nullValue", value: NullValue.NULL_VALUE } } }],
    ["value number", '{"optionalValue": 1.5}', { optionalValue: { kind: { case: "numberValue", value: 1.5 } } }],
    ["value list with null", '{"repeatedValue": [null, ["a"]]}', {
      repeatedValue: [
        { kind: { case: "nullValue", value: 0 } },
        { kind: { case: "listValue", value: { values: [{ kind: { case: "stringValue", value: "a" } }] } } },
      ],
    }],
    ["struct", '{"optionalStruct": {"a": {"b": true}, "c": []}}', {
      optionalStruct: {
        fields: {
          a: { kind: { case: "structValue", value: { fields: { b: { kind: { case: "boolValue", value: true } } } } } },
          c: { kind: { case: "listValue", value: { values: [] } } },
        },
      },
    }],
    ["any, empty", '{"optionalAny": {}}', { optionalAny: {} }],
  ])("%s", (_, json, want) => {
    const got = parse(json);
    const expected = T3.create(want);
    if (!T3.equals(got, expected)) expect(got).toEqual(expected);
    expect(got).toEqual(expected);
  });

  test("unknown fields are skipped with ignoreUnknownFields", () => {
    for (const v of ["1", '"a"', "true", "false", "null", '{"a": 1}', "[1]"]) {
      expect(parse(`{"unknown": ${v}, "optionalInt32": 1}`, { ignoreUnknownFields: true })).toEqual(T3.create({ optionalInt32: 1 }));
    }
  });

  test.each<[string, string, PartialMessage<TestAllTypesProto3>]>([
    ["singular", '{"optionalNestedEnum": "UNKNOWN"}', {}],
    ["repeated", '{"repeatedNestedEnum": ["FOO", "UNKNOWN", "BAR"]}', { repeatedNestedEnum: [0, 1] }],
    ["map", '{"mapStringNestedEnum": {"a": "FOO", "b": "UNKNOWN"}}', { mapStringNestedEnum: { a: 0 } }],
    ["oneof", '{"oneofEnum": "UNKNOWN"}', {}],
  ])("unknown enum names are left out with ignoreUnknownFields: %s", (_, json, want) => {
    expect(parse(json, { ignoreUnknownFields: true })).toEqual(T3.create(want));
  });
});

describe("fromJsonString: Any", () => {
  test.each<[string, string, () => object]>([
    ["message payload", '{"@type": "type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3", "optionalInt32": 12345}', () => T3.create({ optionalInt32: 12345 })],
    ["@type last", '{"optionalInt32": 12345, "@type": "type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3"}', () => T3.create({ optionalInt32: 12345 })],
    ["wrapper payload", '{"@type": "type.googleapis.com/google.protobuf.Int32Value", "value": 12345}', () => Int32Value.create({ value: 12345 })],
    ["duration payload", '{"@type": "x.com/y/google.protobuf.Duration", "value": "1.5s"}', () => Duration.create({ seconds: 1n, nanos: 500000000 })],
  ])("%s", (_, any, payload) => {
    const got = parse(`{"optionalAny": ${any}}`);
    const type = registry.getMessage(JSON.parse(any)["@type"].replace(/.*\//, ""))!;
    expect(type.decode(got.optionalAny!.value)).toEqual(payload());
  });

  test("nested Any", () => {
    const got = parse(
      '{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Any", "value": {"@type": "type.googleapis.com/google.protobuf.Timestamp", "value": "1970-01-01T00:00:01Z"}}}',
    );
    const inner = registry.getMessage("google.protobuf.Any")!.decode(got.optionalAny!.value) as { typeUrl: string; value: Uint8Array };
    expect(inner.typeUrl).toBe("type.googleapis.com/google.protobuf.Timestamp");
    expect(Timestamp.decode(inner.value)).toEqual(Timestamp.create({ seconds: 1n }));
  });

  test("Empty in the protobuf-go form", () => {
    const got = parse('{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Empty", "value": {}}}');
    expect(got.optionalAny!.typeUrl).toBe("type.googleapis.com/google.protobuf.Empty");
    expect(got.optionalAny!.value.length).toBe(0);
  });
});

describe("fromJsonString: proto2", () => {
  test("extensions by full name in brackets", () => {
    const m = fromJsonString(TestAllTypesProto2, '{"[protobuf_test_messages.proto2.extension_int32]": 7, "optionalInt32": 1}', { registry });
    expect(m.optionalInt32).toBe(1);
    expect(getExtension(m, extension_int32)).toBe(7);
  });

  test("explicit presence: a default value is set", () => {
    expect(fromJsonString(TestAllTypesProto2, '{"optionalInt32": 0}').optionalInt32).toBe(0);
  });

  test("null clears an explicit field", () => {
    expect("optionalInt32" in fromJsonString(TestAllTypesProto2, '{"optionalInt32": null}')).toBe(false);
  });

  test("closed enum by known number", () => {
    expect(fromJsonString(TestAllTypesProto2, '{"optionalNestedEnum": 1}').optionalNestedEnum).toBe(TestAllTypesProto2_NestedEnum.BAR);
  });

  test("closed enum, unknown number skipped with ignoreUnknownFields", () => {
    expect(fromJsonString(TestAllTypesProto2, '{"optionalNestedEnum": 77}', { ignoreUnknownFields: true }).optionalNestedEnum).toBeUndefined();
  });

  test("groups by their field name", () => {
    expect(fromJsonString(TestAllTypesProto2, '{"data": {"groupInt32": 1}}').data).toEqual({ groupInt32: 1 });
  });
});

describe("fromJsonString: generator options", () => {
  test("json_name, and int64 as string", () => {
    expect(fromJsonString(Kitchen, '{"customJson": "x"}').jsonNamed).toBe("x");
    expect(fromJsonString(Kitchen, '{"json_named": "x"}').jsonNamed).toBe("x");
    expect(fromJsonString(Scalars, '{"jsString": 9223372036854775807}').jsString).toBe("9223372036854775807");
  });
});

describe("fromJson (a JSON value)", () => {
  test("reads what JSON.parse returns", () => {
    const m = fromJson(T3, { optionalInt64: "5", repeatedNestedMessage: [{ a: 1 }] });
    expect(m).toEqual(T3.create({ optionalInt64: 5n, repeatedNestedMessage: [{ a: 1 }] }));
  });

  test("undefined properties are absent, as JSON.stringify would have it", () => {
    expect(fromJson(T3, { optionalInt32: undefined } as unknown as JsonValue)).toEqual(T3.create());
  });

  test("numbers beyond 2^53 lose nothing only through fromJsonString", () => {
    expect(() => fromJson(T3, { optionalInt64: 9223372036854775807 })).toThrow(/out of range/);
  });

  test("round trip through the JSON value and the JSON text", () => {
    const m = fromJson(T3, { optionalNestedMessage: { a: 2 } });
    expect(toJson(T3, m)).toEqual({ optionalNestedMessage: { a: 2 } });
    expect(fromJsonString(T3, toJsonString(T3, m))).toEqual(m);
    expect(fromJsonString(TestAllTypesProto3_NestedMessage, '{"a": 3}').a).toBe(3);
  });
});

describe("fromJsonString errors", () => {
  test.each<[string, string, string, RegExp, JsonReadOptions?]>([
    ["top-level null", "null", "", /expected an object/],
    ["top-level array", "[]", "", /expected an object/],
    ["top-level string", '"a"', "", /expected an object/],
    ["invalid JSON", '{"optionalInt32": 1,}', "", /invalid JSON/],
    ["duplicate key", '{"optionalNestedMessage": {"a": 1}, "optionalNestedMessage": {}}', "", /duplicate key "optionalNestedMessage"/],
    ["field twice, proto name first", '{"optional_nested_message": {"a": 1}, "optionalNestedMessage": {}}', "optionalNestedMessage", /set twice/],
    ["field twice, JSON name first", '{"optionalNestedMessage": {"a": 1}, "optional_nested_message": {}}', "optional_nested_message", /set twice/],
    ["unknown field", '{"unknown": 1}', "unknown", /unknown field/],
    ["unknown extension", '{"[foo.bar]": 1}', "[foo.bar]", /unknown field/],
    ["extension of another message", '{"[protobuf_test_messages.proto2.extension_int32]": 1}', "[protobuf_test_messages.proto2.extension_int32]", /unknown field/],
    ["int32 out of range", '{"optionalInt32": 2147483648}', "optionalInt32", /int32 value out of range/],
    ["int32 fraction", '{"optionalInt32": 0.5}', "optionalInt32", /invalid int32/],
    ["int64 out of range", '{"optionalInt64": "9223372036854775808"}', "optionalInt64", /out of range/],
    ["int64 not quoted out of range", '{"optionalInt64": 9223372036854775808}', "optionalInt64", /out of range/],
    ["float out of range", '{"optionalFloat": 3.502823e+38}', "optionalFloat", /out of range/],
    ["double out of range", '{"optionalDouble": 1.89769e+308}', "optionalDouble", /out of range/],
    ["bool as string", '{"optionalBool": "true"}', "optionalBool", /invalid bool/],
    ["bool as number", '{"optionalBool": 1}', "optionalBool", /invalid bool/],
    ["string as number", '{"optionalString": 12345}', "optionalString", /invalid string/],
    ["bytes not base64", '{"optionalBytes": "*"}', "optionalBytes", /invalid base64/],
    ["unknown enum name", '{"optionalNestedEnum": "UNKNOWN"}', "optionalNestedEnum", /unknown value "UNKNOWN" for enum/],
    ["enum case matters", '{"optionalNestedEnum": "foo"}', "optionalNestedEnum", /unknown value/],
    ["enum not int32", '{"optionalNestedEnum": 2147483648}', "optionalNestedEnum", /invalid value for enum/],
    ["enum fraction", '{"optionalNestedEnum": 1.5}', "optionalNestedEnum", /invalid value for enum/],
    ["enum bool", '{"optionalNestedEnum": true}', "optionalNestedEnum", /invalid value for enum/],
    ["unknown enum in list", '{"repeatedNestedEnum": ["FOO", "UNKNOWN"]}', "repeatedNestedEnum[1]", /unknown value/],
    ["unknown enum in map", '{"mapStringNestedEnum": {"k": "UNKNOWN"}}', 'mapStringNestedEnum["k"]', /unknown value/],
    ["message as number", '{"optionalNestedMessage": 1}', "optionalNestedMessage", /expected an object/],
    ["nested error path", '{"optionalNestedMessage": {"corecursive": {"repeatedInt32": [1, "x"]}}}', "optionalNestedMessage.corecursive.repeatedInt32[1]", /invalid int32 value: "x"/],
    ["list as single value", '{"repeatedInt32": 1}', "repeatedInt32", /expected an array/],
    ["list of messages as object", '{"repeatedNestedMessage": {"a": 1}}', "repeatedNestedMessage", /expected an array/],
    ["list element wrong type", '{"repeatedInt32": [1, false]}', "repeatedInt32[1]", /invalid int32 value: false/],
    ["list of strings with number", '{"repeatedString": ["1", 2]}', "repeatedString[1]", /invalid string/],
    ["list of messages with string", '{"repeatedNestedMessage": [{"a": 1}, "2"]}', "repeatedNestedMessage[1]", /expected an object/],
    ["null list element", '{"repeatedInt32": [1, null]}', "repeatedInt32[1]", /null is not allowed/],
    ["null message element", '{"repeatedNestedMessage": [null]}', "repeatedNestedMessage[0]", /null is not allowed/],
    ["null wrapper element", '{"repeatedInt32Wrapper": [null]}', "repeatedInt32Wrapper[0]", /null is not allowed/],
    ["null map value", '{"mapInt32Int32": {"0": null}}', 'mapInt32Int32["0"]', /null is not allowed/],
    ["map as array", '{"mapInt32Int32": [1]}', "mapInt32Int32", /expected an object/],
    ["map key not an integer", '{"mapInt32Int32": {"a": 1}}', 'mapInt32Int32["a"]', /invalid int32 map key/],
    ["map key out of range", '{"mapUint32Uint32": {"-1": 1}}', 'mapUint32Uint32["-1"]', /invalid uint32 map key/],
    ["bool map key", '{"mapBoolBool": {"1": true}}', 'mapBoolBool["1"]', /invalid bool map key/],
    ["two oneof members", '{"oneofUint32": 1, "oneofString": "test"}', "oneofString", /two members set/],
    ["timestamp lowercase t", '{"optionalTimestamp": "0001-01-01t00:00:00Z"}', "optionalTimestamp", /invalid google.protobuf.Timestamp/],
    ["timestamp lowercase z", '{"optionalTimestamp": "0001-01-01T00:00:00z"}', "optionalTimestamp", /invalid/],
    ["timestamp without Z", '{"optionalTimestamp": "0001-01-01T00:00:00"}', "optionalTimestamp", /invalid/],
    ["timestamp without T", '{"optionalTimestamp": "0001-01-01 00:00:00Z"}', "optionalTimestamp", /invalid/],
    ["timestamp offset without colon", '{"optionalTimestamp": "1970-01-01T08:00:01+0800"}', "optionalTimestamp", /invalid/],
    ["timestamp too small", '{"optionalTimestamp": "0000-01-01T00:00:00Z"}', "optionalTimestamp", /out of range/],
    ["timestamp too large", '{"optionalTimestamp": "10000-01-01T00:00:00Z"}', "optionalTimestamp", /invalid/],
    ["timestamp beyond max by offset", '{"optionalTimestamp": "9999-12-31T23:59:59-01:00"}', "optionalTimestamp", /out of range/],
    ["timestamp February 30", '{"optionalTimestamp": "2001-02-29T00:00:00Z"}', "optionalTimestamp", /invalid/],
    ["timestamp leap second", '{"optionalTimestamp": "1998-12-31T23:59:60Z"}', "optionalTimestamp", /invalid/],
    ["timestamp ten digits", '{"optionalTimestamp": "1970-01-01T00:00:00.0000000001Z"}', "optionalTimestamp", /invalid/],
    ["timestamp as number", '{"optionalTimestamp": 0}', "optionalTimestamp", /expected an RFC 3339 string/],
    ["duration without s", '{"optionalDuration": "1"}', "optionalDuration", /invalid google.protobuf.Duration/],
    ["duration too large", '{"optionalDuration": "315576000001s"}', "optionalDuration", /out of range/],
    ["duration too small", '{"optionalDuration": "-315576000001.000000000s"}', "optionalDuration", /out of range/],
    ["duration ten digits", '{"optionalDuration": "1.0000000001s"}', "optionalDuration", /invalid/],
    ["duration with space", '{"optionalDuration": "1 s"}', "optionalDuration", /invalid/],
    ["duration as number", '{"optionalDuration": 1}', "optionalDuration", /expected a string/],
    ["field mask with underscore", '{"optionalFieldMask": "foo,bar_bar"}', "optionalFieldMask", /lowerCamelCase/],
    ["field mask as array", '{"optionalFieldMask": ["foo"]}', "optionalFieldMask", /expected a string/],
    ["struct as array", '{"optionalStruct": [1]}', "optionalStruct", /expected an object/],
    ["list value as object", '{"repeatedListValue": [{}]}', "repeatedListValue[0]", /expected an array/],
    ["value with huge number", '{"optionalValue": 1e400}', "optionalValue", /out of range/],
    ["struct error path", '{"optionalStruct": {"a": [1, 1e400]}}', 'optionalStruct["a"][1]', /out of range/],
    ["wrapper wrong type", '{"optionalInt32Wrapper": "x"}', "optionalInt32Wrapper", /invalid int32/],
    ["any without @type", '{"optionalAny": {"optionalInt32": 1}}', "optionalAny", /without "@type"/],
    ["any @type not a string", '{"optionalAny": {"@type": 1}}', "optionalAny", /must be a string/],
    ["any empty @type", '{"optionalAny": {"@type": "", "value": ""}}', "optionalAny", /invalid type URL/],
    ["any @type not a URL", '{"optionalAny": {"@type": "not_a_url", "value": ""}}', "optionalAny", /invalid type URL/],
    ["any unknown type", '{"optionalAny": {"@type": "type.googleapis.com/foo.Bar"}}', "optionalAny", /foo.Bar is not in the registry/],
    ["any without registry", '{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "1s"}}', "optionalAny", /no registry/, { registry: undefined }],
    ["any wkt without value", '{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Duration"}}', "optionalAny", /has no "value"/],
    ["any wkt extra key", '{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "1s", "x": 1}}', "optionalAny", /unexpected key "x"/],
    ["any payload error path", '{"optionalAny": {"@type": "type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3", "optionalInt32": "x"}}', 'optionalAny.optionalInt32', /invalid int32/],
    ["any wkt payload error path", '{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "1"}}', "optionalAny.value", /invalid google.protobuf.Duration/],
    // A rest parameter: jest takes a declared parameter beyond the row's length for a `done` callback.
  ])("%s", (_, json, path, reason, ...rest) => {
    let error: unknown;
    try {
      parse(json, rest[0]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonError);
    expect((error as JsonError).path).toBe(path);
    expect((error as JsonError).reason).toMatch(reason);
    if (path !== "") expect((error as JsonError).message).toBe(`${path}: ${(error as JsonError).reason}`);
  });

  test("closed enum rejects unknown numbers", () => {
    expect(() => fromJsonString(TestAllTypesProto2, '{"optionalNestedEnum": 77}')).toThrow(/unknown value 77 for closed enum/);
  });
});
