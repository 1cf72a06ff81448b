import {
  ForeignMessageProto2,
  TestAllTypesProto2,
  TestAllTypesProto2_MessageSetCorrect,
  TestAllTypesProto2_MessageSetCorrectExtension1,
  TestAllTypesProto2_MessageSetCorrectExtension1_message_set_extension,
  TestAllTypesProto2_NestedEnum$enum,
  extension_int32,
  groupfield,
} from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import { TestAllTypesProto3 } from "../../../conformance/src/gen/google/protobuf/test_messages_proto3_pb.js";
import { Duration, NullValue$enum, Timestamp } from "../wkt/index.js";
import { createRegistry } from "./registry.js";

describe("createRegistry", () => {
  test("finds what it was given, by full name", () => {
    const r = createRegistry(TestAllTypesProto2, TestAllTypesProto2_NestedEnum$enum, extension_int32);
    expect(r.getMessage("protobuf_test_messages.proto2.TestAllTypesProto2")).toBe(TestAllTypesProto2);
    expect(r.getEnum("protobuf_test_messages.proto2.TestAllTypesProto2.NestedEnum")).toBe(TestAllTypesProto2_NestedEnum$enum);
    expect(r.getExtension("protobuf_test_messages.proto2.extension_int32")).toBe(extension_int32);
    expect(r.getMessage("nope")).toBeUndefined();
    expect(r.getEnum("protobuf_test_messages.proto2.TestAllTypesProto2")).toBeUndefined();
  });

  test("brings along the message and enum types that fields refer to", () => {
    const r = createRegistry(TestAllTypesProto3);
    expect(r.getMessage("google.protobuf.Duration")).toBe(Duration);
    expect(r.getMessage("google.protobuf.Timestamp")).toBe(Timestamp);
    expect(r.getMessage("protobuf_test_messages.proto3.ForeignMessage")).toBeDefined();
    expect(r.getEnum("google.protobuf.NullValue")).toBe(NullValue$enum);
    expect(r.getMessage("protobuf_test_messages.proto2.TestAllTypesProto2")).toBeUndefined();
  });

  test("an extension brings its extendee and its message type", () => {
    const r = createRegistry(TestAllTypesProto2_MessageSetCorrectExtension1_message_set_extension);
    expect(r.getMessage("protobuf_test_messages.proto2.TestAllTypesProto2.MessageSetCorrect")).toBe(TestAllTypesProto2_MessageSetCorrect);
    expect(r.getMessage("protobuf_test_messages.proto2.TestAllTypesProto2.MessageSetCorrectExtension1")).toBe(TestAllTypesProto2_MessageSetCorrectExtension1);
  });

  test("extensions by extendee and number, in number order", () => {
    const r = createRegistry(groupfield, extension_int32);
    expect(r.getExtensionFor("protobuf_test_messages.proto2.TestAllTypesProto2", 120)).toBe(extension_int32);
    expect(r.getExtensionFor("protobuf_test_messages.proto2.TestAllTypesProto2", 121)).toBe(groupfield);
    expect(r.getExtensionFor("protobuf_test_messages.proto2.TestAllTypesProto2", 1)).toBeUndefined();
    expect(r.extensionsFor("protobuf_test_messages.proto2.TestAllTypesProto2")).toEqual([extension_int32, groupfield]);
    expect(r.extensionsFor("protobuf_test_messages.proto2.ForeignMessageProto2")).toEqual([]);
  });

  test("composes registries, and iterates over everything", () => {
    const a = createRegistry(ForeignMessageProto2);
    const b = createRegistry(a, extension_int32);
    expect(b.getMessage(ForeignMessageProto2.typeName)).toBe(ForeignMessageProto2);
    const names = [...b].map((t) => t.typeName);
    expect(names).toContain(ForeignMessageProto2.typeName);
    expect(names).toContain(extension_int32.typeName);
  });

  test("types given explicitly win over types found through fields", () => {
    const impostor = { ...Duration, typeName: "google.protobuf.Duration" };
    const r = createRegistry(TestAllTypesProto3, impostor);
    expect(r.getMessage("google.protobuf.Duration")).toBe(impostor);
  });
});
