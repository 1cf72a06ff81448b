// Per-type lookup tables for JSON, built on first use and cached by type
// object: field by JSON key (json_name and proto name), enum number by name
// and name by number.
import type { EnumType, FieldInfo, MessageType } from "../message/types.js";

interface EnumNames {
  readonly byName: ReadonlyMap<string, number>;
  /** The first name declared for each number (aliases come after it). */
  readonly byNumber: ReadonlyMap<number, string>;
}

const enumCache = new WeakMap<EnumType, EnumNames>();
const fieldCache = new WeakMap<MessageType<object>, ReadonlyMap<string, FieldInfo>>();

export function enumNames(type: EnumType): EnumNames {
  let names = enumCache.get(type);
  if (names === undefined) {
    const byName = new Map<string, number>();
    const byNumber = new Map<number, string>();
    for (const v of type.values) {
      byName.set(v.name, v.no);
      if (!byNumber.has(v.no)) byNumber.set(v.no, v.name);
    }
    names = { byName, byNumber };
    enumCache.set(type, names);
  }
  return names;
}

/** Fields by the keys a parser accepts: the JSON name and the name in the .proto file. */
export function fieldsByJsonKey(type: MessageType<object>): ReadonlyMap<string, FieldInfo> {
  let map = fieldCache.get(type);
  if (map === undefined) {
    const m = new Map<string, FieldInfo>();
    for (const f of type.fields) m.set(f.name, f);
    // JSON names win when a proto name of one field is the JSON name of another.
    for (const f of type.fields) m.set(f.jsonName, f);
    map = m;
    fieldCache.set(type, map);
  }
  return map;
}
