// Message → JSON value, reflectively over the generated field table. Not the
// hot path: the binary codec is generated straight-line code; JSON reads the
// field table, with per-type lookups cached.
import type { FieldInfo, MessageType, ValueInfo } from "../message/types.js";
import { ScalarType } from "../message/types.js";
import { isZeroValue } from "../message/zero.js";
import { readExtensionField } from "../registry/extension-value.js";
import { JsonError } from "./json-error.js";
import type { JsonObject, JsonValue } from "./json-value.js";
import { enumNames } from "./lookup.js";
import { writeContext, type JsonWriteOptions, type JsonWriteStringOptions, type WriteContext } from "./options.js";
import { scalarToJson } from "./scalar.js";
import { stringifyJson } from "./stringify.js";
import { wktCodec } from "./wkt/index.js";

type Obj = Record<string, unknown>;

/** Serializes `message` to a JSON value (what JSON.parse would return for its JSON text). */
export function toJson<T extends object>(type: MessageType<T>, message: T, options?: JsonWriteOptions): JsonValue {
  return writeMessage(type as MessageType<object>, message, writeContext(options));
}

/** Serializes `message` to JSON text. */
export function toJsonString<T extends object>(type: MessageType<T>, message: T, options?: JsonWriteStringOptions): string {
  return stringifyJson(toJson(type, message, options), options?.prettySpaces ?? 0);
}

export function writeMessage(type: MessageType<object>, message: object, ctx: WriteContext): JsonValue {
  const wkt = wktCodec(type.typeName);
  if (wkt !== undefined) return wkt.toJson(type, message, ctx, writeMessage);
  const m = message as Obj;
  const json: JsonObject = {};
  for (const field of type.fields) {
    const key = ctx.useProtoFieldName ? field.name : field.jsonName;
    let value: JsonValue | undefined;
    try {
      value = writeField(field, m, ctx);
    } catch (e) {
      if (e instanceof JsonError) e.prependPath(key);
      throw e;
    }
    if (value !== undefined) json[key] = value;
  }
  const unknown = (message as { $unknown?: Uint8Array }).$unknown;
  if (ctx.registry !== undefined && unknown !== undefined && unknown.length > 0) {
    for (const ext of ctx.registry.extensionsFor(type.typeName)) {
      const key = `[${ext.typeName}]`;
      try {
        const { found, value } = readExtensionField(unknown, ext.field);
        if (found) json[key] = writeFieldValue(ext.field, value, ctx);
      } catch (e) {
        if (e instanceof JsonError) e.prependPath(key);
        throw e;
      }
    }
  }
  return json;
}

/** The JSON of one field of `m`, or undefined when the field is left out. */
function writeField(field: FieldInfo, m: Obj, ctx: WriteContext): JsonValue | undefined {
  if (field.kind !== "map" && !field.repeated && field.oneof !== undefined) {
    const sel = m[field.oneof] as { case?: string; value?: unknown } | undefined;
    // A set oneof member is emitted even when it holds its default value.
    return sel?.case === field.localName ? writeValue(field, sel.value, ctx) : undefined;
  }
  const value = m[field.localName];
  if (field.kind === "map") {
    const record = (value ?? {}) as Obj;
    const keys = Object.keys(record);
    if (keys.length === 0 && !ctx.alwaysEmitImplicit) return undefined;
    return writeMap(field.value, record, keys, ctx);
  }
  if (field.repeated) {
    const list = (value ?? []) as unknown[];
    if (list.length === 0 && !ctx.alwaysEmitImplicit) return undefined;
    return writeList(field, list, ctx);
  }
  if (field.explicit || field.kind === "message") {
    return value === undefined ? undefined : writeValue(field, value, ctx);
  }
  if (isZeroValue(field, value)) return ctx.alwaysEmitImplicit ? writeValue(field, zeroValue(field), ctx) : undefined;
  return writeValue(field, value, ctx);
}

/** The JSON of a field's whole value: the list for a repeated field, else the single value. */
export function writeFieldValue(field: FieldInfo, value: unknown, ctx: WriteContext): JsonValue {
  if (field.kind === "map") return writeMap(field.value, value as Obj, Object.keys(value as Obj), ctx);
  if (field.repeated) return writeList(field, value as unknown[], ctx);
  return writeValue(field, value, ctx);
}

function writeList(info: ValueInfo, list: readonly unknown[], ctx: WriteContext): JsonValue[] {
  const out: JsonValue[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    try {
      out[i] = writeValue(info, list[i], ctx);
    } catch (e) {
      if (e instanceof JsonError) e.prependPath(`[${i}]`);
      throw e;
    }
  }
  return out;
}

function writeMap(info: ValueInfo, record: Obj, keys: readonly string[], ctx: WriteContext): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) {
    let v: JsonValue;
    try {
      v = writeValue(info, record[k], ctx);
    } catch (e) {
      if (e instanceof JsonError) e.prependPath(`[${JSON.stringify(k)}]`);
      throw e;
    }
    // Map keys are data: "__proto__" must become an own property.
    if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

export function writeValue(info: ValueInfo, value: unknown, ctx: WriteContext): JsonValue {
  switch (info.kind) {
    case "scalar":
      return scalarToJson(info.T, value);
    case "enum": {
      // NullValue is JSON null, whatever its number.
      if (info.T.typeName === "google.protobuf.NullValue") return null;
      const n = value as number;
      if (ctx.enumAsInteger) return n;
      return enumNames(info.T).byNumber.get(n) ?? n;
    }
    case "message":
      return writeMessage(info.T, value as object, ctx);
  }
}

function zeroValue(field: FieldInfo & ValueInfo): unknown {
  if (field.kind === "scalar") {
    switch (field.T) {
      case ScalarType.BOOL:
        return false;
      case ScalarType.STRING:
        return "";
      case ScalarType.BYTES:
        return new Uint8Array(0);
      case ScalarType.INT64:
      case ScalarType.UINT64:
      case ScalarType.FIXED64:
      case ScalarType.SFIXED64:
      case ScalarType.SINT64:
        return 0n;
    }
  }
  return 0;
}
