import * as proto2 from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import { ScalarType, type FieldInfo, type MessageType } from "../message/types.js";
import { findField } from "./find-field.js";
import { isGroupLike, textFieldName } from "./field-names.js";

const typeNamed = (typeName: string): MessageType<object> => ({ ...proto2.GroupField, typeName }) as MessageType<object>;
const delimited = (name: string, typeName: string, delimited = true): FieldInfo => ({
  no: 1, name, localName: name, jsonName: name, kind: "message", T: typeNamed(typeName), delimited, explicit: true,
});

describe("isGroupLike and textFieldName", () => {
  it.each<[string, FieldInfo, string, string]>([
    // [case, field, declaring scope, printed name]
    ["a group", delimited("data", "pkg.Msg.Data"), "pkg.Msg", "Data"],
    ["a group extension at file scope", delimited("groupfield", "pkg.GroupField"), "pkg", "GroupField"],
    ["a delimited field named otherwise", delimited("delimited_field", "pkg.Msg.Data"), "pkg.Msg", "delimited_field"],
    ["a delimited field of a type from another scope", delimited("data", "other.Data"), "pkg.Msg", "data"],
    ["a length-prefixed message field", delimited("data", "pkg.Msg.Data", false), "pkg.Msg", "data"],
    ["a scalar", { no: 1, name: "data", localName: "data", jsonName: "data", kind: "scalar", T: ScalarType.INT32, explicit: true }, "pkg.Msg", "data"],
  ])("%s", (_, field, scope, printed) => {
    expect(isGroupLike(field, scope)).toBe(printed !== field.name);
    expect(textFieldName(field, scope)).toBe(printed);
  });
});

describe("findField", () => {
  it.each<[string, string | undefined]>([
    ["optional_int32", "optional_int32"],
    ["data", "data"],
    ["Data", "data"],
    ["MultiWordGroupField", "multiwordgroupfield"],
    ["multiwordgroupfield", "multiwordgroupfield"],
    ["DATA", undefined],
    ["Optional_int32", undefined],
    ["optionalInt32", undefined],
  ])("%s", (name, found) => {
    expect(findField(proto2.TestAllTypesProto2 as MessageType<object>, name)?.name).toBe(found);
  });
});
