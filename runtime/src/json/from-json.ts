// JSON value → message, reflectively over the generated field table. The
// input is `unknown` inside: callers pass what JSON.parse or parseJsonText
// returned, and every value is checked before use.
import { setMapEntry } from "../message/nested.js";
import type { FieldInfo, MessageType, ValueInfo } from "../message/types.js";
import { encodeExtensionField } from "../registry/extension-value.js";
import { JsonError } from "./json-error.js";
import type { JsonValue } from "./json-value.js";
import { enumNames, fieldsByJsonKey } from "./lookup.js";
import { readContext, type JsonReadOptions, type ReadContext } from "./options.js";
import { RawNumber, parseJsonText } from "./parse-text.js";
import { describeJson, mapKeyFromJson, scalarFromJson } from "./scalar.js";
import { wktCodec } from "./wkt/index.js";

type Obj = Record<string, unknown>;

/** Returned by value readers for an element to leave out (an unknown enum name under ignoreUnknownFields). */
const SKIP: unique symbol = Symbol("skip");

/** Parses a message from a JSON value (what JSON.parse returns). Throws JsonError. */
export function fromJson<T extends object>(type: MessageType<T>, json: JsonValue, options?: JsonReadOptions): T {
  return readMessage(type as MessageType<object>, json, readContext(options)) as T;
}

/**
 * Parses a message from JSON text. Stricter than JSON.parse + fromJson:
 * duplicate keys are errors, and integers beyond 2^53 are read exactly.
 */
export function fromJsonString<T extends object>(type: MessageType<T>, text: string, options?: JsonReadOptions): T {
  return readMessage(type as MessageType<object>, parseJsonText(text), readContext(options)) as T;
}

/** True for a JSON object: not null, not an array, not a number kept as text. */
export function isJsonObject(json: unknown): json is Obj {
  return typeof json === "object" && json !== null && !Array.isArray(json) && !(json instanceof RawNumber);
}

export function readMessage(type: MessageType<object>, json: unknown, ctx: ReadContext): object {
  const wkt = wktCodec(type.typeName);
  if (wkt !== undefined) return wkt.fromJson(type, json, ctx, readMessage);
  if (!isJsonObject(json)) throw new JsonError(`expected an object for ${type.typeName}, got ${describeJson(json)}`);
  const message = type.create() as Obj;
  readFields(type, json, message, ctx);
  return message;
}

/** Reads the keys of `json` into `message`. */
export function readFields(type: MessageType<object>, json: Obj, message: Obj, ctx: ReadContext): void {
  const byKey = fieldsByJsonKey(type);
  // A field may appear under its JSON name and its proto name: only once, though.
  const seen = new Set<FieldInfo>();
  const oneofs = new Map<string, string>();
  for (const key of Object.keys(json)) {
    const value = json[key];
    // Not JSON, but what a JS object literal has for a left-out property: absent, as JSON.stringify sees it.
    if (value === undefined) continue;
    const field = byKey.get(key);
    try {
      if (field === undefined) {
        readUnknownKey(type, key, value, message, ctx);
        continue;
      }
      if (seen.has(field)) throw new JsonError(`field ${field.name} is set twice`);
      seen.add(field);
      if (field.kind !== "map" && !field.repeated && field.oneof !== undefined) {
        // null members are ignored, and do not count as the oneof's one value.
        if (value === null && !isNullable(field)) continue;
        const other = oneofs.get(field.oneof);
        if (other !== undefined) throw new JsonError(`oneof ${field.oneof} has two members set: ${other} and ${key}`);
        oneofs.set(field.oneof, key);
        const v = readValue(field, value, ctx);
        if (v !== SKIP) message[field.oneof] = { case: field.localName, value: v };
        continue;
      }
      readField(field, value, message, ctx);
    } catch (e) {
      if (e instanceof JsonError) e.prependPath(key);
      throw e;
    }
  }
}

