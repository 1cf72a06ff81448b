// Parsing, table-driven: what each input means, and what each bad input is rejected for.
// The conformance test protos cover every field kind (proto2 groups and closed
// enums, proto3 implicit presence, editions delimited fields, maps, oneofs).
import * as edition2023 from "../../../conformance/src/gen/google/protobuf/test_messages_edition2023_pb.js";
import * as proto2 from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import * as proto3 from "../../../conformance/src/gen/google/protobuf/test_messages_proto3_pb.js";
import type { MessageType, PartialMessage } from "../message/types.js";
import { createRegistry, getExtension } from "../registry/index.js";
import { Any } from "../wkt/index.js";
import { fromText } from "./from-text.js";
import { TextFormatError } from "./text-error.js";

const { TestAllTypesProto3 } = proto3;
const { TestAllTypesProto2 } = proto2;
const { TestAllTypesEdition2023 } = edition2023;
const registry = createRegistry(
  ...[proto3, proto2, edition2023].flatMap((mod) =>
    Object.values(mod).filter((v): v is MessageType<object> => typeof v === "object" && v !== null && "typeName" in v),
  ),
);

type P3 = PartialMessage<proto3.TestAllTypesProto3>;

function parse3(text: string): proto3.TestAllTypesProto3 {
  return fromText(TestAllTypesProto3, text, { registry });
}

