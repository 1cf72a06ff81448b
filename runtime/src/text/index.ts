// The protobuf text format: printing and parsing any generated message
// through its field table, compatible with C++ TextFormat.
export { toText, type TextPrintOptions } from "./to-text.js";
export { fromText, type TextParseOptions } from "./from-text.js";
export { TextFormatError } from "./text-error.js";
export type { TextRegistry } from "./registry.js";
