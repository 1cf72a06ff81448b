export { defineMessage } from "./define.js";
export { defineExtension } from "./extension.js";
export { reserveSlot, fillSlot, appendUnknown, setMapEntry, EMPTY_BYTES, type MapValues } from "./nested.js";
export { equalValues } from "./equals.js";
export {
  ScalarType,
  type BinaryReadOptions,
  type EnumType,
  type EnumValueInfo,
  type ExtensionSpec,
  type ExtensionType,
  type ExtensionValue,
  type FieldInfo,
  type Int64Repr,
  type MessageSpec,
  type MessageType,
  type PartialMessage,
  type UnknownFieldsHolder,
  type ValueInfo,
} from "./types.js";
export { merge } from "./merge.js";
export { encodeDelimited, decodeDelimited, decodeDelimitedStream, type DelimitedReadOptions } from "./delimited.js";