describe("fromText: values", () => {
  it.each<[string, P3]>([
    // Integers in every base, at the edges of their ranges.
    ["optional_int32: 2147483647", { optionalInt32: 2147483647 }],
    ["optional_int32: -2147483648", { optionalInt32: -2147483648 }],
    ["optional_int32: 0x7FFFFFFF", { optionalInt32: 2147483647 }],
    ["optional_int32: -0x80000000", { optionalInt32: -2147483648 }],
    ["optional_int32: 017777777777", { optionalInt32: 2147483647 }],
    ["optional_int32: - 5", { optionalInt32: -5 }],
    ["optional_uint32: 0xFFFFFFFF", { optionalUint32: 4294967295 }],
    ["optional_int64: -9223372036854775808", { optionalInt64: -9223372036854775808n }],
    ["optional_int64: 0x7FFFFFFFFFFFFFFF", { optionalInt64: 9223372036854775807n }],
    ["optional_uint64: 18446744073709551615", { optionalUint64: 18446744073709551615n }],
    ["optional_uint64: 01777777777777777777777", { optionalUint64: 18446744073709551615n }],
    ["optional_sint64: -1", { optionalSint64: -1n }],
    ["optional_fixed64: 0", { optionalFixed64: 0n }],
    ["optional_sfixed32: -1", { optionalSfixed32: -1 }],
    // Floats: notations, suffixes, special values in any case, overflow to infinity.
    ["optional_float: 1.5", { optionalFloat: 1.5 }],
    ["optional_float: 1.5f", { optionalFloat: 1.5 }],
    ["optional_float: 2F", { optionalFloat: 2 }],
    ["optional_float: .5", { optionalFloat: 0.5 }],
    ["optional_float: -.5e1", { optionalFloat: -5 }],
    ["optional_float: 0.1", { optionalFloat: Math.fround(0.1) }],
    ["optional_float: -0", { optionalFloat: -0 }],
    ["optional_float: inf", { optionalFloat: Infinity }],
    ["optional_float: -Infinity", { optionalFloat: -Infinity }],
    ["optional_float: nAn", { optionalFloat: NaN }],
    ["optional_float: 1e50", { optionalFloat: Infinity }],
    ["optional_float: -1e-50", { optionalFloat: -0 }],
    ["optional_float: 3.4028235e+38", { optionalFloat: 3.4028234663852886e38 }],
    ["optional_float: 3.4028235e+39", { optionalFloat: Infinity }],
    ["optional_float: 4294967296", { optionalFloat: 4294967296 }],
    ["optional_float: 18446744073709551616", { optionalFloat: 18446744073709551616 }],
    ["optional_double: 0.1", { optionalDouble: 0.1 }],
    ["optional_double: 1e9999", { optionalDouble: Infinity }],
    ["optional_double: -1e-18446744073709551616", { optionalDouble: -0 }],
    ["optional_double: 9007199254740993", { optionalDouble: 9007199254740992 }],
    // Booleans.
    ["optional_bool: true", { optionalBool: true }],
    ["optional_bool: True", { optionalBool: true }],
    ["optional_bool: t", { optionalBool: true }],
    ["optional_bool: 1", { optionalBool: true }],
    ["optional_bool: 0x1", { optionalBool: true }],
    ["optional_bool: false", { optionalBool: false }],
    ["optional_bool: False", { optionalBool: false }],
    ["optional_bool: f", { optionalBool: false }],
    ["optional_bool: 0", { optionalBool: false }],
    // Strings: quotes, escapes, concatenation; the literal's own characters are UTF-8.
    ["optional_string: 'Hello, World!'", { optionalString: "Hello, World!" }],
    [`optional_string: 'first' "second"\n'third'`, { optionalString: "firstsecondthird" }],
    [String.raw`optional_string: '\a\b\f\n\r\t\v\?\\\'\"'`, { optionalString: "\x07\b\f\n\r\t\v?\\'\"" }],
    [String.raw`optional_string: "\341\210\264"`, { optionalString: "\u1234" }],
    [String.raw`optional_string: "\xe1\x88\xb4"`, { optionalString: "\u1234" }],
    [String.raw`optional_string: "\X41\x4"`, { optionalString: "A\x04" }],
    [String.raw`optional_string: "\u1234\U00010437"`, { optionalString: "\u1234\u{10437}" }],
    [String.raw`optional_string: "\0\12"`, { optionalString: "\0\n" }],
    ['optional_string: "héllo 😀"', { optionalString: "héllo 😀" }],
    // Bytes take the same escapes but need not be UTF-8.
    [String.raw`optional_bytes: "\xff\000\377"`, { optionalBytes: new Uint8Array([0xff, 0, 0xff]) }],
    [String.raw`optional_bytes: "\u00e9"`, { optionalBytes: new Uint8Array([0xc3, 0xa9]) }],
    [String.raw`optional_bytes: "\777"`, { optionalBytes: new Uint8Array([0xff]) }],
    // Enums by name (aliases too) or number; open enums take unknown numbers.
    ["optional_nested_enum: BAZ", { optionalNestedEnum: 2 }],
    ["optional_nested_enum: NEG", { optionalNestedEnum: -1 }],
    ["optional_nested_enum: -1", { optionalNestedEnum: -1 }],
    ["optional_nested_enum: 42", { optionalNestedEnum: 42 as proto3.TestAllTypesProto3_NestedEnum }],
    ["optional_aliased_enum: bAz", { optionalAliasedEnum: 2 }],
    ["optional_foreign_enum: FOREIGN_BAR", { optionalForeignEnum: 1 }],
  ])("%s", (text, init) => {
    expect(parse3(text)).toEqual(TestAllTypesProto3.create(init));
  });
});

