// The well-known types whose JSON form is not the generic one, by full name.
import { anyJson } from "./any.js";
import type { WktCodec } from "./codec.js";
import { durationJson } from "./duration.js";
import { fieldMaskJson } from "./field-mask.js";
import { listValueJson, structJson, valueJson } from "./struct.js";
import { timestampJson } from "./timestamp.js";
import { wrapperJson } from "./wrappers.js";

export type { ReadMessage, WktCodec, WriteMessage } from "./codec.js";

const codecs: ReadonlyMap<string, WktCodec> = new Map([
  ["google.protobuf.Any", anyJson],
  ["google.protobuf.Timestamp", timestampJson],
  ["google.protobuf.Duration", durationJson],
  ["google.protobuf.FieldMask", fieldMaskJson],
  ["google.protobuf.Struct", structJson],
  ["google.protobuf.Value", valueJson],
  ["google.protobuf.ListValue", listValueJson],
  ["google.protobuf.DoubleValue", wrapperJson],
  ["google.protobuf.FloatValue", wrapperJson],
  ["google.protobuf.Int64Value", wrapperJson],
  ["google.protobuf.UInt64Value", wrapperJson],
  ["google.protobuf.Int32Value", wrapperJson],
  ["google.protobuf.UInt32Value", wrapperJson],
  ["google.protobuf.BoolValue", wrapperJson],
  ["google.protobuf.StringValue", wrapperJson],
  ["google.protobuf.BytesValue", wrapperJson],
]);

export { specialJsonTypes } from "./special.js";

/**
 * The special JSON form of a well-known type, or undefined for the generic
 * one. google.protobuf.Empty is generic: `{}`.
 */
export function wktCodec(typeName: string): WktCodec | undefined {
  // One cheap test keeps the map lookup off ordinary messages.
  return typeName.startsWith("google.protobuf.") ? codecs.get(typeName) : undefined;
}
