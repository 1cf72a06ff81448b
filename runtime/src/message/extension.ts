import type { ExtensionSpec, ExtensionType, FieldInfo, MessageType } from "./types.js";

/** Builds an extension const; resolution is lazy because the extendee may be defined later. */
export function defineExtension<E extends object = object, V = unknown>(spec: ExtensionSpec): ExtensionType<E, V> {
  let field: FieldInfo | undefined;
  let extendee: MessageType<object> | undefined;
  return {
    typeName: spec.typeName,
    get extendee() {
      return (extendee ??= spec.extendee());
    },
    get field() {
      return (field ??= spec.field());
    },
  };
}
