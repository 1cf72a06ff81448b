// Scalars between their message representation and JSON. 64-bit integers
// are strings on output; every integer type accepts numbers and strings on
// input, exponent forms included, but never a fraction or an out-of-range
// value. Floats write NaN and the infinities as strings.
import { ScalarType, type Int64Repr } from "../message/types.js";
import { base64Decode, base64Encode } from "./base64.js";
import { JsonError } from "./json-error.js";
import type { JsonValue } from "./json-value.js";
import { isJsonNumberText, parseIntegerText, shortestFloat32 } from "./number.js";
import { RawNumber } from "./parse-text.js";

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export function scalarToJson(t: ScalarType, v: unknown): JsonValue {
  switch (t) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: {
      const n = v as number;
      if (Number.isNaN(n)) return "NaN";
      if (n === Infinity) return "Infinity";
      if (n === -Infinity) return "-Infinity";
      return t === ScalarType.FLOAT ? shortestFloat32(n) : n;
    }
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.SINT64:
      return String(v);
    case ScalarType.BYTES:
      return base64Encode(v as Uint8Array);
    default:
      return v as number | string | boolean;
  }
}

/** Reads a scalar; throws JsonError when `json` is not a valid value of type `t`. */
export function scalarFromJson(t: ScalarType, json: unknown, repr: Int64Repr | undefined): unknown {
  switch (t) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return floatFromJson(t, json);
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return int32FromJson(t, json, INT32_MIN, INT32_MAX);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return int32FromJson(t, json, 0, UINT32_MAX);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return int64FromJson(t, json, INT64_MIN, INT64_MAX, repr);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return int64FromJson(t, json, 0n, UINT64_MAX, repr);
    case ScalarType.BOOL:
      if (typeof json !== "boolean") throw invalid(t, json);
      return json;
    case ScalarType.STRING:
      if (typeof json !== "string") throw invalid(t, json);
      return json;
    case ScalarType.BYTES: {
      if (typeof json !== "string") throw invalid(t, json);
      const b = base64Decode(json);
      if (b === undefined) throw new JsonError(`invalid base64 in bytes value: ${describeJson(json)}`);
      return b;
    }
  }
}

/** A map key as the record of a map field stores it: the canonical decimal text for integers, "true"/"false" for bools. */
export function mapKeyFromJson(t: ScalarType, key: string): string {
  switch (t) {
    case ScalarType.STRING:
      return key;
    case ScalarType.BOOL:
      if (key !== "true" && key !== "false") throw new JsonError(`invalid bool map key: ${JSON.stringify(key)}`);
      return key;
    default: {
      const v = /^-?(?:0|[1-9][0-9]*)$/.test(key) ? BigInt(key) : undefined;
      const [min, max] = keyRange(t);
      if (v === undefined || v < min || v > max) throw new JsonError(`invalid ${scalarName(t)} map key: ${JSON.stringify(key)}`);
      return v.toString();
    }
  }
}

function keyRange(t: ScalarType): [bigint, bigint] {
  switch (t) {
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return [0n, BigInt(UINT32_MAX)];
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return [INT64_MIN, INT64_MAX];
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return [0n, UINT64_MAX];
    default:
      return [BigInt(INT32_MIN), BigInt(INT32_MAX)];
  }
}

function floatFromJson(t: ScalarType, json: unknown): number {
  let n: number;
  if (typeof json === "number") {
    n = json;
  } else if (json instanceof RawNumber) {
    n = json.value;
  } else if (typeof json === "string") {
    if (json === "NaN") return NaN;
    if (json === "Infinity") return Infinity;
    if (json === "-Infinity") return -Infinity;
    if (!isJsonNumberText(json)) throw invalid(t, json);
    n = Number(json);
  } else {
    throw invalid(t, json);
  }
  // Out-of-range literals parse as infinities; only the quoted names mean infinity.
  if (!Number.isFinite(n)) throw outOfRange(t, json);
  if (t === ScalarType.FLOAT) {
    const f = Math.fround(n);
    if (!Number.isFinite(f)) throw outOfRange(t, json);
    return f;
  }
  return n;
}

function int32FromJson(t: ScalarType, json: unknown, min: number, max: number): number {
  let n: number;
  if (typeof json === "number") {
    if (!Number.isInteger(json)) throw invalid(t, json);
    n = json;
  } else if (json instanceof RawNumber) {
    if (parseIntegerText(json.text) === undefined) throw invalid(t, json);
    throw outOfRange(t, json);
  } else if (typeof json === "string") {
    const v = parseIntegerText(json);
    if (v === undefined) throw invalid(t, json);
    if (v < BigInt(min) || v > BigInt(max)) throw outOfRange(t, json);
    return Number(v);
  } else {
    throw invalid(t, json);
  }
  if (n < min || n > max) throw outOfRange(t, json);
  // -0 is a double, not an integer value.
  return n === 0 ? 0 : n;
}

function int64FromJson(t: ScalarType, json: unknown, min: bigint, max: bigint, repr: Int64Repr | undefined): bigint | string {
  let v: bigint | undefined;
  if (typeof json === "number") {
    v = Number.isInteger(json) ? BigInt(json) : undefined;
  } else if (json instanceof RawNumber) {
    v = parseIntegerText(json.text);
  } else if (typeof json === "string") {
    v = parseIntegerText(json);
  }
  if (v === undefined) throw invalid(t, json);
  if (v < min || v > max) throw outOfRange(t, json);
  return repr === "string" ? v.toString() : v;
}

function invalid(t: ScalarType, json: unknown): JsonError {
  return new JsonError(`invalid ${scalarName(t)} value: ${describeJson(json)}`);
}

function outOfRange(t: ScalarType, json: unknown): JsonError {
  return new JsonError(`${scalarName(t)} value out of range: ${describeJson(json)}`);
}

/** The proto name of a scalar type, e.g. "sfixed32". */
export function scalarName(t: ScalarType): string {
  return ScalarType[t].toLowerCase();
}

/** A short description of a JSON value for error messages. */
export function describeJson(json: unknown): string {
  if (json === null) return "null";
  if (json instanceof RawNumber) return json.text;
  if (Array.isArray(json)) return "an array";
  switch (typeof json) {
    case "string":
      return JSON.stringify(json.length > 40 ? json.slice(0, 40) + "…" : json);
    case "number":
    case "boolean":
      return String(json);
    case "object":
      return "an object";
    default:
      return typeof json;
  }
}