function readField(field: FieldInfo, json: unknown, message: Obj, ctx: ReadContext): void {
  if (field.kind === "map") {
    if (json === null) return;
    if (!isJsonObject(json)) throw new JsonError(`expected an object for map field ${field.name}, got ${describeJson(json)}`);
    const record = message[field.localName] as Obj;
    for (const k of Object.keys(json)) {
      try {
        const key = mapKeyFromJson(field.key, k);
        const v = readElement(field.value, json[k], ctx);
        if (v !== SKIP) setMapEntry(record as { [key: string]: unknown }, key, v);
      } catch (e) {
        if (e instanceof JsonError) e.prependPath(`[${JSON.stringify(k)}]`);
        throw e;
      }
    }
    return;
  }
  if (field.repeated) {
    if (json === null) return;
    if (!Array.isArray(json)) throw new JsonError(`expected an array for repeated field ${field.name}, got ${describeJson(json)}`);
    const list = message[field.localName] as unknown[];
    for (let i = 0; i < json.length; i++) {
      try {
        const v = readElement(field, json[i], ctx);
        if (v !== SKIP) list.push(v);
      } catch (e) {
        if (e instanceof JsonError) e.prependPath(`[${i}]`);
        throw e;
      }
    }
    return;
  }
  // null means "not set", except where null is the value itself.
  if (json === null && !isNullable(field)) {
    if (field.explicit) delete message[field.localName];
    return;
  }
  const v = readValue(field, json, ctx);
  if (v !== SKIP) message[field.localName] = v;
}

/** A list element or map value: null is an error unless it is a value of the type (google.protobuf.Value, NullValue). */
function readElement(info: ValueInfo, json: unknown, ctx: ReadContext): unknown {
  if (json === null && !isNullable(info)) throw new JsonError("null is not allowed here");
  return readValue(info, json, ctx);
}

/** Types for which JSON null is a value rather than absence. */
function isNullable(info: ValueInfo): boolean {
  return (
    (info.kind === "message" && info.T.typeName === "google.protobuf.Value") ||
    (info.kind === "enum" && info.T.typeName === "google.protobuf.NullValue")
  );
}

export function readValue(info: ValueInfo, json: unknown, ctx: ReadContext): unknown {
  switch (info.kind) {
    case "scalar":
      return scalarFromJson(info.T, json, info.int64);
    case "message":
      return readMessage(info.T, json, ctx);
    case "enum": {
      if (info.T.typeName === "google.protobuf.NullValue" && json === null) return 0;
      if (typeof json === "string") {
        const n = enumNames(info.T).byName.get(json);
        if (n !== undefined) return n;
        if (ctx.ignoreUnknownFields) return SKIP;
        throw new JsonError(`unknown value ${JSON.stringify(json)} for enum ${info.T.typeName}`);
      }
      if (typeof json === "number" && Number.isInteger(json) && json >= -0x80000000 && json <= 0x7fffffff) {
        // Closed enums cannot hold numbers they do not declare.
        if (info.T.open || enumNames(info.T).byNumber.has(json)) return json === 0 ? 0 : json;
        if (ctx.ignoreUnknownFields) return SKIP;
        throw new JsonError(`unknown value ${json} for closed enum ${info.T.typeName}`);
      }
      throw new JsonError(`invalid value for enum ${info.T.typeName}: ${describeJson(json)}`);
    }
  }
}

/** A key that names no field: an extension (`[full.name]`), or unknown. */
function readUnknownKey(type: MessageType<object>, key: string, json: unknown, message: Obj, ctx: ReadContext): void {
  if (key.startsWith("[") && key.endsWith("]")) {
    const ext = ctx.registry?.getExtension(key.slice(1, -1));
    if (ext !== undefined && ext.extendee.typeName === type.typeName) {
      const field = ext.field;
      // Read into a scratch object with the field's shape, then encode it where extensions live.
      const scratch: Obj = { [field.localName]: field.kind !== "map" && field.repeated ? [] : undefined };
      readField(field, json, scratch, ctx);
      const value = scratch[field.localName];
      if (value === undefined) return;
      const bytes = encodeExtensionField(field, value);
      if (bytes.length === 0) return;
      const prev = message.$unknown as Uint8Array | undefined;
      if (prev === undefined) {
        message.$unknown = bytes;
      } else {
        const joined = new Uint8Array(prev.length + bytes.length);
        joined.set(prev);
        joined.set(bytes, prev.length);
        message.$unknown = joined;
      }
      return;
    }
  }
  if (ctx.ignoreUnknownFields) return;
  throw new JsonError(`unknown field ${JSON.stringify(key)} in ${type.typeName}`);
}
