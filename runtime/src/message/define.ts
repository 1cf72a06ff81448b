// Turns the generated pieces of a message into its codec const.
import { BinaryReader } from "../wire/reader.js";
import { BinaryWriter } from "../wire/writer.js";
import { equalMessages } from "./equals.js";
import { labelDecodeError } from "./error-path.js";
import { createFromPartial } from "./create.js";
import { fromJson, fromJsonString } from "../json/from-json.js";
import { toJson, toJsonString } from "../json/to-json.js";
import { fromText } from "../text/from-text.js";
import { toText } from "../text/to-text.js";
import type { BinaryReadOptions, FieldInfo, MessageSpec, MessageType, PartialMessage } from "./types.js";

export function defineMessage<T extends object>(spec: MessageSpec<T>): MessageType<T> {
  let fields: readonly FieldInfo[] | undefined;
  let byNumber: Map<number, FieldInfo> | undefined;
  const type: MessageType<T> = {
    typeName: spec.typeName,
    spec,
    get fields() {
      return (fields ??= spec.fields());
    },
    field(no) {
      byNumber ??= new Map(type.fields.map((f) => [f.no, f]));
      return byNumber.get(no);
    },
    create(init?: PartialMessage<T>): T {
      const message = spec.create();
      return init === undefined ? message : createFromPartial(type, message, init);
    },
    encode(message: PartialMessage<T>): Uint8Array {
      return type.encodeWithHeadroom(message, 0);
    },
    encodeWithHeadroom(message: PartialMessage<T>, headroom: number): Uint8Array {
      const sizes: number[] = [];
      const writer = new BinaryWriter(spec.size(message, sizes), sizes, headroom);
      spec.write(message, writer);
      return writer.finish();
    },
    decode(bytes: Uint8Array, options?: BinaryReadOptions): T {
      const message = spec.create();
      const reader = new BinaryReader(bytes, options);
      try {
        spec.read(reader, message, 0);
      } catch (e) {
        throw labelDecodeError(e, type as MessageType<object>, reader);
      }
      return message;
    },
    equals(a, b) {
      return equalMessages(type, a, b);
    },
    clone(message) {
      return type.decode(type.encode(message));
    },
    toJson(message, options) {
      return toJson(type, message, options);
    },
    fromJson(json, options) {
      return fromJson(type, json, options);
    },
    toJsonString(message, options) {
      return toJsonString(type, message, options);
    },
    fromJsonString(json, options) {
      return fromJsonString(type, json, options);
    },
    toText(message, options) {
      return toText(type, message, options);
    },
    fromText(text, options) {
      return fromText(type, text, options);
    },
  };
  return type;
}
