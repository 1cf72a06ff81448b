// Printing, table-driven. Expected texts are what protoc 36 (C++ TextFormat)
// prints for the same messages; protoc-differential.spec.ts checks many more.
import * as edition2023 from "../../../conformance/src/gen/google/protobuf/test_messages_edition2023_pb.js";
import * as proto2 from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import * as proto3 from "../../../conformance/src/gen/google/protobuf/test_messages_proto3_pb.js";
import type { MessageType, PartialMessage } from "../message/types.js";
import { createRegistry, setExtension } from "../registry/index.js";
import { fromText } from "./from-text.js";
import { toText } from "./to-text.js";

const { TestAllTypesProto3 } = proto3;
const { TestAllTypesProto2 } = proto2;
const { TestAllTypesEdition2023 } = edition2023;
const registry = createRegistry(
  ...[proto3, proto2, edition2023].flatMap((mod) =>
    Object.values(mod).filter((v): v is MessageType<object> => typeof v === "object" && v !== null && "typeName" in v),
  ),
);

const lines = (...ls: string[]): string => ls.map((l) => `${l}\n`).join("");

describe("toText", () => {
  it.each<[string, PartialMessage<proto3.TestAllTypesProto3>, string]>([
    ["nothing set", {}, ""],
    ["zero values of implicit presence", { optionalInt32: 0, optionalString: "", optionalBytes: new Uint8Array(0) }, ""],
    ["negative zero, which is not zero", { optionalFloat: -0, optionalDouble: -0 }, lines("optional_float: -0", "optional_double: -0")],
    ["a oneof holding a zero value", { oneofField: { case: "oneofUint32", value: 0 } }, lines("oneof_uint32: 0")],
    [
      "fields in field number order",
      { optionalString: "s", optionalInt32: 1, repeatedInt32: [1, 2] },
      lines("optional_int32: 1", 'optional_string: "s"', "repeated_int32: 1", "repeated_int32: 2"),
    ],
    [
      "strings escaped as C does, non-ASCII as octal",
      { optionalString: "\"'\\\n\r\t\x07é", optionalBytes: new Uint8Array([0, 0x7f, 0x80, 0xff, 0x41]) },
      lines(String.raw`optional_string: "\"\'\\\n\r\t\007\303\251"`, String.raw`optional_bytes: "\000\177\200\377A"`),
    ],
    [
      "enums by name, or by number when not declared",
      { optionalNestedEnum: 2, optionalForeignEnum: 7 as proto3.ForeignEnum, optionalAliasedEnum: 2 },
      lines("optional_nested_enum: BAZ", "optional_foreign_enum: 7", "optional_aliased_enum: ALIAS_BAZ"),
    ],
    [
      "nested messages, empty ones too",
      { optionalNestedMessage: { a: 1, corecursive: {} } },
      lines("optional_nested_message {", "  a: 1", "  corecursive {", "  }", "}"),
    ],
    [
      "map entries sorted by key: numerically, false before true, strings by UTF-8 bytes",
      {
        mapInt32Int32: { 3: 0, [-10]: 1 },
        mapUint64Uint64: { "18446744073709551615": 0n, "9007199254740993": 2n },
        mapBoolBool: { true: false, false: true },
        mapStringString: { "😀": "", "Ａ": "", b: "" },
      },
      lines(
        "map_int32_int32 {", "  key: -10", "  value: 1", "}",
        "map_int32_int32 {", "  key: 3", "  value: 0", "}",
        "map_uint64_uint64 {", "  key: 9007199254740993", "  value: 2", "}",
        "map_uint64_uint64 {", "  key: 18446744073709551615", "  value: 0", "}",
        "map_bool_bool {", "  key: false", "  value: true", "}",
        "map_bool_bool {", "  key: true", "  value: false", "}",
        "map_string_string {", '  key: "b"', '  value: ""', "}",
        "map_string_string {", String.raw`  key: "\357\274\241"`, '  value: ""', "}",
        "map_string_string {", String.raw`  key: "\360\237\230\200"`, '  value: ""', "}",
      ),
    ],
    [
      "map message values as blocks",
      { mapStringNestedMessage: { k: { a: 1 } } },
      lines("map_string_nested_message {", '  key: "k"', "  value {", "    a: 1", "  }", "}"),
    ],
  ])("%s", (_, init, text) => {
    expect(toText(TestAllTypesProto3, TestAllTypesProto3.create(init))).toBe(text);
  });

  it("prints groups by their type name, other delimited fields by field name", () => {
    const p2 = TestAllTypesProto2.create({ data: { groupInt32: 2 }, multiwordgroupfield: {} });
    expect(toText(TestAllTypesProto2, p2)).toBe(lines("Data {", "  group_int32: 2", "}", "MultiWordGroupField {", "}"));
    const e = TestAllTypesEdition2023.create({ groupliketype: { groupInt32: 1 }, delimitedField: { groupInt32: 2 } });
    expect(toText(TestAllTypesEdition2023, e)).toBe(lines("GroupLikeType {", "  group_int32: 1", "}", "delimited_field {", "  group_int32: 2", "}"));
  });

  it("prints extensions the registry knows, in field number order", () => {
    const m = TestAllTypesProto2.create({ optionalInt32: 3, data: { groupInt32: 2 } });
    setExtension(m, proto2.extension_int32, 5);
    setExtension(m, proto2.groupfield, proto2.GroupField.create({ groupInt32: 1 }));
    expect(toText(TestAllTypesProto2, m, { registry })).toBe(
      lines(
        "optional_int32: 3",
        "[protobuf_test_messages.proto2.extension_int32]: 5",
        "[protobuf_test_messages.proto2.groupfield] {",
        "  group_int32: 1",
        "}",
        "Data {",
        "  group_int32: 2",
        "}",
      ),
    );
    // Without a registry they are unknown fields: hidden, or printed by number.
    expect(toText(TestAllTypesProto2, m)).toBe(lines("optional_int32: 3", "Data {", "  group_int32: 2", "}"));
    expect(toText(TestAllTypesProto2, m, { printUnknownFields: true })).toContain(lines("120: 5", "121 {", "  122: 1", "}"));
  });

  it("expands google.protobuf.Any when the registry knows the type", () => {
    const inner = TestAllTypesProto3.encode(TestAllTypesProto3.create({ optionalInt32: 12345 }));
    const url = "type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3";
    const m = TestAllTypesProto3.create({ optionalAny: { typeUrl: url, value: inner } });
    expect(toText(TestAllTypesProto3, m, { registry })).toBe(lines("optional_any {", `  [${url}] {`, "    optional_int32: 12345", "  }", "}"));
    // Without a registry, the types reachable from the printed message resolve it.
    expect(toText(TestAllTypesProto3, m)).toBe(lines("optional_any {", `  [${url}] {`, "    optional_int32: 12345", "  }", "}"));
  });

  it("prints an Any as its two fields when its type is unknown or its value does not decode", () => {
    const proto2Url = "type.googleapis.com/protobuf_test_messages.proto2.TestAllTypesProto2";
    const unreachable = TestAllTypesProto3.create({ optionalAny: { typeUrl: proto2Url, value: Uint8Array.of(0x08, 0x01) } });
    expect(toText(TestAllTypesProto3, unreachable)).toBe(lines("optional_any {", `  type_url: "${proto2Url}"`, '  value: "\\010\\001"', "}"));
    // The registry knows it: expanded.
    expect(toText(TestAllTypesProto3, unreachable, { registry })).toBe(lines("optional_any {", `  [${proto2Url}] {`, "    optional_int32: 1", "  }", "}"));
    const url = "type.googleapis.com/protobuf_test_messages.proto3.TestAllTypesProto3";
    const broken = TestAllTypesProto3.create({ optionalAny: { typeUrl: url, value: Uint8Array.of(0x0a) } });
    for (const options of [undefined, { registry }]) {
      expect(toText(TestAllTypesProto3, broken, options)).toBe(lines("optional_any {", `  type_url: "${url}"`, '  value: "\\n"', "}"));
    }
  });
});

describe("toText and fromText", () => {
  it.each([
    "optional_int32: 1",
    "Data { group_int32: 1 } [protobuf_test_messages.proto2.extension_int32]: 5",
    "[protobuf_test_messages.proto2.groupfield] { group_int32: 1 }",
    "optional_float: 3.4028235e+38 optional_double: -1e-300 repeated_float: [nan, -inf, 1e-45]",
    String.raw`optional_string: "\u0000\U0010FFFF\\" optional_bytes: "\x00\xff"`,
  ])("round-trip %s", (text) => {
    const m = fromText(TestAllTypesProto2, text, { registry });
    const printed = toText(TestAllTypesProto2, m, { registry });
    expect(TestAllTypesProto2.encode(fromText(TestAllTypesProto2, printed, { registry }))).toEqual(TestAllTypesProto2.encode(m));
  });
});
