// google.protobuf.Struct, Value and ListValue are plain JSON: an object, any
// value, an array. A Value must hold one of its kinds, and a number must be
// finite: JSON has no NaN or Infinity.
import type { MessageType } from "../../message/types.js";
import { setMapEntry } from "../../message/nested.js";
import { JsonError } from "../json-error.js";
import type { JsonObject, JsonValue } from "../json-value.js";
import { RawNumber } from "../parse-text.js";
import { describeJson } from "../scalar.js";
import type { WktCodec } from "./codec.js";

interface ValueShape {
  kind?: { case: string; value: unknown };
}
interface StructShape {
  fields: { [key: string]: ValueShape };
}
interface ListValueShape {
  values: ValueShape[];
}

export const structJson: WktCodec = {
  toJson(type, message) {
    return structToJson(fieldType(type, "fields"), message as StructShape);
  },
  fromJson(type, json) {
    return structFromJson(type, fieldType(type, "fields"), json);
  },
};

export const listValueJson: WktCodec = {
  toJson(type, message) {
    return listToJson(fieldType(type, "values"), message as ListValueShape);
  },
  fromJson(type, json) {
    return listFromJson(type, fieldType(type, "values"), json);
  },
};

export const valueJson: WktCodec = {
  toJson(type, message) {
    return valueToJson(type, message as ValueShape);
  },
  fromJson(type, json) {
    return valueFromJson(type, json);
  },
};

function valueToJson(valueType: MessageType<object>, v: ValueShape): JsonValue {
  const kind = v.kind;
  switch (kind?.case) {
    case "nullValue":
      return null;
    case "numberValue": {
      const n = kind.value as number;
      if (!Number.isFinite(n)) throw new JsonError(`google.protobuf.Value cannot hold ${n}: JSON numbers are finite`);
      return n;
    }
    case "stringValue":
      return kind.value as string;
    case "boolValue":
      return kind.value as boolean;
    case "structValue":
      return structToJson(valueType, kind.value as StructShape);
    case "listValue":
      return listToJson(valueType, kind.value as ListValueShape);
    default:
      throw new JsonError("google.protobuf.Value has no kind set");
  }
}

function structToJson(valueType: MessageType<object>, s: StructShape): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(s.fields)) {
    let v: JsonValue;
    try {
      v = valueToJson(valueType, s.fields[k]);
    } catch (e) {
      if (e instanceof JsonError) e.prependPath(`[${JSON.stringify(k)}]`);
      throw e;
    }
    if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

function listToJson(valueType: MessageType<object>, l: ListValueShape): JsonValue[] {
  return l.values.map((v, i) => {
    try {
      return valueToJson(valueType, v);
    } catch (e) {
      if (e instanceof JsonError) e.prependPath(`[${i}]`);
      throw e;
    }
  });
}

function valueFromJson(valueType: MessageType<object>, json: unknown): ValueShape {
  const v = valueType.create() as ValueShape;
  if (json === null) {
    v.kind = { case: "nullValue", value: 0 };
  } else if (typeof json === "number" || json instanceof RawNumber) {
    const n = typeof json === "number" ? json : json.value;
    if (!Number.isFinite(n)) throw new JsonError(`number out of range for google.protobuf.Value: ${describeJson(json)}`);
    v.kind = { case: "numberValue", value: n };
  } else if (typeof json === "string") {
    v.kind = { case: "stringValue", value: json };
  } else if (typeof json === "boolean") {
    v.kind = { case: "boolValue", value: json };
  } else if (Array.isArray(json)) {
    v.kind = { case: "listValue", value: listFromJson(fieldType(valueType, "listValue"), valueType, json) };
  } else if (typeof json === "object") {
    v.kind = { case: "structValue", value: structFromJson(fieldType(valueType, "structValue"), valueType, json) };
  } else {
    throw new JsonError(`not a JSON value: ${describeJson(json)}`);
  }
  return v;
}

function structFromJson(structType: MessageType<object>, valueType: MessageType<object>, json: unknown): StructShape {
  if (typeof json !== "object" || json === null || Array.isArray(json) || json instanceof RawNumber) {
    throw new JsonError(`expected an object for google.protobuf.Struct, got ${describeJson(json)}`);
  }
  const s = structType.create() as StructShape;
  const obj = json as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    try {
      setMapEntry(s.fields, k, valueFromJson(valueType, obj[k]));
    } catch (e) {
      if (e instanceof JsonError) e.prependPath(`[${JSON.stringify(k)}]`);
      throw e;
    }
  }
  return s;
}

function listFromJson(listType: MessageType<object>, valueType: MessageType<object>, json: unknown): ListValueShape {
  if (!Array.isArray(json)) throw new JsonError(`expected an array for google.protobuf.ListValue, got ${describeJson(json)}`);
  const l = listType.create() as ListValueShape;
  for (let i = 0; i < json.length; i++) {
    try {
      l.values.push(valueFromJson(valueType, json[i]));
    } catch (e) {
      if (e instanceof JsonError) e.prependPath(`[${i}]`);
      throw e;
    }
  }
  return l;
}

/** The message type of field `localName` of `type` (the generated WKTs refer to each other through their field tables). */
function fieldType(type: MessageType<object>, localName: string): MessageType<object> {
  const f = type.fields.find((x) => x.localName === localName);
  if (f === undefined) throw new Error(`${type.typeName} has no field ${localName}`);
  const v = f.kind === "map" ? f.value : f;
  if (v.kind !== "message") throw new Error(`${type.typeName}.${localName} is not a message field`);
  return v.T;
}
