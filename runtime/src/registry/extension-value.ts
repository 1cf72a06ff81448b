// Extension values live in the extendee's `$unknown` bytes: the generated
// codec does not know them, so they survive decode and encode untouched.
// These functions decode and encode them on demand through the extension's
// field info, for JSON, text format and users.
import { readGroup, readMessage } from "../message/nested.js";
import type { ExtensionType, ExtensionValue, FieldInfo, UnknownFieldsHolder } from "../message/types.js";
import { BinaryReader } from "../wire/reader.js";
import { sizeBytes, sizeInt32, sizeTag, sizeVarint32 } from "../wire/size.js";
import { WireType } from "../wire/wire-type.js";
import { BinaryWriter } from "../wire/writer.js";
import { readScalar, scalarWireType, sizeScalar, writeScalar } from "./scalar-wire.js";

/** True when `message` carries a value (for a repeated extension: at least one element) of `ext`. */
export function hasExtension<E extends object>(message: E, ext: ExtensionType<E>): boolean {
  const unknown = (message as UnknownFieldsHolder).$unknown;
  return unknown !== undefined && unknown.length > 0 && readExtensionField(unknown, ext.field).found;
}

/**
 * The value of `ext` in `message`: for a repeated extension an array (empty
 * when absent), otherwise the value, or undefined when absent. Occurrences
 * merge as in the binary format: the last scalar wins, messages merge.
 */
export function getExtension<E extends object, V>(message: E, ext: ExtensionType<E, V>): ExtensionValue<V> {
  const unknown = (message as UnknownFieldsHolder).$unknown;
  if (unknown === undefined || unknown.length === 0) return (ext.field.kind !== "map" && ext.field.repeated ? [] : undefined) as ExtensionValue<V>;
  return readExtensionField(unknown, ext.field).value as ExtensionValue<V>;
}

/** Replaces the value of `ext` in `message` (an array for a repeated extension). */
export function setExtension<E extends object, V>(message: E, ext: ExtensionType<E, V>, value: V): void {
  clearExtension(message, ext);
  const encoded = encodeExtensionField(ext.field, value);
  if (encoded.length === 0) return;
  const holder = message as UnknownFieldsHolder;
  const prev = holder.$unknown;
  if (prev === undefined || prev.length === 0) {
    holder.$unknown = encoded;
    return;
  }
  const joined = new Uint8Array(prev.length + encoded.length);
  joined.set(prev);
  joined.set(encoded, prev.length);
  holder.$unknown = joined;
}

/** Removes every occurrence of `ext` from `message`. */
export function clearExtension<E extends object>(message: E, ext: ExtensionType<E>): void {
  const holder = message as UnknownFieldsHolder;
  const unknown = holder.$unknown;
  if (unknown === undefined || unknown.length === 0) return;
  const kept = withoutField(unknown, ext.field.no);
  if (kept === unknown) return;
  if (kept.length === 0) delete holder.$unknown;
  else holder.$unknown = kept;
}

