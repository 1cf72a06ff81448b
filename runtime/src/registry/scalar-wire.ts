// Reflective binary reading and writing of one scalar by ScalarType. Generated
// codecs never come here; extensions do, because their values live in the
// extendee's unknown-field bytes and are only decoded on request.
import { ScalarType, type Int64Repr } from "../message/types.js";
import type { BinaryReader } from "../wire/reader.js";
import { sizeBytes, sizeInt32, sizeInt64, sizeSint32, sizeSint64, sizeString, sizeUint64, sizeVarint32 } from "../wire/size.js";
import { WireType } from "../wire/wire-type.js";
import type { BinaryWriter } from "../wire/writer.js";

/** The wire type a scalar is written with (not packed). */
export function scalarWireType(t: ScalarType): number {
  switch (t) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    default:
      return WireType.Varint;
  }
}

export function readScalar(r: BinaryReader, t: ScalarType, repr: Int64Repr | undefined): unknown {
  const str = repr === "string";
  switch (t) {
    case ScalarType.DOUBLE:
      return r.double();
    case ScalarType.FLOAT:
      return r.float();
    case ScalarType.INT64:
      return str ? r.int64Str() : r.int64();
    case ScalarType.UINT64:
      return str ? r.uint64Str() : r.uint64();
    case ScalarType.INT32:
      return r.int32();
    case ScalarType.FIXED64:
      return str ? r.fixed64Str() : r.fixed64();
    case ScalarType.FIXED32:
      return r.fixed32();
    case ScalarType.BOOL:
      return r.bool();
    case ScalarType.STRING:
      return r.string();
    case ScalarType.BYTES:
      return r.bytes();
    case ScalarType.UINT32:
      return r.uint32();
    case ScalarType.SFIXED32:
      return r.sfixed32();
    case ScalarType.SFIXED64:
      return str ? r.sfixed64Str() : r.sfixed64();
    case ScalarType.SINT32:
      return r.sint32();
    case ScalarType.SINT64:
      return str ? r.sint64Str() : r.sint64();
  }
}

/** Encoded size of the value alone (no tag); must agree with `writeScalar`. */
export function sizeScalar(t: ScalarType, v: unknown): number {
  switch (t) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return 8;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return 4;
    case ScalarType.BOOL:
      return 1;
    case ScalarType.INT32:
      return sizeInt32(v as number);
    case ScalarType.UINT32:
      return sizeVarint32(v as number);
    case ScalarType.SINT32:
      return sizeSint32(v as number);
    case ScalarType.INT64:
      return sizeInt64(v as bigint | string);
    case ScalarType.UINT64:
      return sizeUint64(v as bigint | string);
    case ScalarType.SINT64:
      return sizeSint64(v as bigint | string);
    case ScalarType.STRING:
      return sizeString(v as string);
    case ScalarType.BYTES:
      return sizeBytes(v as Uint8Array);
  }
}

export function writeScalar(w: BinaryWriter, t: ScalarType, v: unknown): void {
  switch (t) {
    case ScalarType.DOUBLE:
      return w.double(v as number);
    case ScalarType.FLOAT:
      return w.float(v as number);
    case ScalarType.INT64:
      return w.int64(v as bigint | string);
    case ScalarType.UINT64:
      return w.uint64(v as bigint | string);
    case ScalarType.INT32:
      return w.int32(v as number);
    case ScalarType.FIXED64:
      return w.fixed64(v as bigint | string);
    case ScalarType.FIXED32:
      return w.fixed32(v as number);
    case ScalarType.BOOL:
      return w.bool(v as boolean);
    case ScalarType.STRING:
      return w.string(v as string);
    case ScalarType.BYTES:
      return w.bytes(v as Uint8Array);
    case ScalarType.UINT32:
      return w.uint32(v as number);
    case ScalarType.SFIXED32:
      return w.sfixed32(v as number);
    case ScalarType.SFIXED64:
      return w.sfixed64(v as bigint | string);
    case ScalarType.SINT32:
      return w.sint32(v as number);
    case ScalarType.SINT64:
      return w.sint64(v as bigint | string);
  }
}