describe("fromText: structure", () => {
  it.each<[string, P3]>([
    ["", {}],
    ["# only a comment\n", {}],
    ["optional_int32: 1 # trailing comment", { optionalInt32: 1 }],
    ["optional_int32: 1, optional_int64: 2; optional_uint32: 3", { optionalInt32: 1, optionalInt64: 2n, optionalUint32: 3 }],
    ["optional_nested_message { a: 1 }", { optionalNestedMessage: { a: 1 } }],
    ["optional_nested_message: { a: 1, }", { optionalNestedMessage: { a: 1 } }],
    ["optional_nested_message < a: 1; >", { optionalNestedMessage: { a: 1 } }],
    ["optional_nested_message {}", { optionalNestedMessage: {} }],
    ["recursive_message { recursive_message { optional_int32: 3 } }", { recursiveMessage: { recursiveMessage: { optionalInt32: 3 } } }],
    // Implicit presence: a zero value leaves the field unset, so it may be given again.
    ["optional_int32: 0 optional_int32: 5", { optionalInt32: 5 }],
    // Repeated fields: repeats, lists, empty lists, lists of messages.
    ["repeated_int32: 1 repeated_int32: 2", { repeatedInt32: [1, 2] }],
    ["repeated_int32: [1, 2] repeated_int32: 3", { repeatedInt32: [1, 2, 3] }],
    ["repeated_int32: []", {}],
    ['repeated_string: ["a" "b", "c"]', { repeatedString: ["ab", "c"] }],
    ["repeated_nested_message: [{ a: 1 }, < a: 2 >]", { repeatedNestedMessage: [{ a: 1 }, { a: 2 }] }],
    ["repeated_nested_message [{ a: 1 }]", { repeatedNestedMessage: [{ a: 1 }] }],
    ["repeated_nested_message { a: 1 } repeated_nested_message { }", { repeatedNestedMessage: [{ a: 1 }, {}] }],
    ["repeated_nested_enum: [FOO, 2, -1]", { repeatedNestedEnum: [0, 2, -1] }],
    // Maps: entries in any order, missing parts take zero values, later keys win.
    ['map_string_string { key: "a" value: "x" }', { mapStringString: { a: "x" } }],
    ['map_string_string { value: "x" key: "a" }', { mapStringString: { a: "x" } }],
    ["map_string_string {}", { mapStringString: { "": "" } }],
    ["map_int32_int32: [{ key: 1 value: 2 }, { key: -1 }]", { mapInt32Int32: { 1: 2, [-1]: 0 } }],
    ["map_int64_int64 { key: -9223372036854775808 value: 1 }", { mapInt64Int64: { "-9223372036854775808": 1n } }],
    ["map_bool_bool { key: true value: true } map_bool_bool { key: f }", { mapBoolBool: { true: true, false: false } }],
    ['map_string_nested_message { key: "k" value { a: 1 } }', { mapStringNestedMessage: { k: { a: 1 } } }],
    ['map_string_nested_message { key: "k" }', { mapStringNestedMessage: { k: {} } }],
    [
      'map_string_nested_message { key: "d" value: { a: 123 } } map_string_nested_message { key: "d" value: { corecursive: {} } }',
      { mapStringNestedMessage: { d: { corecursive: {} } } },
    ],
    ['map_string_string { key: "__proto__" value: "v" }', { mapStringString: JSON.parse('{"__proto__":"v"}') as Record<string, string> }],
    // Oneofs.
    ["oneof_uint32: 0", { oneofField: { case: "oneofUint32", value: 0 } }],
    ['oneof_string: "x"', { oneofField: { case: "oneofString", value: "x" } }],
    ["oneof_nested_message { a: 1 }", { oneofField: { case: "oneofNestedMessage", value: { a: 1 } } }],
    // Reserved names are skipped, whatever their value (when the generated code lists them).
  ])("%s", (text, init) => {
    expect(parse3(text)).toEqual(TestAllTypesProto3.create(init));
  });

  it("expands google.protobuf.Any from a type URL", () => {
    const m = parse3(`optional_any { [type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3] { optional_int32: 12345 } }`);
    expect(m.optionalAny?.typeUrl).toBe("type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3");
    expect(TestAllTypesProto3.decode(m.optionalAny!.value)).toEqual(TestAllTypesProto3.create({ optionalInt32: 12345 }));
  });

  it("resolves Any contents among the types reachable from the parsed message when no registry is given", () => {
    const text = "optional_any { [type.googleapis.com/google.protobuf.Duration] { seconds: 5 } }";
    const m = fromText(TestAllTypesProto3, text);
    expect(m.optionalAny).toEqual(Any.create({ typeUrl: "type.googleapis.com/google.protobuf.Duration", value: Uint8Array.of(0x08, 0x05) }));
    expect(() => fromText(TestAllTypesProto3, "optional_any { [type.googleapis.com/protobuf_test_messages.proto2.TestAllTypesProto2] {} }")).toThrow(
      'Could not find type "type.googleapis.com/protobuf_test_messages.proto2.TestAllTypesProto2"',
    );
  });

  it("reads google.protobuf.Any as its plain fields too", () => {
    const m = fromText(Any, String.raw`type_url: "type.googleapis.com/x.Y" value: "\b\271\140"`);
    expect(m).toEqual(Any.create({ typeUrl: "type.googleapis.com/x.Y", value: new Uint8Array([8, 185, 96]) }));
  });

  it("skips reserved field names", () => {
    const type = { ...TestAllTypesProto3, spec: { ...TestAllTypesProto3.spec, reservedNames: ["reserved_field"] } };
    for (const value of ["true", "-123", "-inf", "ENUM", '"a" "b"', "{ a: 1 nested < b: [1, 2] > }", "< a: 123 >", "[-1, 2]", "[{ a: 1 }, { }]"]) {
      expect(fromText(type, `reserved_field: ${value} optional_int32: 1`)).toEqual(TestAllTypesProto3.create({ optionalInt32: 1 }));
    }
    expect(fromText(type, "reserved_field { x: 1; [a.b]: 2, } optional_int32: 1")).toEqual(TestAllTypesProto3.create({ optionalInt32: 1 }));
    expect(fromText(type, "reserved_field: 1, optional_int32: 1;")).toEqual(TestAllTypesProto3.create({ optionalInt32: 1 }));
    for (const bad of ["reserved_field: 1,, optional_int32: 1", "reserved_field: -x", "reserved_field: [1,]", "reserved_field { a: 1 >", "reserved_field: }"]) {
      expect(() => fromText(type, bad)).toThrow(TextFormatError);
    }
  });
});

