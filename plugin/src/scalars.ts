// Per-scalar facts the code generator needs: wire type, reader/writer method
// names, encoded size and the zero value of implicit presence.
import { ScalarType } from "@bufbuild/protobuf";

export const WireType = { varint: 0, bit64: 1, delimited: 2, startGroup: 3, endGroup: 4, bit32: 5 } as const;

export interface ScalarFacts {
  readonly wireType: number;
  /** BinaryReader/BinaryWriter method name. */
  readonly method: string;
  /** Fixed encoded size, or the runtime size helper to call. */
  readonly size: number | string;
  readonly is64: boolean;
}

const facts: Record<ScalarType, ScalarFacts> = {
  [ScalarType.DOUBLE]: { wireType: WireType.bit64, method: "double", size: 8, is64: false },
  [ScalarType.FLOAT]: { wireType: WireType.bit32, method: "float", size: 4, is64: false },
  [ScalarType.INT64]: { wireType: WireType.varint, method: "int64", size: "sizeInt64", is64: true },
  [ScalarType.UINT64]: { wireType: WireType.varint, method: "uint64", size: "sizeUint64", is64: true },
  [ScalarType.INT32]: { wireType: WireType.varint, method: "int32", size: "sizeInt32", is64: false },
  [ScalarType.FIXED64]: { wireType: WireType.bit64, method: "fixed64", size: 8, is64: true },
  [ScalarType.FIXED32]: { wireType: WireType.bit32, method: "fixed32", size: 4, is64: false },
  [ScalarType.BOOL]: { wireType: WireType.varint, method: "bool", size: 1, is64: false },
  [ScalarType.STRING]: { wireType: WireType.delimited, method: "string", size: "sizeString", is64: false },
  [ScalarType.BYTES]: { wireType: WireType.delimited, method: "bytes", size: "sizeBytes", is64: false },
  [ScalarType.UINT32]: { wireType: WireType.varint, method: "uint32", size: "sizeVarint32", is64: false },
  [ScalarType.SFIXED32]: { wireType: WireType.bit32, method: "sfixed32", size: 4, is64: false },
  [ScalarType.SFIXED64]: { wireType: WireType.bit64, method: "sfixed64", size: 8, is64: true },
  [ScalarType.SINT32]: { wireType: WireType.varint, method: "sint32", size: "sizeSint32", is64: false },
  [ScalarType.SINT64]: { wireType: WireType.varint, method: "sint64", size: "sizeSint64", is64: true },
};

export function scalarFacts(t: ScalarType): ScalarFacts {
  return facts[t];
}

/** Scalars that may be packed: everything but strings and bytes. */
export function isPackable(t: ScalarType): boolean {
  return t !== ScalarType.STRING && t !== ScalarType.BYTES;
}

export function scalarTsType(t: ScalarType, int64AsString: boolean): string {
  switch (t) {
    case ScalarType.BOOL:
      return "boolean";
    case ScalarType.STRING:
      return "string";
    case ScalarType.BYTES:
      return "Uint8Array";
    default:
      return scalarFacts(t).is64 ? (int64AsString ? "string" : "bigint") : "number";
  }
}

/** TypeScript literal of the zero value. */
export function scalarZero(t: ScalarType, int64AsString: boolean): string {
  switch (t) {
    case ScalarType.BOOL:
      return "false";
    case ScalarType.STRING:
      return '""';
    case ScalarType.BYTES:
      return "new Uint8Array(0)";
    default:
      return scalarFacts(t).is64 ? (int64AsString ? '"0"' : "0n") : "0";
  }
}

/**
 * Condition under which an implicit-presence value is written: it is set and
 * differs from the zero value. Encoders accept partial messages, so `undefined`
 * counts as the zero value.
 */
export function scalarNonZero(t: ScalarType, v: string, int64AsString: boolean): string {
  switch (t) {
    case ScalarType.BOOL:
      return `${v} === true`;
    case ScalarType.STRING:
      return `${v} !== undefined && ${v} !== ""`;
    case ScalarType.BYTES:
      return `${v} !== undefined && ${v}.length !== 0`;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      // -0 has a sign bit set, so like protobuf C++ it is written.
      return `${v} !== undefined && !Object.is(${v}, 0)`;
    default:
      return `${v} !== undefined && ${v} !== ${scalarFacts(t).is64 ? (int64AsString ? '"0"' : "0n") : "0"}`;
  }
}

/** TypeScript literal of a proto2 default value. */
export function scalarLiteral(t: ScalarType, value: unknown, int64AsString: boolean): string {
  if (typeof value === "bigint") {
    return int64AsString ? JSON.stringify(value.toString()) : `${value}n`;
  }
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "Number.NaN";
    if (value === Infinity) return "Number.POSITIVE_INFINITY";
    if (value === -Infinity) return "Number.NEGATIVE_INFINITY";
    if (Object.is(value, -0)) return "-0";
    if (scalarFacts(t).is64) return int64AsString ? JSON.stringify(String(value)) : `${value}n`;
    return String(value);
  }
  if (typeof value === "string") {
    if (scalarFacts(t).is64) return int64AsString ? JSON.stringify(value) : `${value}n`;
    return JSON.stringify(value);
  }
  if (typeof value === "boolean") return String(value);
  if (value instanceof Uint8Array) return `new Uint8Array([${Array.from(value).join(", ")}])`;
  throw new Error(`unsupported default value for scalar ${ScalarType[t]}`);
}

export function varintSize(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}
