// A registry of message, enum and extension types by full protobuf name.
// JSON needs one for google.protobuf.Any (whose payload names its type only
// by URL) and for extensions (which the extendee's field table cannot know).
import type { EnumType, ExtensionType, MessageType } from "../message/types.js";

/** What a registry holds. */
export type RegistryType = MessageType<object> | EnumType | ExtensionType;

export interface Registry {
  /** A message type by full name, e.g. `google.protobuf.Duration`. */
  getMessage(typeName: string): MessageType<object> | undefined;
  getEnum(typeName: string): EnumType | undefined;
  /** An extension by full name, e.g. `pkg.my_extension`. */
  getExtension(typeName: string): ExtensionType | undefined;
  /** The extension of `extendee` (a full message name) with field number `no`. */
  getExtensionFor(extendee: string, no: number): ExtensionType | undefined;
  /** The extensions of `extendee` (a full message name), by ascending field number. */
  extensionsFor(extendee: string): readonly ExtensionType[];
  /** Every type in the registry. */
  [Symbol.iterator](): Iterator<RegistryType>;
}

/**
 * Creates a registry from types and other registries. A message type brings
 * along every message and enum type its fields refer to, transitively, so
 * that registering a top-level request type is usually enough for its Any
 * fields' well-known payloads. Types given explicitly win over types found
 * through fields when two share a name.
 */
export function createRegistry(...inputs: (RegistryType | Registry)[]): Registry {
  const messages = new Map<string, MessageType<object>>();
  const enums = new Map<string, EnumType>();
  const extensions = new Map<string, ExtensionType>();
  const roots: MessageType<object>[] = [];

  for (const input of inputs) {
    if (isRegistry(input)) {
      for (const t of input) add(t);
    } else {
      add(input);
    }
  }
  // Reachable types only fill gaps, so they run after every explicit entry.
  const seen = new Set<MessageType<object>>();
  for (const m of roots) addReachable(m);

  let byExtendee: Map<string, ExtensionType[]> | undefined;
  const extendeeIndex = (): Map<string, ExtensionType[]> => {
    if (byExtendee) return byExtendee;
    byExtendee = new Map();
    for (const ext of extensions.values()) {
      const name = ext.extendee.typeName;
      const list = byExtendee.get(name);
      if (list) list.push(ext);
      else byExtendee.set(name, [ext]);
    }
    for (const list of byExtendee.values()) list.sort((a, b) => a.field.no - b.field.no);
    return byExtendee;
  };

  return {
    getMessage: (name) => messages.get(name),
    getEnum: (name) => enums.get(name),
    getExtension: (name) => extensions.get(name),
    getExtensionFor: (extendee, no) => extendeeIndex().get(extendee)?.find((e) => e.field.no === no),
    extensionsFor: (extendee) => extendeeIndex().get(extendee) ?? [],
    *[Symbol.iterator]() {
      yield* messages.values();
      yield* enums.values();
      yield* extensions.values();
    },
  };

  function add(t: RegistryType): void {
    if (isExtension(t)) {
      extensions.set(t.typeName, t);
      roots.push(t.extendee);
      const f = t.field;
      const v = f.kind === "map" ? f.value : f;
      if (v.kind === "message") roots.push(v.T);
      else if (v.kind === "enum" && !enums.has(v.T.typeName)) enums.set(v.T.typeName, v.T);
    } else if (isMessage(t)) {
      messages.set(t.typeName, t);
      roots.push(t);
    } else {
      enums.set(t.typeName, t);
    }
  }

  function addReachable(m: MessageType<object>): void {
    if (seen.has(m)) return;
    seen.add(m);
    if (!messages.has(m.typeName)) messages.set(m.typeName, m);
    for (const f of m.fields) {
      const v = f.kind === "map" ? f.value : f;
      if (v.kind === "message") addReachable(v.T);
      else if (v.kind === "enum" && !enums.has(v.T.typeName)) enums.set(v.T.typeName, v.T);
    }
  }
}

function isRegistry(x: RegistryType | Registry): x is Registry {
  return typeof (x as Partial<Registry>).getMessage === "function";
}

function isExtension(x: RegistryType): x is ExtensionType {
  return "extendee" in x;
}

function isMessage(x: RegistryType): x is MessageType<object> {
  return "spec" in x;
}
