// Packing messages into google.protobuf.Any and getting them back out. The
// type URL is "<prefix>/<full message name>"; only the name after the last
// "/" identifies the type.
import type { MessageType } from "../message/types.js";
import type { Registry } from "../registry/registry.js";
import type { Any } from "./gen/google/protobuf/any_pb.js";
import { Any as AnyType } from "./gen/google/protobuf/any_pb.js";

const defaultPrefix = "type.googleapis.com";

/** An Any holding `message`, with the type URL `<typeUrlPrefix>/<type name>`. */
export function anyPack<T extends object>(type: MessageType<T>, message: T, typeUrlPrefix = defaultPrefix): Any {
  const prefix = typeUrlPrefix.endsWith("/") ? typeUrlPrefix : typeUrlPrefix + "/";
  return AnyType.create({ typeUrl: prefix + type.typeName, value: type.encode(message) });
}

/** The full message name in the type URL of `any`; "" for an empty Any. */
export function anyTypeName(any: Any): string {
  return any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1);
}

/** True when `any` holds a message of `type` (a MessageType or a full message name). */
export function anyIs(any: Any, type: MessageType<object> | string): boolean {
  const name = typeof type === "string" ? type : type.typeName;
  return any.typeUrl !== "" && anyTypeName(any) === name;
}

/**
 * The message in `any`: decoded as `type` when `any` holds that type, or as
 * the type the registry knows by the URL's name. Undefined when the type does
 * not match or the registry does not know it.
 */
export function anyUnpack<T extends object>(any: Any, type: MessageType<T>): T | undefined;
export function anyUnpack(any: Any, registry: Registry): object | undefined;
export function anyUnpack(any: Any, typeOrRegistry: MessageType<object> | Registry): object | undefined {
  if (any.typeUrl === "") return undefined;
  if ("getMessage" in typeOrRegistry) {
    const t = typeOrRegistry.getMessage(anyTypeName(any));
    return t === undefined ? undefined : t.decode(any.value);
  }
  return anyIs(any, typeOrRegistry) ? typeOrRegistry.decode(any.value) : undefined;
}
