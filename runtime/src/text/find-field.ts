// Field lookup by the name written in text format input.
import type { FieldInfo, MessageType } from "../message/types.js";
import { isGroupLike, shortName } from "./field-names.js";

const byNameCache = new WeakMap<MessageType<object>, Map<string, FieldInfo>>();

/**
 * The field `name` refers to: a field of that name, or a group-like field
 * written with its type's name (`Data` for the group field `data`), as C++
 * TextFormat accepts both.
 */
export function findField(type: MessageType<object>, name: string): FieldInfo | undefined {
  let byName = byNameCache.get(type);
  if (byName === undefined) {
    byName = new Map(type.fields.map((f) => [f.name, f]));
    byNameCache.set(type, byName);
  }
  const field = byName.get(name);
  if (field !== undefined) return field;
  const lower = byName.get(name.toLowerCase());
  if (lower?.kind === "message" && isGroupLike(lower, type.typeName) && shortName(lower.T.typeName) === name) return lower;
  return undefined;
}

/** True for a name the message reserves (`reserved "foo";`): C++ skips such fields instead of rejecting them. */
export function isReservedName(type: MessageType<object>, name: string): boolean {
  return type.spec.reservedNames?.includes(name) ?? false;
}