describe("fromText: proto2 and editions", () => {
  it.each<[string, PartialMessage<proto2.TestAllTypesProto2>]>([
    ["Data { group_int32: 1 }", { data: { groupInt32: 1 } }],
    ["Data: { group_int32: 1 }", { data: { groupInt32: 1 } }],
    ["data { group_int32: 1 }", { data: { groupInt32: 1 } }],
    ["Data {}", { data: {} }],
    ["MultiWordGroupField { group_int32: 2 }", { multiwordgroupfield: { groupInt32: 2 } }],
    ["multiwordgroupfield { group_int32: 2 }", { multiwordgroupfield: { groupInt32: 2 } }],
    ["optional_nested_enum: 1", { optionalNestedEnum: 1 }],
    ["optional_int32: 0", { optionalInt32: 0 }],
    ["default_int32: 0", { defaultInt32: 0 }],
  ])("%s", (text, init) => {
    expect(fromText(TestAllTypesProto2, text, { registry })).toEqual(TestAllTypesProto2.create(init));
  });

  it.each<[string, PartialMessage<edition2023.TestAllTypesEdition2023>]>([
    ["GroupLikeType { group_int32: 1 }", { groupliketype: { groupInt32: 1 } }],
    ["groupliketype { group_int32: 1 }", { groupliketype: { groupInt32: 1 } }],
    ["delimited_field { group_int32: 1 }", { delimitedField: { groupInt32: 1 } }],
  ])("%s", (text, init) => {
    expect(fromText(TestAllTypesEdition2023, text, { registry })).toEqual(TestAllTypesEdition2023.create(init));
  });

  it.each<[string, unknown]>([
    ["[protobuf_test_messages.proto2.extension_int32]: 5", 5],
    ["[ protobuf_test_messages.proto2.extension_int32 ]: 5", 5],
  ])("extension %s", (text, value) => {
    const m = fromText(TestAllTypesProto2, text, { registry });
    expect(getExtension(m, proto2.extension_int32)).toBe(value);
  });

  it("reads a group extension by its field name", () => {
    const m = fromText(TestAllTypesProto2, "[protobuf_test_messages.proto2.groupfield] { group_int32: 1 }", { registry });
    expect(getExtension(m, proto2.groupfield)).toEqual(proto2.GroupField.create({ groupInt32: 1 }));
  });

  it("requires proto2 required fields unless partial messages are allowed", () => {
    // Stands in for a type with required fields: initialized once optional_int32 is set.
    const spec = { ...TestAllTypesProto3.spec, isInitialized: (m: proto3.TestAllTypesProto3) => m.optionalInt32 !== 0 };
    const type = { ...TestAllTypesProto3, spec };
    expect(() => fromText(type, "optional_int64: 1")).toThrow(/missing required fields/);
    expect(fromText(type, "optional_int64: 1", { allowPartial: true }).optionalInt64).toBe(1n);
    expect(fromText(type, "optional_int32: 1").optionalInt32).toBe(1);
  });
});

