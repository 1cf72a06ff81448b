// Helpers generated code calls for nested messages, maps and unknown fields.
// Kept tiny so V8 inlines them into the generated functions.
import type { BinaryReader } from "../wire/reader.js";
import { sizeVarint32 } from "../wire/size.js";
import type { MessageType } from "./types.js";

/** Reserves the `sizes` slot of a nested message before its own nested sizes are pushed. */
export function reserveSlot(sizes: number[]): number {
  return sizes.push(0) - 1;
}

/** Records a nested message's size in its slot; returns the size with its length prefix. */
export function fillSlot(sizes: number[], slot: number, size: number): number {
  sizes[slot] = size;
  return sizeVarint32(size) + size;
}

/** The values of a map field as a (partial) message holds them: what a size pass saves for the write pass. */
export type MapValues<R> = NonNullable<NonNullable<R>[keyof NonNullable<R>]>[];

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

/** Reads a length-delimited message of any type (runtime layers; generated code inlines this). */
export function readMessage<T extends object>(reader: BinaryReader, type: MessageType<T>, target: T | undefined, fieldNo: number): T {
  const message = target ?? type.spec.create();
  const prev = reader.enterMessage(fieldNo);
  type.spec.read(reader, message, 0);
  reader.leaveMessage(prev);
  return message;
}

/** Reads a group (delimited encoding) of any type: fields up to the matching END_GROUP tag. */
export function readGroup<T extends object>(reader: BinaryReader, type: MessageType<T>, target: T | undefined, fieldNo: number): T {
  const message = target ?? type.spec.create();
  reader.enterGroup(fieldNo);
  type.spec.read(reader, message, fieldNo);
  reader.leaveGroup();
  return message;
}
