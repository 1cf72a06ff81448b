// The shape of a well-known type's special JSON form. The generic reader and
// writer are passed in rather than imported, so that these modules stay
// leaves of the import graph.
import type { MessageType } from "../../message/types.js";
import type { JsonValue } from "../json-value.js";
import type { ReadContext, WriteContext } from "../options.js";

export type WriteMessage = (type: MessageType<object>, message: object, ctx: WriteContext) => JsonValue;
export type ReadMessage = (type: MessageType<object>, json: unknown, ctx: ReadContext) => object;

export interface WktCodec {
  toJson(type: MessageType<object>, message: object, ctx: WriteContext, write: WriteMessage): JsonValue;
  /** `json` may be null only for google.protobuf.Value; for the others null is rejected here. */
  fromJson(type: MessageType<object>, json: unknown, ctx: ReadContext, read: ReadMessage): object;
}