describe("fromText: errors", () => {
  it.each<[string, string, string]>([
    // [input, "line:column", reason]
    ["optional_int32: 2147483648", "1:17", "Integer out of range (2147483648)"],
    ["optional_int32: -2147483649", "1:18", "Integer out of range (2147483649)"],
    ["optional_int32: 0x80000000", "1:17", "Integer out of range (0x80000000)"],
    ["optional_uint32: 040000000000", "1:18", "Integer out of range (040000000000)"],
    ["optional_uint32: -1", "1:18", "Expected integer, got: -"],
    ["optional_int64: 9223372036854775808", "1:17", "Integer out of range (9223372036854775808)"],
    ["optional_uint64: 0x10000000000000000", "1:18", "Integer out of range (0x10000000000000000)"],
    ["optional_int32: 1.0", "1:17", "Expected integer, got: 1.0"],
    ["optional_float: 0x1", "1:17", "Expect a decimal number, got: 0x1"],
    ["optional_float: -012", "1:18", "Expect a decimal number, got: 012"],
    ["optional_float: infinite", "1:17", "Expected double, got: infinite"],
    ["optional_bool: 2", "1:16", "Integer out of range (2)"],
    ["optional_bool: yes", "1:16", 'Invalid value for boolean field "optional_bool". Value: "yes".'],
    ["optional_string: 1", "1:18", "Expected string, got: 1"],
    [String.raw`optional_string: "\300"`, "1:18", 'String field "optional_string" contains invalid UTF-8.'],
    ["optional_string: 'first line\nsecond line'", "1:29", "Multiline strings are not allowed"],
    ["optional_string: 'open", "1:18", "Unexpected end of string."],
    [String.raw`optional_string: "\U00110000"`, "1:19", "beyond U+10FFFF"],
    [String.raw`optional_string: "\ud801\udc37"`, "1:19", "is a surrogate"],
    [String.raw`optional_bytes: "\U0000dc00"`, "1:18", "is a surrogate"],
    [String.raw`optional_string: "\x"`, "1:19", "Expected hex digits"],
    [String.raw`optional_string: "\u12"`, "1:19", "Expected four hex digits"],
    [String.raw`optional_string: "\q"`, "1:19", "Invalid escape sequence"],
    ["optional_nested_enum: NOPE", "1:23", 'Unknown enumeration value of "NOPE" for field "optional_nested_enum".'],
    ["optional_nested_enum: 2147483648", "1:23", "Integer out of range"],
    ["no_such_field: 1", "1:1", 'Message type "protobuf_test_messages.proto3.TestAllTypesProto3" has no field named "no_such_field".'],
    ["not_a_field: 1", "1:1", "has no field named"],
    ["OptionalInt32: 1", "1:1", "has no field named"],
    ["optional_int32 1", "1:16", 'Expected ":", found "1".'],
    ["optional_int32: 1\n  optional_int32: 2", "2:3", 'Non-repeated field "optional_int32" is specified multiple times.'],
    ["optional_nested_message {} optional_nested_message {}", "1:28", "specified multiple times"],
    ['oneof_uint32: 1 oneof_string: "a"', "1:17", 'Field "oneof_string" is specified along with field "oneof_uint32", another member of oneof'],
    ["oneof_uint32: 1 oneof_uint32: 2", "1:17", "specified multiple times"],
    ['map_string_string { key: "a" key: "b" }', "1:30", 'Non-repeated field "key" is specified multiple times.'],
    ["map_string_string { k: 1 }", "1:21", 'has no field named "k"'],
    ["optional_int32: 1,,", "1:19", "Expected identifier, got: ,"],
    ["optional_int32: 1;;", "1:19", "Expected identifier, got: ;"],
    ["repeated_int32: [1,]", "1:20", "Expected integer, got: ]"],
    ["repeated_int32: [1 2]", "1:20", 'Expected ",", found "2".'],
    ["repeated_int32: [1; 2]", "1:19", 'Expected ",", found ";".'],
    ["repeated_int32: [1, , 2]", "1:21", "Expected integer, got: ,"],
    ["optional_int32: [1]", "1:17", "Expected integer, got: ["],
    ["optional_nested_message { a: 1 >", "1:32", 'Expected "}", found ">".'],
    ["optional_nested_message { a: 1", "1:31", "Expected identifier"],
    ["optional_nested_message: 1", "1:26", 'Expected "{", found "1".'],
    ["}", "1:1", "Expected identifier, got: }"],
    ["optional_int32: 123abc", "1:20", "Need space between number and identifier."],
    ["optional_double: 1.5.3", "1:21", "Already saw decimal point"],
    ["optional_int32: 0x", "1:19", '"0x" must be followed by hex digits.'],
    ["optional_int32: 09", "1:18", "Numbers starting with leading zero must be in octal."],
    ["optional_double: 1e", "1:20", '"e" must be followed by exponent.'],
    ["optional_int32: 1 \x01", "1:19", "Invalid control characters"],
    ["optional_int32: é", "1:17", "Interpreting non ascii codepoint 233."],
    ["[protobuf_test_messages.proto2.extension_int32]: 1", "1:1", 'Extension "protobuf_test_messages.proto2.extension_int32" is not defined or is not an extension of'],
    ["[a/b.c]: 1", "1:1", 'Extension name contains "/"'],
    ["[a..b]: 1", "1:1", 'Invalid identifier in type name, got: ""'],
    ["optional_any { [type.googleapis.com/unknown] { optional_int32: 1 } }", "1:16", 'Could not find type "type.googleapis.com/unknown"'],
    ["optional_any { [protobuf_test_messages.proto3.TestAllTypesProto3] {} }", "1:16", "Type URL prefix is missing"],
    ["optional_any { [/x.Y] {} }", "1:16", "Type URL prefix is empty"],
    ["optional_any { [a%2/x.Y] {} }", "1:16", 'Invalid percent encode, got: "%2/"'],
  ])("%j fails at %s", (text, place, reason) => {
    let error: unknown;
    try {
      parse3(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TextFormatError);
    const e = error as TextFormatError;
    expect(`${e.line}:${e.column}`).toBe(place);
    expect(e.reason).toContain(reason);
    expect(e.message).toBe(`${place}: ${e.reason}`);
  });

  it.each<[string, string]>([
    ["optional_nested_enum: 42", 'Unknown enumeration value of "42" for field "optional_nested_enum".'],
    ["[protobuf_test_messages.proto2.GroupField] { group_int32: 1 }", "is not defined or is not an extension of"],
    ["[protobuf_test_messages.proto2.extension_int32]: 1 [protobuf_test_messages.proto2.extension_int32]: 2", "specified multiple times"],
    ["optional_int32: 0 optional_int32: 0", "specified multiple times"],
  ])("proto2 %j is rejected", (text, reason) => {
    expect(() => fromText(TestAllTypesProto2, text, { registry })).toThrow(reason);
  });

  it("limits nesting depth", () => {
    const deep = (n: number): string => "recursive_message { ".repeat(n) + "}".repeat(n);
    // 100 levels, as the binary decoder allows.
    expect(() => fromText(TestAllTypesProto3, deep(100))).not.toThrow();
    expect(() => fromText(TestAllTypesProto3, deep(101))).toThrow(/too deep/);
    expect(() => fromText(TestAllTypesProto3, deep(10), { maxDepth: 5 })).toThrow(/too deep/);
  });
});
