// google.protobuf.Any as its payload's JSON plus "@type": the payload's fields
// inline for ordinary messages, under "value" for the well-known types with a
// special form of their own. Resolving the type URL needs a registry.
import type { MessageType } from "../../message/types.js";
import { DecodeError } from "../../wire/errors.js";
import { JsonError } from "../json-error.js";
import type { JsonObject } from "../json-value.js";
import type { ReadContext, WriteContext } from "../options.js";
import { RawNumber } from "../parse-text.js";
import { describeJson } from "../scalar.js";
import type { ReadMessage, WktCodec } from "./codec.js";
import { specialJsonTypes } from "./special.js";

interface AnyShape {
  typeUrl: string;
  value: Uint8Array;
}

const hasSpecialForm = (typeName: string): boolean => specialJsonTypes.has(typeName);

export const anyJson: WktCodec = {
  toJson(_type, message, ctx, write) {
    const any = message as AnyShape;
    if (any.typeUrl === "" && any.value.length === 0) return {};
    const payloadType = resolve(any.typeUrl, ctx);
    const payload = decodePayload(payloadType, any.value);
    const json: JsonObject = { "@type": any.typeUrl };
    if (hasSpecialForm(payloadType.typeName)) {
      try {
        json.value = write(payloadType, payload, ctx);
      } catch (e) {
        if (e instanceof JsonError) e.prependPath("value");
        throw e;
      }
    } else {
      const inner = write(payloadType, payload, ctx);
      Object.assign(json, inner as JsonObject);
    }
    return json;
  },
  fromJson(type, json, ctx, read) {
    if (typeof json !== "object" || json === null || Array.isArray(json) || json instanceof RawNumber) {
      throw new JsonError(`expected an object for google.protobuf.Any, got ${describeJson(json)}`);
    }
    const obj = json as Record<string, unknown>;
    const any = type.create() as AnyShape;
    const keys = Object.keys(obj);
    if (keys.length === 0) return any;
    const typeUrl = obj["@type"];
    if (typeUrl === undefined) throw new JsonError('google.protobuf.Any without "@type"');
    if (typeof typeUrl !== "string") throw new JsonError(`"@type" must be a string, got ${describeJson(typeUrl)}`);
    const payloadType = resolve(typeUrl, ctx);
    let payload: object;
    if (hasSpecialForm(payloadType.typeName)) {
      const extra = keys.find((k) => k !== "@type" && k !== "value");
      if (extra !== undefined) throw new JsonError(`unexpected key ${JSON.stringify(extra)} beside "value" in an Any holding ${payloadType.typeName}`);
      if (!("value" in obj)) throw new JsonError(`google.protobuf.Any holding ${payloadType.typeName} has no "value"`);
      payload = readValue(payloadType, obj.value, ctx, read);
    } else if (payloadType.typeName === "google.protobuf.Empty" && keys.length === 2 && "value" in obj) {
      // Some serializers (protobuf-go) write Empty as {"@type": …, "value": {}}: accept that too.
      payload = readValue(payloadType, obj.value, ctx, read);
    } else {
      // The payload's fields are the Any's own keys, so errors in them need no extra path segment.
      const rest: Record<string, unknown> = {};
      for (const k of keys) if (k !== "@type") Object.defineProperty(rest, k, { value: obj[k], enumerable: true, writable: true, configurable: true });
      payload = read(payloadType, rest, ctx);
    }
    any.typeUrl = typeUrl;
    any.value = payloadType.encode(payload);
    return any;
  },
};

/** The payload; bytes that are not a message of the named type are a JsonError, at the Any's place. */
function decodePayload(type: MessageType<object>, bytes: Uint8Array): object {
  try {
    return type.decode(bytes);
  } catch (e) {
    if (e instanceof DecodeError) throw new JsonError(`google.protobuf.Any: value does not decode as ${type.typeName}: ${e.message}`);
    throw e;
  }
}

function readValue(type: MessageType<object>, json: unknown, ctx: ReadContext, read: ReadMessage): object {
  try {
    return read(type, json, ctx);
  } catch (e) {
    if (e instanceof JsonError) e.prependPath("value");
    throw e;
  }
}

/** The message type named by a type URL: everything after the last "/". */
function resolve(typeUrl: string, ctx: WriteContext | ReadContext): MessageType<object> {
  const name = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
  if (name === "" || !typeUrl.includes("/")) throw new JsonError(`invalid type URL ${JSON.stringify(typeUrl)} in google.protobuf.Any`);
  if (ctx.registry === undefined) throw new JsonError(`cannot resolve ${JSON.stringify(typeUrl)} in google.protobuf.Any: no registry given`);
  const t = ctx.registry.getMessage(name);
  if (t === undefined) throw new JsonError(`cannot resolve ${JSON.stringify(typeUrl)} in google.protobuf.Any: ${name} is not in the registry`);
  return t;
}