/** Decodes field `field.no` from unknown-field bytes. Occurrences with an unexpected wire type are not this field's and are ignored. */
export function readExtensionField(bytes: Uint8Array, field: FieldInfo): { found: boolean; value: unknown } {
  if (field.kind === "map") throw new Error(`extension ${field.name}: map extensions do not exist`);
  const r = new BinaryReader(bytes);
  const values: unknown[] = [];
  let value: unknown;
  let found = false;
  const expected =
    field.kind === "message"
      ? field.delimited
        ? WireType.StartGroup
        : WireType.LengthDelimited
      : field.kind === "enum"
        ? WireType.Varint
        : scalarWireType(field.T);
  const readOne = (): unknown => (field.kind === "enum" ? r.int32() : field.kind === "scalar" ? readScalar(r, field.T, field.int64) : undefined);
  while (r.pos < r.limit) {
    const tag = r.tag();
    const wt = tag & 7;
    if (tag >>> 3 !== field.no) {
      r.skip(tag);
      continue;
    }
    if (field.kind === "message") {
      if (wt !== expected) {
        r.skip(tag);
        continue;
      }
      const target = field.repeated ? undefined : (value as object | undefined);
      const m =
        wt === WireType.StartGroup
          ? readGroup(r, field.T, target, field.no)
          : readMessage(r, field.T, target, field.no);
      if (field.repeated) values.push(m);
      else value = m;
      found = true;
    } else if (wt === WireType.LengthDelimited && expected !== WireType.LengthDelimited) {
      // Packed: accepted for any repeated numeric field, whatever its declared encoding.
      const prev = r.pushLimit();
      while (r.pos < r.limit) {
        const v = readOne();
        if (field.repeated) values.push(v);
        else value = v;
      }
      r.popLimit(prev);
      found = true;
    } else if (wt === expected) {
      const v = readOne();
      if (field.repeated) values.push(v);
      else value = v;
      found = true;
    } else {
      r.skip(tag);
    }
  }
  if (field.repeated) return { found: values.length > 0, value: values };
  return { found, value };
}

/** Encodes `value` as field `field.no` (tags included); an empty list encodes to nothing. */
export function encodeExtensionField(field: FieldInfo, value: unknown): Uint8Array {
  if (field.kind === "map") throw new Error(`extension ${field.name}: map extensions do not exist`);
  const no = field.no;
  const list = field.repeated ? (value as readonly unknown[]) : [value];
  if (field.kind === "message") {
    const bodies = list.map((m) => field.T.encode(m as object));
    const delimited = field.delimited === true;
    let size = 0;
    for (const b of bodies) {
      size += delimited ? sizeTag(no, WireType.StartGroup) + b.length + sizeTag(no, WireType.EndGroup) : sizeTag(no, WireType.LengthDelimited) + sizeBytes(b);
    }
    const w = new BinaryWriter(size);
    for (const b of bodies) {
      if (delimited) {
        w.tag(no, WireType.StartGroup);
        w.raw(b);
        w.tag(no, WireType.EndGroup);
      } else {
        w.tag(no, WireType.LengthDelimited);
        w.bytes(b);
      }
    }
    return w.finish();
  }
  const isEnum = field.kind === "enum";
  const sizeOf = (v: unknown): number => (isEnum ? sizeInt32(v as number) : sizeScalar(field.T, v));
  const writeOne = (w: BinaryWriter, v: unknown): void => (isEnum ? w.int32(v as number) : writeScalar(w, field.T, v));
  const wt = isEnum ? WireType.Varint : scalarWireType(field.T);
  if (field.repeated && field.packed && list.length > 0) {
    let payload = 0;
    for (const v of list) payload += sizeOf(v);
    const w = new BinaryWriter(sizeTag(no, WireType.LengthDelimited) + sizeVarint32(payload) + payload);
    w.tag(no, WireType.LengthDelimited);
    w.uint32(payload);
    for (const v of list) writeOne(w, v);
    return w.finish();
  }
  let size = 0;
  for (const v of list) size += sizeTag(no, wt) + sizeOf(v);
  const w = new BinaryWriter(size);
  for (const v of list) {
    w.tag(no, wt);
    writeOne(w, v);
  }
  return w.finish();
}

/** `bytes` without the occurrences of field `no`; the same array when there are none. */
function withoutField(bytes: Uint8Array, no: number): Uint8Array {
  const r = new BinaryReader(bytes);
  const keep: [number, number][] = [];
  let removed = false;
  while (r.pos < r.limit) {
    const start = r.pos;
    const tag = r.tag();
    r.skip(tag);
    if (tag >>> 3 === no) removed = true;
    else keep.push([start, r.pos]);
  }
  if (!removed) return bytes;
  let len = 0;
  for (const [s, e] of keep) len += e - s;
  const out = new Uint8Array(len);
  let pos = 0;
  for (const [s, e] of keep) {
    out.set(bytes.subarray(s, e), pos);
    pos += e - s;
  }
  return out;
}
