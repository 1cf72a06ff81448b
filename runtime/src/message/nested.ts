// Helpers generated code calls for nested messages, maps and unknown fields.
// Kept tiny so V8 inlines them into the generated functions.
import { DecodeError } from "../wire/errors.js";
import type { BinaryReader } from "../wire/reader.js";
import { sizeVarint32 } from "../wire/size.js";
import type { BinaryWriter } from "../wire/writer.js";
import type { MessageType, PartialMessage } from "./types.js";

/** Size of a length-delimited nested message including its length prefix; records the length for `writeMessage`. */
export function sizeMessage<T extends object>(type: MessageType<T>, message: PartialMessage<T>, sizes: number[]): number {
  const slot = sizes.length;
  sizes.push(0);
  const n = type.spec.size(message, sizes);
  sizes[slot] = n;
  return sizeVarint32(n) + n;
}

export function writeMessage<T extends object>(type: MessageType<T>, message: PartialMessage<T>, writer: BinaryWriter): void {
  writer.uint32(writer.nextSize());
  type.spec.write(message, writer);
}

/** Reads a length-delimited message, merging into `target` when the field was already set. */
export function readMessage<T extends object>(reader: BinaryReader, type: MessageType<T>, target: T | undefined, path: string): T {
  const message = target ?? type.spec.create();
  const prev = reader.pushLimit();
  reader.enter();
  try {
    type.spec.read(reader, message, 0);
  } catch (e) {
    if (e instanceof DecodeError) e.prependPath(path);
    throw e;
  }
  reader.leave();
  reader.popLimit(prev);
  return message;
}

/** Reads a group (delimited encoding): fields up to the matching END_GROUP tag. */
export function readGroup<T extends object>(reader: BinaryReader, type: MessageType<T>, target: T | undefined, fieldNo: number, path: string): T {
  const message = target ?? type.spec.create();
  reader.enter();
  try {
    type.spec.read(reader, message, fieldNo);
  } catch (e) {
    if (e instanceof DecodeError) e.prependPath(path);
    throw e;
  }
  reader.leave();
  return message;
}

export function appendUnknown(target: { $unknown?: Uint8Array }, bytes: Uint8Array): void {
  const prev = target.$unknown;
  if (prev === undefined) {
    // Uint8Array's slice copies; a Node Buffer's would share the input's memory.
    target.$unknown = Uint8Array.prototype.slice.call(bytes);
    return;
  }
  const joined = new Uint8Array(prev.length + bytes.length);
  joined.set(prev);
  joined.set(bytes, prev.length);
  target.$unknown = joined;
}

/** Sets a map entry; a `__proto__` key must become an own property, not the prototype. */
export function setMapEntry<V>(map: { [key: string | number]: V }, key: string | number, value: V): void {
  if (key === "__proto__") {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[key] = value;
  }
}

/** The zero value of every implicit-presence bytes field; having no elements, it cannot be changed. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);
