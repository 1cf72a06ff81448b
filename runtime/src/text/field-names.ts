// How fields are named in the text format. Groups (and editions fields that
// look like them) are written with their message type's name, e.g. `Data {
// … }` for `optional group Data = 201`; everything else uses the field name.
import type { FieldInfo } from "../message/types.js";

/**
 * True for a delimited message field that protoc would have produced from
 * `group` syntax: its name is its type's name in lower case, and the type is
 * declared in the scope that declares the field (`scope`: the containing
 * message's full name, or for an extension the scope it is declared in).
 */
export function isGroupLike(field: FieldInfo, scope: string): boolean {
  if (field.kind !== "message" || field.delimited !== true) return false;
  const typeName = field.T.typeName;
  return shortName(typeName).toLowerCase() === field.name && parentScope(typeName) === scope;
}

/** The name a (non-extension) field is printed with. */
export function textFieldName(field: FieldInfo, containingType: string): string {
  if (field.kind === "message" && isGroupLike(field, containingType)) return shortName(field.T.typeName);
  return field.name;
}

/** The last component of a full name. */
export function shortName(typeName: string): string {
  return typeName.slice(typeName.lastIndexOf(".") + 1);
}

/** The scope a full name is declared in: `a.b` for `a.b.C`. */
export function parentScope(typeName: string): string {
  return typeName.slice(0, Math.max(typeName.lastIndexOf("."), 0));
}
