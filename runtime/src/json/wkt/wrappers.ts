// The nine wrapper types (google.protobuf.Int32Value, …) are their single
// `value` field, unboxed: 5, "5" for 64-bit ones, "SGk=" for bytes.
import type { FieldInfo } from "../../message/types.js";
import { JsonError } from "../json-error.js";
import { scalarFromJson, scalarToJson } from "../scalar.js";
import type { WktCodec } from "./codec.js";

export const wrapperJson: WktCodec = {
  toJson(type, message) {
    const f = valueField(type.fields);
    return scalarToJson(f.T, (message as Record<string, unknown>)[f.localName]);
  },
  fromJson(type, json) {
    const f = valueField(type.fields);
    if (json === null) throw new JsonError(`null is not a ${type.typeName}`);
    const message = type.create() as Record<string, unknown>;
    message[f.localName] = scalarFromJson(f.T, json, f.int64);
    return message;
  },
};

function valueField(fields: readonly FieldInfo[]): FieldInfo & { kind: "scalar" } {
  const f = fields[0];
  if (f === undefined || f.kind !== "scalar") throw new Error("wrapper type without a scalar value field");
  return f;
}
