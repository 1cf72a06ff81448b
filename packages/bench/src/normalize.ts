// Turns a decoded message of any library into one canonical tree of strings,
// walking tsgrpc's field table, so that the libraries' values can be compared
// field by field: 64-bit integers as decimal whatever their representation
// (bigint, Long, number), bytes as hex, floats exactly (-0 and NaN included),
// map entries sorted by key.
import type { MessageType } from "@tsgrpc/runtime/codegen";
import type { Library } from "./libraries.js";
import { ScalarType, is64, isUnsigned64, type FieldInfo } from "./schema.js";

export type Norm = string | Norm[] | { [key: string]: Norm };

/** Marks a singular field that is not set (explicit presence) or a message field that is absent. */
export const UNSET = "<unset>";

type Obj = Record<string, unknown>;
type ValueDesc = Extract<FieldInfo, { kind: "scalar" | "enum" | "message" }> | Exclude<Extract<FieldInfo, { kind: "map" }>["value"], undefined>;

/**
 * The canonical form of `message`, as `lib` holds it. With `presence`, an
 * unset proto2 field differs from one set to its default; without, an unset
 * field reads as its default (for libraries that do not track presence).
 */
export function normalize(lib: Library, type: MessageType<object>, message: object, presence: boolean): Norm {
  const out: { [key: string]: Norm } = {};
  for (const field of type.fields) {
    const key = `${field.name}(${field.no})`;
    const raw = lib.get(message, field);
    if (field.kind === "map") {
      const entries = (raw ?? {}) as Obj;
      const map: { [key: string]: Norm } = Object.create(null) as { [key: string]: Norm };
      for (const k of Object.keys(entries).sort()) map[k] = value(lib, field.value, entries[k], presence);
      out[key] = map;
    } else if (field.repeated) {
      out[key] = ((raw ?? []) as unknown[]).map((v) => value(lib, field, v, presence));
    } else if (field.oneof !== undefined) {
      if (raw !== undefined) out[key] = value(lib, field, raw, presence);
    } else if (raw !== undefined) {
      out[key] = value(lib, field, raw, presence);
    } else if (field.kind === "message" || (presence && field.explicit)) {
      out[key] = UNSET;
    } else {
      out[key] = value(lib, field, defaultValue(field), presence);
    }
  }
  return out;
}

function defaultValue(field: Exclude<FieldInfo, { kind: "map" }>): unknown {
  if (!field.repeated && field.defaultValue !== undefined) return field.defaultValue;
  switch (field.kind) {
    case "enum":
      // A closed (proto2) enum defaults to its first value, an open one to 0.
      return field.T.open ? 0 : (field.T.values[0]?.no ?? 0);
    case "scalar":
      if (is64(field.T)) return 0n;
      if (field.T === ScalarType.STRING) return "";
      if (field.T === ScalarType.BOOL) return false;
      if (field.T === ScalarType.BYTES) return new Uint8Array(0);
      return 0;
    default:
      return undefined;
  }
}

function value(lib: Library, desc: ValueDesc, v: unknown, presence: boolean): Norm {
  switch (desc.kind) {
    case "message":
      if (v === null || typeof v !== "object") return bad(v);
      return normalize(lib, desc.T, v, presence);
    case "enum":
      return typeof v === "number" ? String(v) : bad(v);
    case "scalar":
      return scalar(desc.T, v);
  }
}

function scalar(t: ScalarType, v: unknown): string {
  if (is64(t)) {
    const b = toBigInt(v);
    if (b === undefined) return bad(v);
    return `${isUnsigned64(t) ? BigInt.asUintN(64, b) : BigInt.asIntN(64, b)}`;
  }
  switch (t) {
    case ScalarType.BOOL:
      return typeof v === "boolean" ? String(v) : bad(v);
    case ScalarType.STRING:
      return typeof v === "string" ? JSON.stringify(v) : bad(v);
    case ScalarType.BYTES:
      return v instanceof Uint8Array ? `0x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex")}` : bad(v);
    default:
      if (typeof v !== "number") return bad(v);
      return Object.is(v, -0) ? "-0" : String(v);
  }
}

/** bigint, a safe-integer number, a decimal string or a Long-like `{ low, high }`. */
function toBigInt(v: unknown): bigint | undefined {
  switch (typeof v) {
    case "bigint":
      return v;
    case "number":
      return Number.isSafeInteger(v) ? BigInt(v) : undefined;
    case "string":
      return /^-?[0-9]+$/.test(v) ? BigInt(v) : undefined;
    case "object": {
      const l = v as { low?: unknown; high?: unknown } | null;
      if (typeof l?.low !== "number" || typeof l.high !== "number") return undefined;
      return (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
    }
    default:
      return undefined;
  }
}

function bad(v: unknown): string {
  const what = v === null ? "null" : typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
  return `<unexpected ${what}: ${String(v).slice(0, 40)}>`;
}

/** The path and the two sides of the first difference between `a` and `b`, or undefined when they are equal. */
export function firstDifference(a: Norm, b: Norm, path = "$"): string | undefined {
  if (typeof a === "string" || typeof b === "string") {
    return a === b ? undefined : `${path}: ${show(a)} vs ${show(b)}`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: ${show(a)} vs ${show(b)}`;
    if (a.length !== b.length) return `${path}: ${a.length} elements vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(a, k)) return `${path}.${k}: absent vs ${show(b[k])}`;
    if (!Object.prototype.hasOwnProperty.call(b, k)) return `${path}.${k}: ${show(a[k])} vs absent`;
    const d = firstDifference(a[k], b[k], `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

function show(n: Norm | undefined): string {
  const s = typeof n === "string" ? n : JSON.stringify(n);
  return s === undefined ? "undefined" : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
