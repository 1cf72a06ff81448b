// JSON text from a JsonValue. JSON.stringify would do but for one detail: it
// prints -0 as 0, and the JSON mapping keeps the sign of a negative zero
// float (it is a distinct, non-default value in proto3).
import type { JsonValue } from "./json-value.js";

/** Serializes `value`; `indent` > 0 pretty-prints with that many spaces per level. */
export function stringifyJson(value: JsonValue, indent = 0): string {
  return write(value, indent > 0 ? " ".repeat(indent) : "", "");
}

function write(v: JsonValue, step: string, current: string): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "-0" : JSON.stringify(v);
    case "string":
      return JSON.stringify(v);
    case "boolean":
      return v ? "true" : "false";
  }
  const inner = current + step;
  const open = step === "" ? "" : "\n" + inner;
  const sep = step === "" ? "," : ",\n" + inner;
  const close = step === "" ? "" : "\n" + current;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return "[" + open + v.map((e) => write(e, step, inner)).join(sep) + close + "]";
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return "{}";
  const colon = step === "" ? ":" : ": ";
  return "{" + open + keys.map((k) => JSON.stringify(k) + colon + write(v[k], step, inner)).join(sep) + close + "}";
}
