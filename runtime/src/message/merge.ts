// Protobuf's merge, over the field table: what decoding the concatenation of
// two encodings gives (`decode(concat(encode(a), encode(b)))` equals
// `merge(T, a, b)`). Set scalars replace, repeated fields append, map entries
// replace per key, message fields merge recursively, a oneof in the source
// selects its case in the target, unknown fields append. The target keeps no
// reference to the source: messages and bytes are copied.
import { appendUnknown, setMapEntry } from "./nested.js";
import { isZeroValue } from "./zero.js";
import { ScalarType, type FieldInfo, type MessageType, type PartialMessage, type UnknownFieldsHolder, type ValueInfo } from "./types.js";

type Obj = Record<string, unknown>;
type OneofValue = { case: string; value: unknown };

/**
 * Merges `source` into `target` (changed in place and returned). `source` may
 * be partial: fields it leaves out are unset and change nothing.
 */
export function merge<T extends object>(type: MessageType<T>, target: T, source: PartialMessage<T>): T {
  mergeMessage(type as MessageType<object>, target as Obj, source as Obj);
  return target;
}

function mergeMessage(type: MessageType<object>, target: Obj, source: Obj): void {
  for (const field of type.fields) {
    if (field.kind === "map") {
      mergeMap(field.value, target, field.localName, source[field.localName] as Obj | undefined);
    } else if (field.repeated) {
      const from = source[field.localName] as readonly unknown[] | undefined;
      if (from === undefined || from.length === 0) continue;
      const to = (target[field.localName] ??= []) as unknown[];
      for (const element of from) to.push(copyValue(field, element));
    } else if (field.oneof !== undefined) {
      mergeOneofMember(field, target, source[field.oneof] as OneofValue | undefined);
    } else {
      mergeSingular(field, target, source[field.localName]);
    }
  }
  const unknown = (source as UnknownFieldsHolder).$unknown;
  if (unknown !== undefined && unknown.length > 0) appendUnknown(target as UnknownFieldsHolder, unknown);
}

function mergeSingular(field: FieldInfo & ValueInfo & { explicit: boolean }, target: Obj, value: unknown): void {
  if (value === undefined) return;
  if (field.kind === "message") {
    const current = target[field.localName];
    if (current === undefined) target[field.localName] = copyValue(field, value);
    else mergeMessage(field.T, current as Obj, value as Obj);
    return;
  }
  // Implicit presence: the zero value is "not set" and is not on the wire either.
  if (!field.explicit && isZeroValue(field, value)) return;
  target[field.localName] = copyValue(field, value);
}

/** Each member of a oneof sees the same union: only the member named by its `case` acts. */
function mergeOneofMember(field: FieldInfo & ValueInfo, target: Obj, selected: OneofValue | undefined): void {
  if (selected === undefined || selected.case !== field.localName) return;
  const name = field.oneof!;
  const current = target[name] as OneofValue | undefined;
  if (field.kind === "message" && current?.case === field.localName && current.value !== undefined && selected.value !== undefined) {
    mergeMessage(field.T, current.value as Obj, selected.value as Obj);
    return;
  }
  target[name] = { case: field.localName, value: copyValue(field, selected.value) };
}

function mergeMap(info: ValueInfo, target: Obj, name: string, from: Obj | undefined): void {
  if (from === undefined) return;
  const keys = Object.keys(from);
  if (keys.length === 0) return;
  const to = (target[name] ??= {}) as Obj;
  // An entry is a message of its own on the wire: a repeated key replaces the whole value.
  for (const key of keys) setMapEntry(to, key, copyValue(info, from[key]));
}

/** A value the target may own: messages completed and copied, bytes copied. */
function copyValue(info: ValueInfo, value: unknown): unknown {
  if (info.kind === "message") {
    const copy = info.T.create() as Obj;
    if (value !== undefined && value !== null) mergeMessage(info.T, copy, value as Obj);
    return copy;
  }
  if (info.kind === "scalar" && info.T === ScalarType.BYTES) return Uint8Array.prototype.slice.call(value as Uint8Array);
  return value;
}

