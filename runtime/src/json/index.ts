// The proto3 JSON mapping (protobuf.dev/programming-guides/json): messages to
// and from JSON values and JSON text, including the well-known types' forms.
export { toJson, toJsonString } from "./to-json.js";
export { fromJson, fromJsonString } from "./from-json.js";
export { JsonError } from "./json-error.js";
export type { JsonObject, JsonValue } from "./json-value.js";
export type { JsonReadOptions, JsonWriteOptions, JsonWriteStringOptions } from "./options.js";
export { base64Decode, base64Encode } from "./base64.js";
